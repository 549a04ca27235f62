//! `zh_en/sentence-split`: full stops the engine put inside a sentence.
//!
//! **What it fixes.**
//! - a full stop followed by a short lower-case fragment that ends the sentence is removed:
//!   "accelerate the recovery. capacity and business." -> "accelerate the recovery capacity and
//!   business." (the reference style forbids inventing the missing "of");
//! - ". ," -> "," ("management. , to better serve" -> "management, to better serve");
//! - a lower-case word that plainly opens a new sentence gets its capital ("sterilization . at
//!   present , ..." -> "sterilization . At present , ...").
//!
//! **Why.** Chinese-to-English engines segment at 。 and at clause boundaries they misread, and
//! leave dangling nouns and commas after a full stop.
//!
//! **Flagged, not fixed.** A lower-case continuation that is neither short nor an obvious opener.
//!
//! **Not touched.** Abbreviations ("approx. five", "e.g. this", "U.S. officials"), numbers, anything
//! after "?" or "!".

use std::ops::Range;

use super::words::{word_at, word_before};
use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::{ArtifactKind, Confidence, Span};

pub struct SentenceSplit;

pub fn build(_: &Dictionaries) -> Box<dyn Rule> {
    Box::new(SentenceSplit)
}

/// A letter, an optional space, a full stop, spaces, and a lower-case word or a comma.
#[cfg(test)]
static STOP_LOWER: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"[A-Za-z]( ?\. *)([a-z]|, ?)").unwrap());

/// A match of `[A-Za-z]( ?\. *)([a-z]|, ?)`: its start, the stop (group 1) and what follows
/// (group 2).
struct StopLower {
    start: usize,
    stop: Range<usize>,
    next: Range<usize>,
}

/// The matches of [`STOP_LOWER`]'s pattern in order, as `captures_iter` finds them, found from
/// the full stops. Each match holds one full stop, one or two bytes after its letter, so the
/// matches of successive full stops start in order and a match is the one of its full stop
/// whose letter does not fall inside the previous match.
fn stops_lower(text: &str) -> impl Iterator<Item = StopLower> + '_ {
    let b = text.as_bytes();
    let mut pos = 0;
    memchr::memchr_iter(b'.', b).filter_map(move |d| {
        // The letter: before the full stop, or before a space before it (" ?" takes the space).
        let start = if d >= 1 && b[d - 1].is_ascii_alphabetic() {
            d - 1
        } else if d >= 2 && b[d - 1] == b' ' && b[d - 2].is_ascii_alphabetic() {
            d - 2
        } else {
            return None;
        };
        if start < pos {
            return None;
        }
        // " *" takes every space: only a lower-case letter or a comma may follow them.
        let mut j = d + 1;
        while b.get(j) == Some(&b' ') {
            j += 1;
        }
        let end = match b.get(j) {
            Some(c) if c.is_ascii_lowercase() => j + 1,
            Some(b',') if b.get(j + 1) == Some(&b' ') => j + 2,
            Some(b',') => j + 1,
            _ => return None,
        };
        pos = end;
        Some(StopLower {
            start,
            stop: start + 1..j,
            next: j..end,
        })
    })
}

/// Abbreviations that end in a full stop and may be followed by a lower-case word.
const ABBREV: &[&str] = &[
    "etc", "approx", "vs", "inc", "ltd", "co", "corp", "no", "nos", "fig", "figs", "al", "cf",
    "viz", "pp", "vol", "eds", "dept", "est", "misc", "resp", "esp", "ibid", "min", "max", "mr",
    "mrs", "ms", "dr", "prof", "sr", "jr", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec",
];

/// Lower-case words that open a sentence rather than continue a noun phrase.
const OPENERS: &[&str] = &[
    "i",
    "we",
    "it",
    "they",
    "he",
    "she",
    "you",
    "this",
    "that",
    "these",
    "those",
    "there",
    "the",
    "a",
    "an",
    "at",
    "in",
    "on",
    "for",
    "after",
    "before",
    "since",
    "with",
    "according",
    "however",
    "but",
    "and",
    "so",
    "meanwhile",
    "currently",
    "then",
    "also",
    "as",
    "if",
    "when",
    "while",
    "from",
    "by",
    "under",
    "during",
    "next",
    "our",
    "its",
    "their",
    "his",
    "her",
    "some",
    "many",
    "most",
    "all",
    "each",
    "every",
    "besides",
    "moreover",
    "furthermore",
    "therefore",
    "thus",
    "recently",
    "today",
    "yesterday",
    "now",
    "first",
    "second",
    "third",
    "finally",
    "previously",
    "later",
    "earlier",
];

impl SentenceSplit {
    /// A longer fragment that still plainly continues the sentence before the stop: an
    /// infinitive ("more confidence. to expand the market") or a noun completing "the X" before
    /// "of" ("improve the quality. level of service"). `stop` is where the word before the full
    /// stop ends, `ws`/`w` the word after it.
    fn continues_phrase(&self, text: &str, stop: usize, ws: usize, w: &str) -> bool {
        let after = &text[ws + w.len()..];
        let next_lower = |r: &str| {
            r.strip_prefix(' ')
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_lowercase()))
        };
        if w == "to" {
            // "to expand", not "to 2022" or "to The"
            let verb = after.strip_prefix(' ').map(|r| word_at(r, 0)).unwrap_or("");
            return verb.len() >= 3 && !OPENERS.contains(&verb) && next_lower(after);
        }
        if !after.starts_with(" of ") || w.len() < 3 || !w.bytes().all(|b| b.is_ascii_lowercase()) {
            return false;
        }
        let noun = word_before(text, stop);
        let det_end = stop - noun.len();
        // The determiner ends one space before the noun; test the space first, since the byte
        // before the noun may sit inside a multi-byte char.
        if !text[..det_end].ends_with(' ') {
            return false;
        }
        let det = word_before(text, det_end - 1);
        matches!(det, "the" | "a" | "an" | "its" | "their")
    }
}

impl Rule for SentenceSplit {
    fn id(&self) -> &'static str {
        "zh_en/sentence-split"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::SentenceSplit
    }
    fn describe(&self) -> &'static str {
        "Removes full stops inside a sentence (before a lower-case fragment or a comma); capitalizes real sentence openers"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "It will accelerate the recovery. capacity and business.",
            "It will accelerate the recovery capacity and business.",
        )
    }
    fn scope(&self) -> Scope {
        Scope::ZhEn
    }
    fn priority(&self) -> u8 {
        45
    }
    fn line_local(&self) -> bool {
        true
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        let text = doc.text;
        for c in stops_lower(text) {
            let (stop, next) = (c.stop, c.next);
            let prev = word_before(text, c.start + 1);
            let prev_ok = prev.len() >= 3
                && prev.bytes().all(|b| b.is_ascii_alphabetic())
                && !ABBREV.contains(&prev.to_ascii_lowercase().as_str())
                && !text[..c.start + 1 - prev.len()].ends_with('.');
            // A dot inside a URL, e-mail address or file name ("www.metoffice.gov.uk") is no
            // sentence end.
            if !prev_ok || crate::text::context::in_url_like(text, stop.start) {
                continue;
            }
            if text[next.start..].starts_with(',') {
                // ". ," -> ","
                out.push(Finding::fix(
                    self.id(),
                    self.kind(),
                    Span::new(stop.start, next.start + 1),
                    ",",
                    Confidence::Likely,
                    "full stop before a comma",
                ));
                continue;
            }
            let ws = next.start;
            let w = word_at(text, ws);
            let line_end = text[ws..].find('\n').map_or(text.len(), |i| ws + i);
            let frag_end = text[ws..line_end]
                .find(['.', '!', '?'])
                .map_or(line_end, |i| ws + i);
            let frag = &text[ws..frag_end];
            let words = frag.split_whitespace().count();
            let closes = frag_end == line_end
                || text[frag_end + 1..].starts_with(['\n', ' '])
                || frag_end + 1 == text.len();
            if OPENERS.contains(&w) {
                out.push(Finding::fix(
                    self.id(),
                    ArtifactKind::Case,
                    Span::new(ws, ws + 1),
                    w[..1].to_uppercase(),
                    Confidence::Likely,
                    "sentence starts in lower case",
                ));
            } else if (words <= 4 && closes && !frag.contains([',', '“', '"', '(', ':', ';']))
                || self.continues_phrase(text, c.start + 1, ws, w)
            {
                out.push(Finding::fix(
                    self.id(),
                    self.kind(),
                    Span::new(stop.start, ws),
                    " ",
                    Confidence::Likely,
                    "full stop inside a sentence",
                ));
            } else {
                out.push(Finding::flag(
                    self.id(),
                    self.kind(),
                    Span::new(stop.start, ws + w.len()),
                    "lower-case word after a full stop: broken sentence or missing capital",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixes, assert_flags};
    use crate::ArtifactKind;

    const R: &[&str] = &["zh_en/sentence-split"];

    /// (start, group 1, group 2) of each match, from the regex and from the full-stop scan.
    fn same_matches(t: &str) {
        let by_regex: Vec<_> = super::STOP_LOWER
            .captures_iter(t)
            .map(|c| {
                let (g1, g2) = (c.get(1).unwrap(), c.get(2).unwrap());
                (c.get(0).unwrap().start(), g1.range(), g2.range())
            })
            .collect();
        let by_scan: Vec<_> = super::stops_lower(t)
            .map(|c| (c.start, c.stop, c.next))
            .collect();
        assert_eq!(by_regex, by_scan, "{t:?}");
    }

    #[test]
    fn the_full_stop_scan_finds_what_the_regex_finds() {
        for t in [
            "", ".", "a.b", "a .b", "a. , x", "a.,b", "ab. . c", "a.  .b", "é. x", "a.\nb",
        ] {
            same_matches(t);
        }
    }

    proptest::proptest! {
        #[test]
        fn the_full_stop_scan_agrees_on_any_text(t in "[aZ .,é\n1]{0,24}") {
            same_matches(&t);
        }
    }

    #[test]
    fn fixes() {
        let cases = [
            (
                "to accelerate the recovery. capacity and business.",
                "to accelerate the recovery capacity and business.",
            ),
            (
                "the operation of enterprises. core blocking point.\n",
                "the operation of enterprises core blocking point.\n",
            ),
            (
                "under the premise of safety. aisle.\n\nNext.",
                "under the premise of safety aisle.\n\nNext.",
            ),
            (
                "prevention management. , to better serve",
                "prevention management, to better serve",
            ),
            (
                "downstream enterprises. , to ensure",
                "downstream enterprises, to ensure",
            ),
            (
                "sterilization . at present , the staff live in the company.",
                "sterilization . At present , the staff live in the company.",
            ),
            ("It rained. we left early.", "It rained. We left early."),
            // Longer fragments that plainly continue the sentence.
            (
                "The rules give buyers more room. to compare prices across the region, officials said.",
                "The rules give buyers more room to compare prices across the region, officials said.",
            ),
            (
                "It will raise the safety. standard of the old bridges in the county, and cut delays.",
                "It will raise the safety standard of the old bridges in the county, and cut delays.",
            ),
        ];
        for (i, e) in cases {
            assert_fixes(R, i, e);
        }
    }

    #[test]
    fn urls_are_not_sentence_ends() {
        for t in [
            "Data are at https://www.metoffice.gov.uk/weather today.",
            "Write to press.office@example.org for details.",
            "See www.example.com for the full list.",
        ] {
            let out = crate::rules::testing::clean_with(R, t);
            assert_eq!(out.text, t);
            assert!(out.flags.is_empty(), "{t}: {:?}", out.flags);
        }
    }

    #[test]
    fn leaves_alone() {
        for t in [
            "It costs approx. five dollars.",
            "Use tools, e.g. hammers.",
            "U.S. officials met 3 p.m. today.",
            "The rate was 3.5 percent. Prices rose.",
            "He came. Then he left.",
        ] {
            assert_clean(R, t);
        }
        for t in [
            // Not a plain continuation: flagged at most.
            "Output rose. output of steel and coal in the north grew fast, the bureau said.",
            "Output rose. to 2025 the plan runs, and beyond, the bureau said.",
        ] {
            assert_clean(R, t);
        }
    }

    #[test]
    fn a_multibyte_char_before_the_noun_is_no_determiner() {
        // The byte before "quality" is the last of "—" or "\u{FFFD}": no determiner there, and
        // looking for one must not slice inside the char (a fuzzer finding).
        for t in [
            "Prices rose—quality. level of service fell in the north.",
            "\u{FFFD}quality. level of service fell in the north.",
        ] {
            let out = crate::rules::testing::clean_with(R, t);
            assert_eq!(out.text, t);
        }
        // With a determiner the same sentence is joined.
        let out = crate::rules::testing::clean_with(
            R,
            "Prices rose, the quality. level of service fell in the north.",
        );
        assert_eq!(
            out.text,
            "Prices rose, the quality level of service fell in the north."
        );
    }

    #[test]
    fn flags_unclear_cases() {
        assert_flags(
            R,
            "It grew fast. production lines were restarted across the whole region in May.",
            ArtifactKind::SentenceSplit,
        );
    }
}
