//! `zh_en/missing-figure`, `zh_en/yuan-dollar`, `zh_en/first-person-place`: artifacts that are
//! detected but cannot be repaired (the right text is unknowable), so they are flagged and nothing
//! changes.
//!
//! - **missing-figure**: a percent sign with its number lost ("an increase of%", "rose by %").
//! - **yuan-dollar**: a "$" amount in a sentence about yuan/RMB (the engine rendered 元 as "$").
//! - **scrambled-order**: a number followed by "I" ("Just use 2 I got the license within days").
//! - **first-person-place**: 我市/我省/我区 rendered as "I city", "I province" ("our city" meant).
//!
//! **Not flagged.** "5%", "$5 billion" with no yuan nearby, the pronoun "I" before a verb.

use std::sync::LazyLock;

use regex::Regex;

/// `re.find_iter(text)` as spans.
fn all_matches(re: &Regex, text: &str) -> Vec<(usize, usize)> {
    re.find_iter(text).map(|m| (m.start(), m.end())).collect()
}

/// [`MISSING_FIGURE`]'s matches: each ends at its only "%", at most 10 bytes after its start
/// ("decrease %").
fn percent_matches(re: &Regex, text: &str) -> Vec<(usize, usize)> {
    matches_ending_with(re, text, b'%', 12)
}

/// `re.find_iter(text)` as spans, for a regex whose every match ends with the byte `last` (which
/// occurs nowhere else in a match) and is at most `max_len` bytes long: the regex runs only just
/// before each occurrence of `last`. `find_at` keeps the text before the window as context (word
/// boundaries), and the text after `last` is not needed: nothing is matched past it.
fn matches_ending_with(re: &Regex, text: &str, last: u8, max_len: usize) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut done = 0;
    for p in memchr::memchr_iter(last, text.as_bytes()) {
        let hay = &text[..p + 1];
        let mut from = p.saturating_sub(max_len);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        // A match that starts in the window and ends before `p` would end at an earlier `last`,
        // whose own window found it (or found none there): the first match is the one, if any.
        if let Some(m) = re.find_at(hay, from.max(done)) {
            if m.end() == p + 1 {
                found.push((m.start(), m.end()));
                done = m.end();
            }
        }
    }
    found
}

use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::{ArtifactKind, Span};

macro_rules! flag_rule {
    ($ty:ident, $build:ident, $id:literal, $kind:expr, $desc:literal, $ex:literal, $re:ident, $find:path, $msg:literal) => {
        pub struct $ty;
        pub fn $build(_: &Dictionaries) -> Box<dyn Rule> {
            Box::new($ty)
        }
        impl Rule for $ty {
            fn id(&self) -> &'static str {
                $id
            }
            fn kind(&self) -> ArtifactKind {
                $kind
            }
            fn describe(&self) -> &'static str {
                $desc
            }
            fn example(&self) -> (&'static str, &'static str) {
                ($ex, $ex)
            }
            fn scope(&self) -> Scope {
                Scope::ZhEn
            }
            fn line_local(&self) -> bool {
                true
            }
            fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
                for (s, e) in $find(&$re, doc.text) {
                    if self.accept(doc.text, s, e) {
                        out.push(Finding::flag(self.id(), self.kind(), Span::new(s, e), $msg));
                    }
                }
            }
        }
    };
}

static MISSING_FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:of|by|to|at|from|about|around|over|reached|increase|decrease|rate|than)[ \t]?%",
    )
    .unwrap()
});
static DOLLAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\$[ \t]?\d").unwrap());
static YUAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:yuan|rmb|cny|renminbi)\b").unwrap());
static I_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bI (?:city|province|district|county|town|township|village|municipality|bureau|hospital|school|company|unit|committee|office)\b").unwrap()
});

flag_rule!(
    MissingFigure,
    build_missing_figure,
    "zh_en/missing-figure",
    ArtifactKind::MissingValue,
    "Flags a percent sign whose number was lost (\"an increase of%\")",
    "Sales saw an increase of% this year.",
    MISSING_FIGURE,
    percent_matches,
    "percent sign without its number"
);
flag_rule!(
    YuanDollar,
    build_yuan_dollar,
    "zh_en/yuan-dollar",
    ArtifactKind::Currency,
    "Flags \"$\" amounts in sentences about yuan (元 rendered as dollars)",
    "The fund of $5 million yuan was set up.",
    DOLLAR,
    all_matches,
    "\"$\" in a sentence about yuan: the currency may be wrong"
);
flag_rule!(
    FirstPersonPlace,
    build_first_person_place,
    "zh_en/first-person-place",
    ArtifactKind::Other,
    "Flags 我市/我省 rendered as \"I city\", \"I province\" (\"our city\" meant)",
    "I city will build 3 parks.",
    I_PLACE,
    all_matches,
    "\"I city\": 我市 means \"our city\""
);

static NUM_I: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b\d+ I [a-z]+").unwrap());

flag_rule!(ScrambledOrder, build_scrambled_order, "zh_en/scrambled-order", ArtifactKind::Other,
    "Flags a number followed by the pronoun \"I\" (\"Just use 2 I got the license within days\"): a clause the engine reordered",
    "Just use 2 I got the license within days.", NUM_I, all_matches, "number followed by \"I\": scrambled word order");

impl ScrambledOrder {
    fn accept(&self, _: &str, _: usize, _: usize) -> bool {
        true
    }
}

impl MissingFigure {
    fn accept(&self, _: &str, _: usize, _: usize) -> bool {
        true
    }
}

impl YuanDollar {
    fn accept(&self, text: &str, s: usize, e: usize) -> bool {
        // The sentence around the amount mentions yuan.
        // Past the end mark, which may be the 3-byte '。' (found by the fuzzer: a slice inside it).
        let ss = text[..s]
            .char_indices()
            .rev()
            .find(|&(_, c)| matches!(c, '.' | '\n' | '。'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let se = text[e..]
            .find(['.', '\n', '。'])
            .map_or(text.len(), |i| e + i);
        YUAN.is_match(&text[ss..se])
    }
}

impl FirstPersonPlace {
    fn accept(&self, text: &str, _: usize, e: usize) -> bool {
        !text[e..].starts_with('-')
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_flags, clean_with};
    use proptest::prelude::*;

    const PERCENT_PIECES: &[&str] = &[
        "of", "by", "to", "increase", "decrease", "than", "rate", "reached", "%", " ", "\t", "é",
        "x", "5", "_", "中", "%%", "of%", "\n",
    ];

    proptest! {
        /// The windowed search finds exactly the regex's own matches.
        #[test]
        fn missing_figure_windows_find_what_the_regex_finds(
            text in crate::rules::testing::text_from(PERCENT_PIECES, 40)
        ) {
            let want = super::all_matches(&super::MISSING_FIGURE, &text);
            prop_assert_eq!(super::percent_matches(&super::MISSING_FIGURE, &text), want);
        }
    }

    #[test]
    fn missing_figure_windows_on_edges() {
        for text in [
            "of%",
            "%of %",
            "increase %%",
            "éof%",
            "xof %",
            "decrease\t%",
            "中of%",
        ] {
            assert_eq!(
                super::percent_matches(&super::MISSING_FIGURE, text),
                super::all_matches(&super::MISSING_FIGURE, text),
                "{text:?}"
            );
        }
        assert_eq!(
            super::all_matches(&super::MISSING_FIGURE, "rose by %").len(),
            1
        );
    }

    fn assert_no_flag(rule: &str, text: &str) {
        let out = clean_with(&[rule], text);
        assert!(
            out.flags.is_empty() && out.edits.is_empty(),
            "{text:?}: {:?}",
            out.flags
        );
    }
    use crate::ArtifactKind;

    #[test]
    fn flags() {
        assert_flags(
            &["zh_en/missing-figure"],
            "Revenue saw an increase of% year on year.",
            ArtifactKind::MissingValue,
        );
        assert_flags(
            &["zh_en/yuan-dollar"],
            "It invested $ 3 billion, or 3 billion yuan, in May.",
            ArtifactKind::Currency,
        );
        assert_flags(
            &["zh_en/first-person-place"],
            "I city has built 3 new parks.",
            ArtifactKind::Other,
        );
        assert_flags(
            &["zh_en/scrambled-order"],
            "Just use 2 I got the license within days.",
            ArtifactKind::Other,
        );
    }

    #[test]
    fn sentence_after_an_ideographic_full_stop() {
        // Found by the fuzzer (fixtures/fuzz): the sentence start fell inside '。' and panicked.
        assert_flags(
            &["zh_en/yuan-dollar"],
            "预计。It invested $ 3 billion, or 3 billion yuan.",
            ArtifactKind::Currency,
        );
        assert_no_flag("zh_en/yuan-dollar", "。)pac)neA$1 aah");
        assert_no_flag(
            "zh_en/yuan-dollar",
            "3 billion yuan。Apple earned $5 billion.",
        );
    }

    #[test]
    fn leaves_alone() {
        assert_no_flag(
            "zh_en/missing-figure",
            "Japan's exports rose 5% in May, up 3 % on the year.",
        );
        assert_no_flag(
            "zh_en/yuan-dollar",
            "Apple earned $5 billion. The yuan fell.",
        );
        assert_no_flag(
            "zh_en/scrambled-order",
            "In 2 weeks I got the license; I 2 got.",
        );
        assert_no_flag(
            "zh_en/first-person-place",
            "I think the city is fine. I county-hopped.",
        );
    }
}
