//! `zh_en/unit-number`: numbers with Chinese units, written out.
//!
//! **What it fixes.** A number followed by an engine's rendering of 万 (10^4), 十万, 百万, 千万 or
//! 亿 (10^8), and Chinese-style compounds of English scale words:
//! "23 Thousands of pieces" -> "230,000 pieces", "3.5 Ten thousand yuan" -> "35,000 yuan",
//! "1.2 One hundred million yuan" -> "120 million yuan", "45 billion 651 million yuan" ->
//! "45.651 billion yuan", "558 thousand and 780 hectares" -> "558,780 hectares". A dangling "of"
//! left by the unit ("more than 23 Thousands of pieces of .") goes with it.
//!
//! **Why.** Chinese counts in units of ten thousand; engines translate the unit word by word.
//!
//! **How numbers are written.** Exactly (see [`super::numeral`]): below a million with thousands
//! separators; from a million as "120 million" / "45.651 billion" when that takes at most three
//! decimals, else all digits with separators. Results of 10^15 or more (or that overflow) are
//! flagged, not written.
//!
//! **Not touched.** "Thousands of people gathered" (no number), "23 thousand" (English already),
//! "In 2022 Thousands of people" (a year before "Thousands of": flagged). Unit phrases are data:
//! `dictionaries/zh_en/units.tsv`.

use regex::Regex;

use super::numeral::{
    char_at, number_starts_cleanly, word_after, word_ends, Dec, MAX_PLAUSIBLE_POW10,
};
use super::words::AfterNumber;
use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::{ArtifactKind, Confidence, Span};

const ID: &str = "zh_en/unit-number";

/// A number as text: "23", "3.5", "1,200".
pub const NUM: &str = r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?";

const SCALE_WORDS: [&str; 5] = ["hundred", "thousand", "million", "billion", "trillion"];

pub struct UnitNumber {
    /// Chinese unit renderings with their power of ten.
    units: Vec<(String, u32)>,
    /// English scale words with their power of ten.
    scales: Vec<(String, u32)>,
    prefilter: Option<AfterNumber>,
    unit_re: Option<Regex>,
    compound_re: Option<Regex>,
}

fn alternation(words: &[(String, u32)]) -> String {
    let mut w: Vec<&str> = words.iter().map(|(s, _)| s.as_str()).collect();
    w.sort_by_key(|s| std::cmp::Reverse(s.len()));
    w.iter()
        .map(|s| regex::escape(s))
        .collect::<Vec<_>>()
        .join("|")
}

pub fn build(d: &Dictionaries) -> Box<dyn Rule> {
    let mut units = Vec::new();
    let mut scales = Vec::new();
    for r in d.rows("zh_en/units") {
        let Ok(p) = r.get(1).parse::<u32>() else {
            continue;
        };
        if r.get(0).is_empty() || p == 0 || p > 12 {
            continue;
        }
        match r.get(2) {
            "chinese" => units.push((r.get(0).to_string(), p)),
            "scale" => scales.push((r.get(0).to_string(), p)),
            _ => {}
        }
    }
    let words: Vec<&str> = units
        .iter()
        .chain(&scales)
        .map(|(s, _)| s.as_str())
        .collect();
    // Every finding is a number, a space and a unit or scale word.
    let prefilter = AfterNumber::new(&words);
    let unit_re = (!units.is_empty())
        .then(|| Regex::new(&format!(r"(?P<n>{NUM}) (?P<u>{})", alternation(&units))).ok())
        .flatten();
    let compound_re = (!scales.is_empty())
        .then(|| {
            let s = alternation(&scales);
            Regex::new(&format!(
                r"(?P<a>[0-9]+) (?P<s1>{s})(?P<and> and)? (?P<b>[0-9]{{1,3}})(?: (?P<s2>{s}))?"
            ))
            .ok()
        })
        .flatten();
    Box::new(UnitNumber {
        units,
        scales,
        prefilter,
        unit_re,
        compound_re,
    })
}

fn power(list: &[(String, u32)], w: &str) -> Option<u32> {
    list.iter().find(|(s, _)| s == w).map(|(_, p)| *p)
}

/// The span of a dangling " of" after the counted word: "pieces of ." -> delete " of" (and the
/// spaces before the punctuation).
fn dangling_of(t: &str, after_unit: usize) -> Option<Span> {
    let (_, wend, _) = word_after(t, after_unit)?;
    let rest = &t[wend..];
    let of = rest.strip_prefix(" of")?;
    let trimmed = of.trim_start_matches(' ');
    match trimmed.chars().next() {
        None | Some('.' | ',' | ';' | '!' | '?' | '\n') => {
            Some(Span::new(wend, wend + (rest.len() - trimmed.len())))
        }
        _ => None,
    }
}

impl UnitNumber {
    fn check_units(&self, t: &str, out: &mut Vec<Finding>) {
        let Some(re) = &self.unit_re else { return };
        for c in re.captures_iter(t) {
            let (n, u) = (c.name("n").unwrap(), c.name("u").unwrap());
            if !number_starts_cleanly(t, n.start()) || !word_ends(t, u.end()) {
                continue;
            }
            // "1,200.5.3 Ten thousand" and the like: the number runs on.
            if char_at(t, n.end()).is_some_and(|ch| ch != ' ') {
                continue;
            }
            let Some(p) = power(&self.units, u.as_str()) else {
                continue;
            };
            let span = Span::new(n.start(), u.end());
            let looks_like_year = n.as_str().len() == 4
                && !n.as_str().contains('.')
                && (1900..=2100).contains(&n.as_str().parse::<u32>().unwrap_or(0));
            if looks_like_year && u.as_str().ends_with(" of") {
                out.push(Finding::flag(
                    ID,
                    ArtifactKind::Number,
                    span,
                    "a year or a count before a Chinese unit?",
                ));
                continue;
            }
            let value = Dec::parse(n.as_str()).and_then(|d| d.shift(p));
            let Some(value) = value.filter(|v| v.below_pow10(MAX_PLAUSIBLE_POW10)) else {
                out.push(Finding::flag(
                    ID,
                    ArtifactKind::Number,
                    span,
                    "number with a Chinese unit too large to write out",
                ));
                continue;
            };
            let mut parts = vec![(span, value.styled())];
            if u.as_str().ends_with(" of") {
                if let Some(of) = dangling_of(t, u.end()) {
                    parts.push((of, String::new()));
                }
            }
            out.push(Finding::multi(
                ID,
                ArtifactKind::Number,
                parts,
                Confidence::Certain,
                format!("{:?} is a Chinese unit (x10^{p})", u.as_str()),
            ));
        }
    }

    fn check_compounds(&self, t: &str, out: &mut Vec<Finding>) {
        let Some(re) = &self.compound_re else { return };
        for c in re.captures_iter(t) {
            let (a, s1, b) = (
                c.name("a").unwrap(),
                c.name("s1").unwrap(),
                c.name("b").unwrap(),
            );
            let s2 = c.name("s2");
            let end = s2.map_or(b.end(), |m| m.end());
            if !number_starts_cleanly(t, a.start()) || !word_ends(t, s1.end()) || !word_ends(t, end)
            {
                continue;
            }
            // "2 thousand and 300.5", "2 thousand and 3,000": the second number runs on.
            if matches!(&t.as_bytes()[b.end()..], [b'.' | b',', d, ..] if d.is_ascii_digit()) {
                continue;
            }
            let (Some(p1), p2) = (
                power(&self.scales, s1.as_str()),
                s2.and_then(|m| power(&self.scales, m.as_str())),
            ) else {
                continue;
            };
            let p2 = p2.unwrap_or(0);
            // "and" only in "558 thousand and 780"; "2 million and 300 thousand" may be a list.
            if c.name("and").is_some() && (s2.is_some() || p1 != 3) {
                continue;
            }
            if s2.is_none() {
                // Only "558 thousand and 780" folds without a second scale word, and not when a
                // scale word follows ("2 thousand and 3 hundred").
                if p1 != 3 {
                    continue;
                }
                if let Some((_, _, w)) = word_after(t, end) {
                    if SCALE_WORDS.contains(&w.to_ascii_lowercase().as_str()) {
                        continue;
                    }
                }
            }
            if p2 >= p1 {
                continue;
            }
            let (Some(av), Some(bv)) = (Dec::parse(a.as_str()), Dec::parse(b.as_str())) else {
                continue;
            };
            if !bv.below_pow10(p1 - p2) {
                continue;
            }
            let value = av
                .shift(p1)
                .and_then(|x| bv.shift(p2).and_then(|y| x.add(y)));
            let span = Span::new(a.start(), end);
            let Some(value) = value.filter(|v| v.below_pow10(MAX_PLAUSIBLE_POW10)) else {
                out.push(Finding::flag(
                    ID,
                    ArtifactKind::Number,
                    span,
                    "compound number too large to write out",
                ));
                continue;
            };
            out.push(Finding::fix(
                ID,
                ArtifactKind::Number,
                span,
                value.styled(),
                if s2.is_some() {
                    Confidence::Certain
                } else {
                    Confidence::Likely
                },
                "Chinese-style compound number",
            ));
        }
    }
}

impl Rule for UnitNumber {
    fn id(&self) -> &'static str {
        ID
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Number
    }
    fn describe(&self) -> &'static str {
        "Writes out numbers with Chinese units (23 Thousands of -> 230,000; 1.2 One hundred million -> 120 million)"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "Sales reached 3.5 Ten thousand yuan.",
            "Sales reached 35,000 yuan.",
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
        match &self.prefilter {
            Some(gate) if gate.may_match_view(doc) => {}
            _ => return,
        }
        self.check_units(t, out);
        self.check_compounds(t, out);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixes_all, assert_flags};
    use crate::ArtifactKind;

    const R: &[&str] = &["zh_en/unit-number"];

    #[test]
    fn fixes() {
        let cases: &[(&str, &str)] = &[
            (
                "more than 23 Thousands of pieces of .",
                "more than 230,000 pieces.",
            ),
            (
                "shipped 23 Thousands of pieces last week",
                "shipped 230,000 pieces last week",
            ),
            ("a grant of 3.5 Ten thousand yuan", "a grant of 35,000 yuan"),
            (
                "revenue of 1.2 One hundred million yuan",
                "revenue of 120 million yuan",
            ),
            (
                "a loss of 45 billion 651 million yuan",
                "a loss of 45.651 billion yuan",
            ),
            (
                "covering 558 thousand and 780 hectares",
                "covering 558,780 hectares",
            ),
            ("it reached 2.3 Ten thousand", "it reached 23,000"),
            ("it reached 2.3 Ten thousand.", "it reached 23,000."),
            ("about 230 Ten thousand people", "about 2.3 million people"),
            ("1.23456 Ten thousand yuan", "12,345.6 yuan"),
            ("12345.6789 Ten thousand yuan", "123,456,789 yuan"),
            ("1 million 200 thousand tons", "1.2 million tons"),
            ("45 billion 51 million yuan", "45.051 billion yuan"),
            ("3 Hundreds of millions of yuan", "300 million yuan"),
            ("(5 Ten thousand)", "(50,000)"),
            ("Total 8 Thousands of pieces, up", "Total 80,000 pieces, up"),
        ];
        assert_fixes_all(R, cases);
    }

    #[test]
    fn leaves_alone() {
        for s in [
            "Thousands of people gathered in the square.",
            "Ten thousand people came.",
            "The city has 23 thousand residents.",
            "It cost 1.2 billion yuan and 300 million dollars.",
            "between 2 thousand and 3 thousand people",
            "between 2 thousand and 3 hundred people",
            "45 billion 1651 million",
            "Version v2 Ten thousand",
            "a 3.5.1 Ten thousand",
            "It rose 5% in May.",
            "2 million and 300 thousand",
        ] {
            assert_clean(R, s);
        }
    }

    #[test]
    fn flags_absurd_or_unclear() {
        assert_flags(
            R,
            "99999999999999999999999 Thousands of pieces",
            ArtifactKind::Number,
        );
        assert_flags(
            R,
            &format!("{} Ten thousand yuan", "9".repeat(45)),
            ArtifactKind::Number,
        );
        assert_flags(R, "In 2022 Thousands of people moved", ArtifactKind::Number);
    }
}
