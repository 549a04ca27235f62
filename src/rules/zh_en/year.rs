//! `zh_en/year`: a year followed by the word "year" (年), outside a full date.
//!
//! **What it fixes.**
//! - after a preposition: "in 2022 year" -> "in 2022", "at the end of 2021 year" -> "at the end
//!   of 2021";
//! - a year that opens a sentence or clause, followed by a comma: "2022 year , the city's GDP"
//!   -> "In 2022, the city's GDP" (", 2022 year ," -> ", in 2022,").
//!
//! **Why.** Engines render 2022年 word for word; full dates ("2022 year 5 month 3 day") belong
//! to `zh_en/date`, which this rule leaves alone.
//!
//! **Flagged, not fixed.** Any other "YYYY year" ("the 2022 year plan"): the right words depend
//! on the sentence.
//!
//! **Not touched.** "the year 2022", "2022 year-end", "2022 years", "a 2022 year-on-year rise".

use std::sync::LazyLock;

use regex::Regex;

use crate::dict::Dictionaries;
use crate::rules::structure::shared;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::{ArtifactKind, Confidence, Span};

pub struct Year;

pub fn build(_: &Dictionaries) -> Box<dyn Rule> {
    Box::new(Year)
}

/// A four-digit year, " year", and what follows (to tell dates and "year-end" apart).
static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b((?:1[89]|20)\d\d) year\b(-|s\b|'s\b| \d| month\b)?( ?,)?").unwrap()
});

const PREPOSITIONS: &[&str] = &[
    "in",
    "of",
    "since",
    "by",
    "until",
    "till",
    "before",
    "after",
    "from",
    "to",
    "during",
    "for",
    "throughout",
    "In",
    "Of",
    "Since",
    "By",
    "Until",
    "Before",
    "After",
    "From",
    "During",
    "For",
];

/// Whether [`YEAR`] may match the view's text: its four digits end with an ASCII digit run
/// and a space before "year" (a shared number space), unless a non-ASCII digit ends them.
fn may_match(doc: &DocView<'_>) -> bool {
    if shared::digit_before_non_ascii(doc) {
        return doc.text.contains(" year");
    }
    let b = doc.text.as_bytes();
    shared::number_spaces(doc)
        .iter()
        .any(|&e| b[e + 1..].starts_with(b"year"))
}

/// The word before `pos` and where it starts.
fn word_before(t: &str, pos: usize) -> Option<(usize, &str)> {
    let head = t[..pos].trim_end_matches(' ');
    let start = head
        .rfind(|c: char| !c.is_ascii_alphabetic())
        .map_or(0, |i| i + 1);
    (start < head.len()).then(|| (start, &head[start..]))
}

/// The character before `pos`, skipping spaces.
fn char_before(t: &str, pos: usize) -> Option<char> {
    t[..pos].trim_end_matches(' ').chars().next_back()
}

impl Rule for Year {
    fn id(&self) -> &'static str {
        "zh_en/year"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Date
    }
    fn describe(&self) -> &'static str {
        "Drops the literal \"year\" after a year (2022年) and opens a sentence with \"In 2022,\""
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "GDP grew. 2022 year , exports rose.",
            "GDP grew. In 2022, exports rose.",
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
        let t = doc.text;
        if !may_match(doc) {
            return;
        }
        for c in YEAR.captures_iter(t) {
            if c.get(2).is_some() {
                continue; // a full date, "year-end", "years", "2022 year's", "2022 year 5 ..."
            }
            let m = c.get(0).unwrap();
            let year = c.get(1).unwrap();
            let year_end = year.end() + " year".len();
            if word_before(t, m.start()).is_some_and(|(_, w)| PREPOSITIONS.contains(&w)) {
                out.push(Finding::fix(
                    self.id(),
                    self.kind(),
                    Span::new(year.end(), year_end),
                    "",
                    Confidence::Certain,
                    "literal \"year\" after a year",
                ));
                continue;
            }
            let opens = match char_before(t, m.start()) {
                None | Some('\n') | Some('.') | Some('!') | Some('?') => Some("In"),
                Some(',') | Some(';') => Some("in"),
                _ => None,
            };
            match (opens, c.get(3)) {
                (Some(word), Some(comma)) => out.push(Finding::fix(
                    self.id(),
                    self.kind(),
                    Span::new(year.start(), comma.end()),
                    format!("{word} {},", year.as_str()),
                    Confidence::Likely,
                    "a year opening a clause: \"In YYYY,\"",
                )),
                _ => out.push(Finding::flag(
                    self.id(),
                    self.kind(),
                    Span::new(year.start(), year_end),
                    "literal \"year\" after a year; the wording depends on the sentence",
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixes, assert_flags};
    use crate::ArtifactKind;

    const R: &[&str] = &["zh_en/year"];

    /// The gate lets through every text the regex matches.
    fn gate_holds(t: &str) {
        let config = crate::Config::default();
        let profile = crate::Profile::compute(t, &config);
        let doc = crate::rules::DocView::first_pass(t, &profile, &config);
        if super::YEAR.is_match(t) {
            assert!(super::may_match(&doc), "{t:?}");
        }
    }

    #[test]
    fn gate_lets_matches_through() {
        for t in crate::rules::testing::fixture_texts() {
            gate_holds(&t);
        }
        for t in [
            "2022 year",
            "x 20２２ year",
            "in 202٣ year",
            "1999 year,",
            "2022year",
        ] {
            gate_holds(t);
        }
    }

    const PIECES: &[&str] = &[
        " ", "\n", "20", "19", "2", "1", "9", "２", "٣", "year", "years", "-", ",", "x", "é", "in",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn gate_on_generated_text(t in crate::rules::testing::text_from(PIECES, 12)) {
            gate_holds(&t);
        }
    }

    #[test]
    fn fixes() {
        assert_fixes(R, "The plan ends in 2025 year.", "The plan ends in 2025.");
        assert_fixes(
            R,
            "At the end of 2021 year the fund closed.",
            "At the end of 2021 the fund closed.",
        );
        assert_fixes(
            R,
            "GDP grew. 2022 year , exports rose.",
            "GDP grew. In 2022, exports rose.",
        );
        assert_fixes(R, "2022 year, exports rose.", "In 2022, exports rose.");
        assert_fixes(
            R,
            "It said , 2022 year , exports rose.",
            "It said , in 2022, exports rose.",
        );
        assert_fixes(
            R,
            "Since 2019 year output doubled.",
            "Since 2019 output doubled.",
        );
    }

    #[test]
    fn leaves_alone() {
        for t in [
            "In the year 2022, exports rose.",
            "The 2022 year-end bonus was paid.",
            "Sales rose 12% year on year in 2022.",
            "She worked there for 2022 years, said the legend.",
            "The 2022 year's results were strong.",
            "On 2022 year 5 month 3 day the fair opened.",
            "It happened in 2022, a year of change.",
        ] {
            assert_clean(R, t);
        }
    }

    #[test]
    fn flags_other_forms() {
        assert_flags(R, "The 2022 year plan was approved.", ArtifactKind::Date);
    }
}
