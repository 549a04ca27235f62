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

use aho_corasick::{packed, AhoCorasick};
use regex::Regex;

use super::numeral::{char_before, number_starts_cleanly, word_before, word_ends, Dec};
use super::unit_number::NUM;
use super::words::AfterNumber;
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
    /// "after" phrases that are English on their own ("20 or so"): only after a listed unit.
    after_unit_only: Vec<String>,
    /// (word, English, also after a determiner): "1200 Multiple points" (多) -> "more than 1,200".
    more: Vec<(String, String, bool)>,
    /// Capitalized Chinese units that may stand before an "after" phrase, and their lower case.
    units: Vec<(String, String)>,
    /// Every finding of [`Approximation::check_after`] and [`Approximation::check_before`]
    /// holds one of their words: one SIMD search (Teddy) for them all, cheaper than a search for
    /// each word and than an automaton stepping through every byte.
    prefilter: Option<packed::Searcher>,
    /// The same words in one automaton, for a list longer than [`MAX_SEARCHED`] (a user's
    /// dictionary can make one) or one the SIMD search cannot take: its cost does not grow with
    /// the list.
    prefilter_ac: Option<AhoCorasick>,
    /// A "more" word after a number and a space: every match of `more_re` holds one.
    more_gate: Option<AfterNumber>,
    /// "Into" after a number and a space: every match of [`TENTHS_RE`] holds one.
    tenths_gate: Option<AfterNumber>,
    after_re: Option<Regex>,
    before_re: Option<Regex>,
    more_re: Option<Regex>,
}

/// "7 Into" (七成, seven tenths).
static TENTHS_RE: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(
        r"(?:^|[^\w.,])(?P<n>[1-9](?:\.5)?) Into\b(?P<rest> (?:of|more|less|higher|lower)\b)?",
    )
    .unwrap()
});

/// Words before a number that make the "more than" reading of 多 wrong ("the 3 Remaining teams").
const DETERMINERS: &[&str] = &["the", "its", "their", "these", "those", "our", "his", "her"];

fn alternation<'a>(words: impl Iterator<Item = &'a String>) -> String {
    let mut w: Vec<&String> = words.collect();
    w.sort_by_key(|s| std::cmp::Reverse(s.len()));
    w.iter()
        .map(|s| regex::escape(s))
        .collect::<Vec<_>>()
        .join("|")
}

/// The most gate words searched with one SIMD search.
const MAX_SEARCHED: usize = 48;

pub fn build(d: &Dictionaries) -> Box<dyn Rule> {
    let mut r = Approximation::default();
    for row in d.rows("zh_en/approximations") {
        let (w, role, eng) = (row.get(0).to_string(), row.get(1), row.get(2).to_string());
        if w.is_empty() {
            continue;
        }
        match role {
            "after" if !eng.is_empty() => r.after.push((w, eng)),
            "after-unit" if !eng.is_empty() => {
                r.after_unit_only.push(w.clone());
                r.after.push((w, eng))
            }
            "before" if !eng.is_empty() => r.before.push((w, eng)),
            "hedge" => r.hedges.push(w.to_lowercase()),
            "more" if !eng.is_empty() => r.more.push((w, eng, true)),
            "more-nodet" if !eng.is_empty() => r.more.push((w, eng, false)),
            "unit" if !eng.is_empty() => r.units.push((w, eng)),
            _ => {}
        }
    }
    let words: Vec<&String> = r.after.iter().chain(&r.before).map(|(w, _)| w).collect();
    let more: Vec<&str> = r.more.iter().map(|(w, _, _)| w.as_str()).collect();
    r.more_gate = AfterNumber::new(&more);
    r.tenths_gate = AfterNumber::new(&["Into"]);
    if words.len() <= MAX_SEARCHED {
        r.prefilter = packed::Searcher::new(&words);
    }
    if r.prefilter.is_none() {
        r.prefilter_ac = AhoCorasick::new(words).ok();
    }
    if !r.after.is_empty() {
        r.after_re = Regex::new(&format!(
            r"(?P<n>{NUM})(?P<pct>%)?(?: (?P<w>[a-z]+{}))? (?P<a>{})",
            r.units
                .iter()
                .map(|(u, _)| format!("|{}", regex::escape(u)))
                .collect::<String>(),
            alternation(r.after.iter().map(|(w, _)| w))
        ))
        .ok();
    }
    if !r.more.is_empty() {
        r.more_re = Regex::new(&format!(
            r"(?P<n>{NUM}) (?P<m>{}) [a-z]",
            alternation(r.more.iter().map(|(w, _, _)| w))
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
            // "1100 Jin or so" -> "about 1,100 jin": a listed Chinese unit in lower case, and the
            // number with thousands separators (it is part of the repaired span).
            let unit = w.and_then(|w| self.units.iter().find(|(u, _)| u == w.as_str()));
            if unit.is_none() && self.after_unit_only.iter().any(|x| x == a.as_str()) {
                continue; // "20 or so" is English
            }
            let body = match (unit, Dec::parse(n.as_str())) {
                (Some((_, low)), Some(v)) => format!("{} {low}", v.plain()),
                (Some((_, low)), None) => format!("{} {low}", n.as_str()),
                (None, _) => t[n.start()..body_end].to_string(),
            };
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
                    format!("{eng} {body}"),
                    confidence,
                    format!("{:?} after a number is an approximation", a.as_str()),
                )
            };
            out.push(finding);
        }
    }

    fn check_more(&self, t: &str, out: &mut Vec<Finding>) {
        let Some(re) = &self.more_re else { return };
        for c in re.captures_iter(t) {
            let (n, m) = (c.name("n").unwrap(), c.name("m").unwrap());
            if !number_starts_cleanly(t, n.start()) {
                continue;
            }
            let Some((_, eng, after_det)) = self.more.iter().find(|(w, _, _)| w == m.as_str())
            else {
                continue;
            };
            let prev = word_before(t, n.start()).map(|(_, w)| w.to_lowercase());
            if prev
                .as_deref()
                .is_some_and(|p| self.hedges.iter().any(|h| h == p))
            {
                continue; // "about 300 Many": left for a person
            }
            if !after_det && prev.as_deref().is_some_and(|p| DETERMINERS.contains(&p)) {
                continue; // "the 3 Remaining teams" may be "the remaining 3 teams"
            }
            let Some(value) = Dec::parse(n.as_str()) else {
                continue;
            };
            if n.as_str().len() == 4 && (1900..=2099).contains(&value.trunc()) {
                continue; // "In 2019 Many people moved": a year
            }
            let eng = if sentence_starts(t, n.start()) {
                capitalize(eng)
            } else {
                eng.clone()
            };
            out.push(Finding::fix(
                ID,
                ArtifactKind::Approximation,
                Span::new(n.start(), m.end()),
                format!("{eng} {}", value.plain()),
                Confidence::Likely,
                format!("{:?} after a number is 多/余, more than", m.as_str()),
            ));
        }
    }

    fn check_tenths(&self, t: &str, out: &mut Vec<Finding>) {
        for c in TENTHS_RE.captures_iter(t) {
            let n = c.name("n").unwrap();
            let end = n.end() + " Into".len();
            let hedged = word_before(t, n.start())
                .is_some_and(|(_, pw)| self.hedges.contains(&pw.to_lowercase()));
            let span = Span::new(n.start(), end);
            if c.name("rest").is_some() || hedged {
                let d = u32::from(n.as_str().as_bytes()[0] - b'0');
                let half = if n.as_str().ends_with(".5") { 5 } else { 0 };
                let pct = Some(format!("{}%", d * 10 + half));
                if let Some(pct) = pct {
                    out.push(Finding::fix(
                        ID,
                        ArtifactKind::Approximation,
                        span,
                        pct,
                        Confidence::Likely,
                        "\"N Into\" is N tenths (七成 = 70%)",
                    ));
                }
            } else {
                out.push(Finding::flag(
                    ID,
                    ArtifactKind::Approximation,
                    span,
                    "\"N Into\" may be N tenths (七成 = 70%)",
                ));
            }
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
    fn line_local(&self) -> bool {
        true
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        let t = doc.text;
        let gate = match (&self.prefilter, &self.prefilter_ac) {
            (Some(p), _) => p.find(t).is_some(),
            (None, Some(ac)) => ac.is_match(t),
            (None, None) => false,
        };
        if gate {
            self.check_after(t, out);
            self.check_before(t, out);
        }
        if self
            .more_gate
            .as_ref()
            .is_some_and(|g| g.may_match_view(doc))
        {
            self.check_more(t, out);
        }
        if self
            .tenths_gate
            .as_ref()
            .is_some_and(|g| g.may_match_view(doc))
        {
            self.check_tenths(t, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixes_all};

    #[test]
    fn a_long_user_list_gates_with_one_automaton_and_finds_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("many.tsv");
        let rows: String = (0..super::MAX_SEARCHED)
            .map(|k| format!("Round about{k}\tafter\tabout\n"))
            .collect();
        std::fs::write(&file, rows).unwrap();
        let mut d = crate::dict::Dictionaries::embedded();
        d.add_file("zh_en/approximations", &file).unwrap();
        let long = super::build(&d);
        let short = super::build(&crate::dict::Dictionaries::embedded());
        let text = "It sold 380 Left and right pieces, and 12 Round about7 more.\n";
        let config = crate::Config::default();
        let profile = crate::Profile::compute(text, &config);
        let doc = crate::rules::DocView::first_pass(text, &profile, &config);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        long.check(&doc, &mut a);
        short.check(&doc, &mut b);
        assert!(a.len() > b.len() && !b.is_empty(), "{a:?} {b:?}");
        assert_eq!(a[..1], b[..1]);
    }

    const R: &[&str] = &["zh_en/approximation"];

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
            // 多/余 after the number.
            (
                "The city set up 2500 Multiple testing sites.",
                "The city set up more than 2,500 testing sites.",
            ),
            (
                "Farmers sold 40 Many tons of pears.",
                "Farmers sold more than 40 tons of pears.",
            ),
            (
                "It shipped 300 Remaining containers.",
                "It shipped more than 300 containers.",
            ),
            ("60 Many villages joined.", "More than 60 villages joined."),
            (
                "The 800 Many stalls opened.",
                "The more than 800 stalls opened.",
            ),
            // A capitalized Chinese unit before the phrase.
            (
                "Each tree yields 2300 Jin or so.",
                "Each tree yields about 2,300 jin.",
            ),
            (
                "a field of 12 Mu left and right ,",
                "a field of about 12 mu ,",
            ),
            // 成: tenths, when the reading is sure.
            (
                "Rainfall is 4 Into more than usual.",
                "Rainfall is 40% more than usual.",
            ),
            ("nearly 8 Into of the farmers", "nearly 80% of the farmers"),
        ];
        assert_fixes_all(R, cases);
    }

    #[test]
    fn flags_unsure_tenths() {
        crate::rules::testing::assert_flags(
            R,
            "The share rose to 6 Into .",
            crate::ArtifactKind::Approximation,
        );
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
            // English "or so", "many", "remaining" and "into".
            "He drank 20 or so.",
            "It took 20 minutes or so.",
            "20 or so people came",
            "the 3 Remaining teams",
            "The 3 Remaining Teams",
            "about 300 Many houses",
            "It split 3 Into pieces",
            "It came 7 Into View",
            "In 2019 Many people moved.",
        ] {
            assert_clean(R, s);
        }
    }
}
