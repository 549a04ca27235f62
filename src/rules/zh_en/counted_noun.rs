//! `zh_en/counted-noun`: a stray article, quantifier or measure word between a number and its noun.
//!
//! **What it fixes.**
//! - "6 All districts" -> "all 6 districts" (都/所有 moved after the number);
//! - "12 The measures" -> "12 measures" (a stray article before a plural noun);
//! - "10000 A laptop ," -> "10000 laptops ," (a stray "a" and a singular noun that ends the phrase);
//! - "300 Home enterprises" -> "300 enterprises", "12 Individual projects" -> "12 projects"
//!   (a Chinese measure word rendered as a word: `zh_en/measure_words`).
//!
//! **Why.** Engines translate the number, the classifier and the noun separately.
//!
//! **Flagged, not fixed.** A number followed by "The" and a singular word ("company 3 The smart
//! factory", "1200 The catering task"): the word order is scrambled and only a rewrite repairs it.
//!
//! **Not touched.** "3 Japanese companies", "12 Chinese cities", "3 Doors Down", "300 Home
//! appliances" (a listed compound), lower-case "6 all", a singular noun after a measure word.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use super::numeral::Dec;
use super::words::{is_sentence_end, prev_char_skip_spaces, word_at, CommonWords};
use crate::dict::Dictionaries;
use crate::rules::structure::shared::number_spaces;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::{ArtifactKind, Confidence, Span};

pub struct CountedNoun {
    common: std::sync::Arc<CommonWords>,
    /// Measure word -> nouns after which it is a real modifier.
    measures: HashMap<String, HashSet<String>>,
    /// Measure words also dropped when the noun is left out ("enrolls 900 Name ,").
    alone: HashSet<String>,
    /// Plural nouns without a plural ending ("militia", "cattle"): `en/invariant_plurals`.
    invariant: HashSet<String>,
}

pub fn build(d: &Dictionaries) -> Box<dyn Rule> {
    let mut measures = HashMap::new();
    let mut alone = HashSet::new();
    for r in d.rows("zh_en/measure_words") {
        if r.get(3).trim() == "alone" {
            alone.insert(r.get(0).to_string());
        }
        let keep = r
            .get(2)
            .split(',')
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
        measures.insert(r.get(0).to_string(), keep);
    }
    let invariant = d
        .rows("en/invariant_plurals")
        .iter()
        .map(|r| r.get(0).to_string())
        .collect();
    Box::new(CountedNoun {
        common: CommonWords::shared(d),
        measures,
        alone,
        invariant,
    })
}

/// A number, one space, a capitalized word, one space, a lower-case word.
impl CountedNoun {
    /// "21 All prefecture-level cities": the noun after the modifier words is plural. Looks at
    /// up to two more lower-case words joined by single spaces.
    fn plural_head_follows(&self, text: &str, mut pos: usize) -> bool {
        for _ in 0..2 {
            let rest = &text[pos..];
            let Some(after) = rest.strip_prefix(' ') else {
                return false;
            };
            if !after.starts_with(|c: char| c.is_ascii_lowercase()) {
                return false;
            }
            let w = word_at(text, pos + 1);
            if w.is_empty() {
                return false;
            }
            let regular_plural = w.len() >= 4
                && w.ends_with('s')
                && !["ss", "us", "is"].iter().any(|e| w.ends_with(e))
                && self.common.contains(w);
            if regular_plural || self.common.singular_of(w).is_some() {
                return true;
            }
            pos += 1 + w.len();
        }
        false
    }

    /// A plural head noun among the first three lower-case words at `pos` ("combine harvesters",
    /// "undergraduate majors", "militia"): the words up to and including the head, or None.
    fn head_words<'t>(&self, text: &'t str, pos: usize) -> Option<Vec<&'t str>> {
        let mut words = Vec::new();
        let mut pos = pos;
        for i in 0..3 {
            if i > 0 {
                if !text[pos..].starts_with(' ') {
                    return None;
                }
                pos += 1;
            }
            if !text[pos..].starts_with(|c: char| c.is_ascii_lowercase()) {
                return None;
            }
            let w = word_at(text, pos);
            if w.is_empty() {
                return None;
            }
            words.push(w);
            let lw = w.to_lowercase();
            let regular_plural = w.len() >= 4
                && w.ends_with('s')
                && !["ss", "us", "is"].iter().any(|e| w.ends_with(e));
            // The first word may be a rarer noun; later heads must be known words.
            let known =
                |w: &str| self.common.contains(w) || self.common.contains(&w[..w.len() - 1]);
            if (regular_plural && (i == 0 || known(w)))
                || self.common.singular_of(w).is_some()
                || self.invariant.contains(&lw)
            {
                return Some(words);
            }
            pos += w.len();
        }
        None
    }
}

static NUM_CAP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\w.,%])(\d{1,9}) ([A-Z][a-z]*) ([a-z][a-z-]*)").unwrap());

/// A number, one space, a capitalized word, then a comma, full stop or semicolon.
static NUM_CAP_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\w.,%])(\d{1,9}) ([A-Z][a-z]*) ?[,.;，。；]").unwrap());

/// Byte offsets of the spaces of "`\d` [A-Z]", the part every match of [`NUM_CAP`] and
/// [`NUM_CAP_END`] holds (a non-ASCII byte before the space stands for a possible non-ASCII digit).
fn candidates(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    if b.len() < 3 {
        return out;
    }
    let hit = |prev: u8, at: u8, next: u8| {
        (at == b' ') & next.is_ascii_uppercase() & (prev.is_ascii_digit() | (prev >= 0x80))
    };
    // Blocks of 32 positions tested without branches first (a block with a candidate is rare).
    const W: usize = 32;
    let last = b.len() - 2; // the last position a candidate can have
    let mut k = 1;
    while k + W - 1 <= last {
        let (p, a, x) = (&b[k - 1..k - 1 + W], &b[k..k + W], &b[k + 1..k + 1 + W]);
        let mut any = false;
        for j in 0..W {
            any |= hit(p[j], a[j], x[j]);
        }
        if any {
            out.extend((0..W).filter(|&j| hit(p[j], a[j], x[j])).map(|j| k + j));
        }
        k += W;
    }
    out.extend((k..=last).filter(|&i| hit(b[i - 1], b[i], b[i + 1])));
    out
}

/// Whether `t` may hold a non-ASCII decimal digit (`\d` beyond ASCII): the lead bytes of their
/// UTF-8 forms, and the first two bytes of the fullwidth digits (the other fullwidth forms,
/// such as "，", share them and are told apart by the third byte).
fn may_have_wide_digit(t: &str) -> bool {
    let b = t.as_bytes();
    if memchr::memchr3(0xD9, 0xDB, 0xDF, b).is_some()
        || memchr::memchr3(0xE0, 0xE1, 0xEA, b).is_some()
        || memchr::memchr3(0xF0, 0xF1, 0xF2, b).is_some()
    {
        return true;
    }
    memchr::memmem::find_iter(b, b"\xEF\xBC")
        .any(|i| b.get(i + 2).is_some_and(|c| (0x90..=0x99).contains(c)))
}

/// The [`candidates`] that can hold a match: without a non-ASCII digit in the text, only a
/// space after an ASCII digit can end a match's number, and those are the shared `spaces` (see
/// [`crate::rules::zh_en::words::number_spaces`]) before a capital letter.
fn number_candidates(text: &str, spaces: &[usize]) -> Vec<usize> {
    if may_have_wide_digit(text) {
        return candidates(text);
    }
    let b = text.as_bytes();
    spaces
        .iter()
        .copied()
        .filter(|&k| b.get(k + 1).is_some_and(u8::is_ascii_uppercase))
        .collect()
}

/// The [`candidates`] where a match of [`NUM_CAP_END`] (`end`) or [`NUM_CAP`] can have its first
/// space: a digit before it (a non-ASCII character must be numeric), and after the capitalized
/// word (its lower-case letters run as far as they go, as no match can end it sooner) the
/// punctuation of [`NUM_CAP_END`] or the space and lower-case letter of [`NUM_CAP`]. Most
/// candidates are a space after a Chinese character or punctuation, and so are dropped before
/// the regex looks at them.
fn fitting(text: &str, cands: &[usize], end: bool) -> Vec<usize> {
    let b = text.as_bytes();
    let digit_before = |k: usize| {
        b[k - 1].is_ascii_digit()
            || (b[k - 1] >= 0x80 && text[..k].chars().next_back().is_some_and(char::is_numeric))
    };
    let punct_at = |j: usize| {
        matches!(b.get(j), Some(b',' | b'.' | b';'))
            || ["，", "。", "；"].iter().any(|p| text[j..].starts_with(p))
    };
    let shape = |k: usize| {
        let mut j = k + 2;
        while b.get(j).is_some_and(u8::is_ascii_lowercase) {
            j += 1;
        }
        let space = b.get(j) == Some(&b' ');
        if end {
            punct_at(j) || (space && punct_at(j + 1))
        } else {
            space && b.get(j + 1).is_some_and(u8::is_ascii_lowercase)
        }
    };
    cands
        .iter()
        .copied()
        .filter(|&k| shape(k) && digit_before(k))
        .collect()
}

/// The matches of `re` ([`NUM_CAP`] or [`NUM_CAP_END`]) in order, the same as
/// `re.captures_iter(text)`, but the regex only searches near the [`candidates`]: a match starts
/// at most 40 bytes before its candidate (one character and nine digits) and never runs past the
/// end of the candidate's line, so the leftmost match from the last match's end is the leftmost
/// match from 40 bytes before the next candidate, within that line.
fn captures_near<'t>(
    re: &Regex,
    text: &'t str,
    cands: &[usize],
    mut f: impl FnMut(regex::Captures<'t>),
) {
    let mut pos = 0;
    let mut ci = 0;
    while ci < cands.len() {
        let k = cands[ci];
        if k < pos {
            ci += 1;
            continue;
        }
        let mut s = k.saturating_sub(40).max(pos);
        while !text.is_char_boundary(s) {
            s -= 1;
        }
        let line_end = memchr::memchr(b'\n', &text.as_bytes()[k..]).map_or(text.len(), |i| k + i);
        match re.captures_at(&text[..line_end], s) {
            Some(c) => {
                pos = c.get(0).map_or(line_end, |m| m.end().max(pos + 1));
                f(c);
            }
            // No match starts before the line's end: skip its candidates.
            None => {
                while ci < cands.len() && cands[ci] < line_end {
                    ci += 1;
                }
            }
        }
    }
}

/// A measure-word drop that also writes a bare number of four or more digits with thousands
/// separators (it is part of the repaired span): "9150 Name , " -> "9,150 , ".
fn drop_measure(text: &str, num: regex::Match<'_>, cut: Span) -> (Span, String) {
    let n = num.as_str();
    match Dec::parse(n) {
        Some(v) if n.len() >= 4 => {
            let keep = &text[num.end()..cut.start];
            (
                Span::new(num.start(), cut.end),
                format!("{}{keep}", v.plain()),
            )
        }
        _ => (cut, String::new()),
    }
}

fn at_sentence_start(text: &str, pos: usize) -> bool {
    match prev_char_skip_spaces(text, pos) {
        None => true,
        Some((_, c)) => is_sentence_end(c) || matches!(c, '“' | '"' | '(' | '（'),
    }
}

impl Rule for CountedNoun {
    fn id(&self) -> &'static str {
        "zh_en/counted-noun"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::CountedNoun
    }
    fn describe(&self) -> &'static str {
        "Moves or drops a stray article, quantifier or measure word between a number and its noun"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "Shanghai said 6 All districts met the standard.",
            "Shanghai said all 6 districts met the standard.",
        )
    }
    fn scope(&self) -> Scope {
        Scope::ZhEn
    }
    fn priority(&self) -> u8 {
        30
    }
    fn line_local(&self) -> bool {
        true
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        let text = doc.text;
        let cands = number_candidates(text, number_spaces(doc));
        captures_near(&NUM_CAP_END, text, &fitting(text, &cands, true), |c| {
            let (num, cap) = (c.get(1).unwrap(), c.get(2).unwrap());
            if self.alone.contains(cap.as_str()) {
                let (span, with) = drop_measure(text, num, Span::new(num.end(), cap.end()));
                out.push(Finding::fix(
                    self.id(),
                    self.kind(),
                    span,
                    with,
                    Confidence::Likely,
                    format!("measure word {:?} with the noun left out", cap.as_str()),
                ));
            }
        });
        captures_near(&NUM_CAP, text, &fitting(text, &cands, false), |c| {
            let (num, cap, noun) = (c.get(1).unwrap(), c.get(2).unwrap(), c.get(3).unwrap());
            let noun_w = word_at(text, noun.start());
            let noun_end = noun.start() + noun_w.len();
            let plural = self.common.singular_of(noun_w).is_some();
            match cap.as_str() {
                "All" if plural || self.plural_head_follows(text, noun.end().max(noun_end)) => {
                    let all = if at_sentence_start(text, num.start()) {
                        "All"
                    } else {
                        "all"
                    };
                    out.push(Finding::fix(
                        self.id(),
                        self.kind(),
                        Span::new(num.start(), cap.end()),
                        format!("{all} {}", num.as_str()),
                        Confidence::Likely,
                        "\"N All things\" -> \"all N things\"",
                    ));
                }
                "The" if plural && num.as_str() != "1" => {
                    out.push(Finding::fix(
                        self.id(),
                        self.kind(),
                        Span::new(cap.start(), noun.start()),
                        "",
                        Confidence::Likely,
                        "stray article between a number and its noun",
                    ));
                }
                "The" => {
                    out.push(Finding::flag(
                        self.id(),
                        ArtifactKind::Other,
                        Span::new(num.start(), noun_end),
                        "number followed by a capitalized article: scrambled word order",
                    ));
                }
                "A" | "An" if num.as_str() != "1" => {
                    // Only a noun that ends the phrase: "10000 A laptop ," (not "A laptop bag").
                    let next = text[noun_end..].trim_start_matches(' ').chars().next();
                    let ends = next.map_or(true, |ch| ",.;:!?、，。；)）\n".contains(ch));
                    match self.common.plural_of(noun_w) {
                        Some(p) if ends && !plural && self.common.contains(noun_w) => {
                            out.push(Finding::multi(
                                self.id(),
                                self.kind(),
                                vec![(Span::new(cap.start(), noun_end), p)],
                                Confidence::Likely,
                                "\"N A thing\" -> \"N things\"",
                            ))
                        }
                        _ => {}
                    }
                }
                m => {
                    let Some(keep) = self.measures.get(m) else {
                        return;
                    };
                    // The plural head may come after up to two modifier words ("45 Platform
                    // combine harvesters"); none of the words may make the measure word a real
                    // modifier ("12 Individual retail investors").
                    let drop = match self.head_words(text, noun.start()) {
                        Some(ws) => !ws.iter().any(|w| keep.contains(&w.to_lowercase())),
                        None => false,
                    };
                    if drop {
                        let (span, with) =
                            drop_measure(text, num, Span::new(cap.start(), noun.start()));
                        out.push(Finding::fix(
                            self.id(),
                            self.kind(),
                            span,
                            with,
                            Confidence::Likely,
                            format!("measure word rendered as {m:?}"),
                        ));
                    }
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::{
        candidates, captures_near, fitting, may_have_wide_digit, number_candidates, NUM_CAP,
        NUM_CAP_END,
    };
    use crate::rules::testing::{assert_clean, assert_fixes, assert_flags};
    use crate::ArtifactKind;

    /// (whole match, every group) of each match, as `captures_near` and `captures_iter` see them.
    fn both(t: &str) {
        let b = t.as_bytes();
        let naive: Vec<usize> = (1..b.len().saturating_sub(1))
            .filter(|&k| {
                b[k] == b' '
                    && b[k + 1].is_ascii_uppercase()
                    && (b[k - 1].is_ascii_digit() || b[k - 1] >= 0x80)
            })
            .collect();
        assert_eq!(candidates(t), naive, "{t:?}");
        // The shared number spaces give the same fitting candidates, save spaces after
        // non-ASCII characters that are not digits (no match ends its number there).
        let wide = regex::Regex::new(r"\d$").unwrap();
        let digit_before = |k: usize| wide.is_match(&t[..k]);
        let from_spaces = number_candidates(t, &crate::rules::zh_en::words::number_spaces(t));
        for end in [false, true] {
            let old: Vec<usize> = fitting(t, &candidates(t), end)
                .into_iter()
                .filter(|&k| digit_before(k))
                .collect();
            let new: Vec<usize> = fitting(t, &from_spaces, end)
                .into_iter()
                .filter(|&k| digit_before(k))
                .collect();
            assert_eq!(new, old, "{t:?}");
        }
        for (re, end) in [(&*NUM_CAP, false), (&*NUM_CAP_END, true)] {
            let key = |c: regex::Captures<'_>| -> Vec<Option<(usize, usize)>> {
                c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect()
            };
            let mut near = Vec::new();
            let mut near_all = Vec::new();
            captures_near(re, t, &candidates(t), |c| near_all.push(key(c)));
            let mut near_shared = Vec::new();
            let spaces = crate::rules::zh_en::words::number_spaces(t);
            captures_near(
                re,
                t,
                &fitting(t, &number_candidates(t, &spaces), end),
                |c| near_shared.push(key(c)),
            );
            captures_near(re, t, &fitting(t, &candidates(t), end), |c| {
                near.push(key(c))
            });
            let all: Vec<_> = re.captures_iter(t).map(key).collect();
            assert_eq!(near_all, all, "{re} on {t:?}");
            assert_eq!(near, all, "{re} on {t:?} (fitting candidates)");
            assert_eq!(near_shared, all, "{re} on {t:?} (shared number spaces)");
        }
    }

    #[test]
    fn local_search_finds_what_the_regex_finds() {
        for t in crate::rules::testing::fixture_texts() {
            both(&t);
        }
        for t in [
            "",
            "5 All people",
            "5 All people 6 The measures 7 Home enterprises, 8 Name ,",
            "x5 All people\n5 All\n people 123456789 The cats 1234567890 The cats",
            "５ The cats ٣٣٣٣٣٣٣٣٣ The cats ,12 The cats %3 The cats .4 The cats é5 The cats",
            "9150 Name , 3 Name。4 Name ；5 Name， 6 Name;",
        ] {
            both(t);
        }
    }

    /// Every character `\d` matches beyond ASCII is seen by the wide-digit check.
    #[test]
    fn wide_digits_are_seen() {
        let d = regex::Regex::new(r"^\d$").unwrap();
        let mut n = 0;
        for c in (0x80..=0x10FFFFu32).filter_map(char::from_u32) {
            let s = c.to_string();
            if d.is_match(&s) {
                n += 1;
                assert!(may_have_wide_digit(&s), "{c:?}");
                assert!(may_have_wide_digit(&format!("ab {s} Cd")), "{c:?}");
            }
        }
        assert!(n > 500);
        assert!(!may_have_wide_digit(
            "5 Name，“ The ” 。（x）：；！ é Ω 中文"
        ));
    }

    const PIECES: &[&str] = &[
        " ", " ", "\n", "5", "12", "５", "٣", "x", "é", ",", ".", "%", "(", "The", "All", "A",
        "Home", "Name", "cats", "people", "-", "，", "。", "\u{3000}", "１", "：", "²", "①",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn local_search_on_generated_text(t in crate::rules::testing::text_from(PIECES, 40)) {
            both(&t);
        }
    }

    const R: &[&str] = &["zh_en/counted-noun"];

    #[test]
    fn fixes() {
        assert_fixes(
            R,
            "Shanghai announced 6 All districts meet it.",
            "Shanghai announced all 6 districts meet it.",
        );
        assert_fixes(R, "6 All districts meet it.", "All 6 districts meet it.");
        // The plural head may come after modifier words.
        assert_fixes(
            R,
            "The province has 21 All prefecture-level cities now.",
            "The province has all 21 prefecture-level cities now.",
        );
        assert_fixes(
            R,
            "It named 4 All new pilot zones.",
            "It named all 4 new pilot zones.",
        );
        assert_fixes(
            R,
            "It supports credit repair, etc 12 The measures.",
            "It supports credit repair, etc 12 measures.",
        );
        assert_fixes(
            R,
            "The vehicle carries a super 10000 A laptop , and leaves.",
            "The vehicle carries a super 10000 laptops , and leaves.",
        );
        assert_fixes(
            R,
            "There are 300 Home enterprises here.",
            "There are 300 enterprises here.",
        );
        assert_fixes(
            R,
            "It has 12 Individual projects and 500 Name employees.",
            "It has 12 projects and 500 employees.",
        );
        assert_fixes(
            R,
            "They sent 8 Platform excavators.",
            "They sent 8 excavators.",
        );
        // The plural head after one or two modifier words.
        for (input, want) in [
            (
                "The county sent 30 Platform crop spraying drones.",
                "The county sent 30 crop spraying drones.",
            ),
            (
                "It launched 9 Individual demonstration farm zones.",
                "It launched 9 demonstration farm zones.",
            ),
            (
                "Crews moved 120 Table diesel generators and 14 Ship rescue boats.",
                "Crews moved 120 diesel generators and 14 rescue boats.",
            ),
            (
                "The fair drew 25 Home tea exporters.",
                "The fair drew 25 tea exporters.",
            ),
            (
                "The town called up 80 Name militia.",
                "The town called up 80 militia.",
            ),
            ("They bought 300 Head cattle.", "They bought 300 cattle."),
            (
                "It built 2000 Set affordable homes.",
                "It built 2,000 affordable homes.",
            ),
            ("They drilled 12 Mouth wells.", "They drilled 12 wells."),
            (
                "It hired 1500 Name nurses and 25000 Individual firms , too.",
                "It hired 1,500 nurses and 25,000 firms , too.",
            ),
            (
                "The college admits 4200 Name , up 3%.",
                "The college admits 4,200 , up 3%.",
            ),
            // A classifier of people with the noun left out.
            ("It set up 8 Individual .", "It set up 8 ."),
        ] {
            assert_fixes(R, input, want);
        }
    }

    #[test]
    fn leaves_alone() {
        // No plural noun within reach: "All" may start a title or a name.
        assert_clean(R, "He scored 3 All Stars.");
        assert_clean(R, "Chapter 3 All about the money trail.");
        for t in [
            "Japan's exports rose 5% in May.",
            "There are 3 Japanese companies and 12 Chinese cities.",
            "The band 3 Doors Down played.",
            "It sold 300 Home appliances.",
            "The 12 Individual investors met.",
            "It has 10000 A laptop bags.",
            "Only 1 The day.",
            "It rose 5 All right.",
            // A keep-listed word anywhere up to the head.
            "The 12 Individual retail investors met.",
            "It trained 40 Home health aides.",
            "They fixed 3 Root cause problems.",
            "It ordered 50 Set top boxes.",
            "He won 3 Table tennis titles.",
            "It hired 4 Head coaches.",
            // No plural head within three words, or not a people classifier when alone.
            "It sent 45 Platform combine operator training.",
            "Trains leave from 6 Platform , the guard said.",
            "Stop 5 Home , then turn left.",
            "It sold 5 Only children books.",
            "The 5 Layer buildings stand.",
        ] {
            assert_clean(R, t);
        }
    }

    #[test]
    fn flags_scrambled_order() {
        assert_flags(
            R,
            "“company 3 The smart factory network platform launched in January.”",
            ArtifactKind::Other,
        );
        assert_flags(
            R,
            "undertakes the daily work 1200 The catering task of more than people.",
            ArtifactKind::Other,
        );
    }
}
