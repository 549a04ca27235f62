//! `zh_en/approximation`: approximation words on the wrong side of a number.
//!
//! **What it fixes.** "380 Left and right" (380左右) -> "about 380"; "30 yuan left and right ," ->
//! "about 30 yuan ,"; "a super 10000" / "super 10000" (超10000) -> "more than 10,000"; "about 380
//! left and right" -> "about 380" (never "about about").
//!
//! **Why.** Engines translate 左右 ("left and right") and 超 ("super") word by word and keep them
//! where Chinese puts them.
//!
//! **Not touched.** "turn 90 degrees left and right to look" (the phrase does not end the
//! clause), "a Super 8 camera", "super 8" (small numbers after "super" are names: film formats,
//! motels), "superb 100". Phrases are data: `dictionaries/zh_en/approximations.tsv`.

use aho_corasick::AhoCorasick;
use regex::Regex;

use super::numeral::{char_before, number_starts_cleanly, word_before, word_ends, Dec};
use super::unit_number::NUM;
use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::{ArtifactKind, Confidence, Span};

const ID: &str = "zh_en/approximation";

/// The smallest number "super N" is read as "more than N" ("Super 8" and "super 16" are names).
const SUPER_MIN: u128 = 20;

#[derive(Default)]
pub struct Approximation {
    after: Vec<(String, String)>,
    before: Vec<(String, String)>,
    hedges: Vec<String>,
    prefilter: Option<AhoCorasick>,
    after_re: Option<Regex>,
    before_re: Option<Regex>,
}

fn alternation<'a>(words: impl Iterator<Item = &'a String>) -> String {
    let mut w: Vec<&String> = words.collect();
    w.sort_by_key(|s| std::cmp::Reverse(s.len()));
    w.iter()
        .map(|s| regex::escape(s))
        .collect::<Vec<_>>()
        .join("|")
}

pub fn build(d: &Dictionaries) -> Box<dyn Rule> {
    let mut r = Approximation::default();
    for row in d.rows("zh_en/approximations") {
        let (w, role, eng) = (row.get(0).to_string(), row.get(1), row.get(2).to_string());
        if w.is_empty() {
            continue;
        }
        match role {
            "after" if !eng.is_empty() => r.after.push((w, eng)),
            "before" if !eng.is_empty() => r.before.push((w, eng)),
            "hedge" => r.hedges.push(w.to_lowercase()),
            _ => {}
        }
    }
    let words: Vec<&String> = r.after.iter().chain(&r.before).map(|(w, _)| w).collect();
    if !words.is_empty() {
        r.prefilter = AhoCorasick::new(words).ok();
    }
    if !r.after.is_empty() {
        r.after_re = Regex::new(&format!(
            r"(?P<n>{NUM})(?P<pct>%)?(?: (?P<w>[a-z]+))? (?P<a>{})",
            alternation(r.after.iter().map(|(w, _)| w))
        ))
        .ok();
    }
    if !r.before.is_empty() {
        r.before_re = Regex::new(&format!(
            r"(?:(?P<art>[Aa]) )?(?P<b>{}) (?P<n>{NUM})",
            alternation(r.before.iter().map(|(w, _)| w))
        ))
        .ok();
    }
    Box::new(r)
}

/// True when a clause ends at `i` (after optional spaces).
fn clause_ends(t: &str, i: usize) -> bool {
    let rest = t[i..].trim_start_matches(' ');
    rest.is_empty()
        || rest.starts_with([
            ',', '.', ';', ':', '!', '?', ')', '\n', '，', '。', '、', '”',
        ])
}

/// True when a sentence starts at `i`.
fn sentence_starts(t: &str, i: usize) -> bool {
    matches!(
        t[..i].trim_end_matches(' ').chars().next_back(),
        None | Some('\n' | '.' | '!' | '?' | '“')
    )
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

impl Approximation {
    fn check_after(&self, t: &str, out: &mut Vec<Finding>) {
        let Some(re) = &self.after_re else { return };
        for c in re.captures_iter(t) {
            let (n, a) = (c.name("n").unwrap(), c.name("a").unwrap());
            let w = c.name("w");
            if !number_starts_cleanly(t, n.start()) || !word_ends(t, a.end()) {
                continue;
            }
            let Some((_, eng)) = self.after.iter().find(|(x, _)| x == a.as_str()) else {
                continue;
            };
            let capital = a.as_str().starts_with(char::is_uppercase);
            let ends = clause_ends(t, a.end());
            if (w.is_some() || !capital) && !ends {
                continue; // "turn 90 degrees left and right to look"
            }
            if w.is_some_and(|w| matches!(w.as_str(), "and" | "or" | "to" | "of" | "the" | "a")) {
                continue;
            }
            let confidence = if w.is_none() && capital {
                Confidence::Certain
            } else {
                Confidence::Likely
            };
            let body_end =
                w.map_or_else(|| c.name("pct").map_or(n.end(), |p| p.end()), |w| w.end());
            let hedged = word_before(t, n.start())
                .is_some_and(|(_, pw)| self.hedges.contains(&pw.to_lowercase()));
            let finding = if hedged {
                Finding::fix(
                    ID,
                    ArtifactKind::Approximation,
                    Span::new(body_end, a.end()),
                    "",
                    confidence,
                    "doubled approximation",
                )
            } else {
                let eng = if sentence_starts(t, n.start()) {
                    capitalize(eng)
                } else {
                    eng.clone()
                };
                Finding::fix(
                    ID,
                    ArtifactKind::Approximation,
                    Span::new(n.start(), a.end()),
                    format!("{eng} {}", &t[n.start()..body_end]),
                    confidence,
                    format!("{:?} after a number is an approximation", a.as_str()),
                )
            };
            out.push(finding);
        }
    }

    fn check_before(&self, t: &str, out: &mut Vec<Finding>) {
        let Some(re) = &self.before_re else { return };
        for c in re.captures_iter(t) {
            let (b, n) = (c.name("b").unwrap(), c.name("n").unwrap());
            let art = c.name("art");
            let start = art.map_or(b.start(), |a| a.start());
            if char_before(t, start).is_some_and(|ch| ch.is_alphanumeric() || ch == '-') {
                continue;
            }
            if !word_ends(t, n.end())
                || matches!(&t.as_bytes()[n.end()..], [b'.' | b',', d, ..] if d.is_ascii_digit())
            {
                continue;
            }
            let Some(value) = Dec::parse(n.as_str()) else {
                continue;
            };
            if value.trunc() < SUPER_MIN {
                continue;
            }
            let Some((_, eng)) = self.before.iter().find(|(x, _)| x == b.as_str()) else {
                continue;
            };
            let upper = art.is_some_and(|a| a.as_str() == "A")
                || (art.is_none() && sentence_starts(t, start));
            let eng = if upper { capitalize(eng) } else { eng.clone() };
            out.push(Finding::fix(
                ID,
                ArtifactKind::Approximation,
                Span::new(start, n.end()),
                format!("{eng} {}", value.plain()),
                Confidence::Likely,
                format!("{:?} before a number means more than", b.as_str()),
            ));
        }
    }
}

impl Rule for Approximation {
    fn id(&self) -> &'static str {
        ID
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Approximation
    }
    fn describe(&self) -> &'static str {
        "Puts approximations in English order (380 Left and right -> about 380; super 10000 -> more than 10,000)"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "Employees on duty 380 Left and right.",
            "Employees on duty about 380.",
        )
    }
    fn scope(&self) -> Scope {
        Scope::ZhEn
    }
    fn priority(&self) -> u8 {
        30
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        let t = doc.text;
        match &self.prefilter {
            Some(ac) if ac.is_match(t) => {}
            _ => return,
        }
        self.check_after(t, out);
        self.check_before(t, out);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixes};

    const R: &[&str] = &["zh_en/approximation"];

    #[test]
    fn example_holds() {
        let r = super::build(&crate::dict::Dictionaries::embedded());
        let (i, o) = r.example();
        assert_fixes(R, i, o);
    }

    #[test]
    fn fixes() {
        let cases: &[(&str, &str)] = &[
            (
                "Currently on duty employees 380 Left and right , Production",
                "Currently on duty employees about 380 , Production",
            ),
            ("employees 380 left and right.", "employees about 380."),
            (
                "It costs 30 yuan left and right.",
                "It costs about 30 yuan.",
            ),
            ("a rate of 5% Left and right", "a rate of about 5%"),
            ("about 380 left and right.", "about 380."),
            ("around 380 Left and right people", "around 380 people"),
            ("380 Left and right came.", "About 380 came."),
            (
                "The vehicle carries a super 10000 A laptop",
                "The vehicle carries more than 10,000 A laptop",
            ),
            ("sales super 2000 units", "sales more than 2,000 units"),
            ("A super 500 people came", "More than 500 people came"),
            (
                "prices of 3000 yen Before and after.",
                "prices of about 3000 yen.",
            ),
        ];
        for (i, o) in cases {
            assert_fixes(R, i, o);
        }
    }

    #[test]
    fn leaves_alone() {
        for s in [
            "He turned 90 degrees left and right to look.",
            "They fired people left and right.",
            "a Super 8 camera and a super 16 film",
            "He stayed at a super 8 motel.",
            "a superb 100 meters",
            "The 2 left and right panels",
            "about 380 people",
            "Before and after photos",
            "one super 3.5.1 build",
        ] {
            assert_clean(R, s);
        }
    }
}
