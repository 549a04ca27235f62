//! `zh_en/time`: clock times left in Chinese words.
//!
//! **What it fixes.** "15 Time 30 branch" (15时30分) and "15 o'clock 30 points" / "7 points 30
//! minutes" (7点30分) -> "15:30", "7:30"; with seconds "15:30:20". A bare "7 points" (7点) becomes
//! "7 o'clock" only when the context makes it a time: "at 7 points in the morning" -> "at 7
//! o'clock in the morning", "evening 8 points" -> "evening 8 o'clock", "at 7 points a.m." ->
//! "at 7 a.m."; after a time preposition alone ("at 7 points") it is flagged.
//!
//! **Why.** 时, 点 and 分 are translated word by word ("time", "points", "branch").
//!
//! **Not touched.** Scores and percentages: "7 percentage points", "won by 7 points", "rose 7
//! points in the morning", "7 points 30 minutes into the game"; durations ("15 hours 30 minutes");
//! impossible times ("25 Time 70 branch"). Words are data: `dictionaries/zh_en/time_markers.tsv`.

use regex::Regex;

use super::numeral::{number_starts_cleanly, word_after, word_before, word_ends};
use super::words::AfterNumber;
use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::{ArtifactKind, Confidence, Span};

const ID: &str = "zh_en/time";

#[derive(Default)]
pub struct ClockTime {
    hour: Vec<String>,
    bare: Vec<String>,
    daypart_after: Vec<String>,
    clock_suffix: Vec<String>,
    daypart_before: Vec<String>,
    prep: Vec<String>,
    score: Vec<String>,
    not_time: Vec<String>,
    prefilter: Option<AfterNumber>,
    full_re: Option<Regex>,
    bare_re: Option<Regex>,
    /// "June 10 18 Point", "June 28 20 points ,": a bare hour right after an English date.
    dated_re: Option<Regex>,
}

fn alternation(words: &[String]) -> String {
    let mut w: Vec<&String> = words.iter().collect();
    w.sort_by_key(|s| std::cmp::Reverse(s.len()));
    w.dedup();
    w.iter()
        .map(|s| regex::escape(s))
        .collect::<Vec<_>>()
        .join("|")
}

pub fn build(d: &Dictionaries) -> Box<dyn Rule> {
    let mut r = ClockTime::default();
    let (mut minute, mut second) = (Vec::new(), Vec::new());
    for row in d.rows("zh_en/time_markers") {
        let w = row.get(0).to_string();
        if w.is_empty() {
            continue;
        }
        match row.get(1) {
            "hour" => r.hour.push(w),
            "hour-bare" => r.bare.push(w),
            "minute" => minute.push(w),
            "second" => second.push(w),
            "daypart-after" => r.daypart_after.push(w),
            "clock-suffix" => r.clock_suffix.push(w),
            "daypart-before" => r.daypart_before.push(w.to_lowercase()),
            "prep" => r.prep.push(w.to_lowercase()),
            "score" => r.score.push(w.to_lowercase()),
            "not-time" => r.not_time.push(w.to_lowercase()),
            _ => {}
        }
    }
    let hours: Vec<String> = r.hour.iter().chain(&r.bare).cloned().collect();
    if hours.is_empty() || minute.is_empty() {
        return Box::new(r);
    }
    // Every finding is an hour's number, a space and an hour word (those of the dated form
    // included, in case a user's table lacks them).
    let mut gate_words = hours.clone();
    gate_words.extend(["Point", "Points", "points", "Time"].map(String::from));
    r.prefilter = AfterNumber::new(&gate_words);
    let sec = if second.is_empty() {
        String::new()
    } else {
        format!(
            r"(?: (?P<ss>[0-9]{{1,2}}) (?P<sw>{}))?",
            alternation(&second)
        )
    };
    r.full_re = Regex::new(&format!(
        r"(?P<h>[0-9]{{1,2}}) (?P<hw>{}) (?P<mm>[0-9]{{1,2}}) (?P<mw>{}){sec}",
        alternation(&hours),
        alternation(&minute)
    ))
    .ok();
    let months: Vec<String> = d
        .rows("zh_en/months")
        .iter()
        .map(|m| m.get(1).to_string())
        .filter(|m| !m.is_empty())
        .collect();
    if !months.is_empty() {
        r.dated_re = Regex::new(&format!(
            r"\b(?:{}) [0-9]{{1,2}}(?P<gap> )(?P<h>[0-9]{{1,2}}) (?P<hw>Points?|points|Time)\b",
            alternation(&months)
        ))
        .ok();
    }
    if !r.bare.is_empty() {
        r.bare_re = Regex::new(&format!(
            r"(?P<h>[0-9]{{1,2}}) (?P<hw>{})",
            alternation(&r.bare)
        ))
        .ok();
    }
    Box::new(r)
}

impl ClockTime {
    fn prev_in(&self, t: &str, i: usize, list: &[String]) -> bool {
        word_before(t, i).is_some_and(|(_, w)| list.contains(&w.to_lowercase()))
    }

    fn check_full(&self, t: &str, out: &mut Vec<Finding>, taken: &mut Vec<Span>) {
        let Some(re) = &self.full_re else { return };
        for c in re.captures_iter(t) {
            let (h, hw, mm) = (
                c.name("h").unwrap(),
                c.name("hw").unwrap(),
                c.name("mm").unwrap(),
            );
            let last = c.name("sw").or(c.name("mw")).unwrap();
            let span = Span::new(h.start(), last.end());
            if !number_starts_cleanly(t, h.start())
                || !word_ends(t, last.end())
                || !word_ends(t, mm.end())
            {
                continue;
            }
            let bare_hour = self.bare.iter().any(|b| b == hw.as_str());
            if bare_hour && self.prev_in(t, h.start(), &self.score) {
                continue;
            }
            if word_after(t, last.end()).is_some_and(|(s, _, w)| {
                s == last.end() + 1 && self.not_time.contains(&w.to_lowercase())
            }) {
                continue; // "7 points 30 minutes into the game", "3 o'clock 30 minutes later"
            }
            let (Ok(hv), Ok(mv)) = (h.as_str().parse::<u32>(), mm.as_str().parse::<u32>()) else {
                continue;
            };
            let sv = c.name("ss").and_then(|s| s.as_str().parse::<u32>().ok());
            if hv > 24 || mv > 59 || (hv == 24 && mv > 0) || sv.is_some_and(|s| s > 59) {
                continue;
            }
            let mut clock = format!("{}:{mv:02}", h.as_str());
            if let Some(s) = sv {
                clock.push_str(&format!(":{s:02}"));
            }
            taken.push(span);
            out.push(Finding::fix(
                ID,
                ArtifactKind::Time,
                span,
                clock,
                if bare_hour {
                    Confidence::Likely
                } else {
                    Confidence::Certain
                },
                "clock time in Chinese words",
            ));
        }
    }

    /// "June 10 18 Point" -> "June 10, 18:00"; "as of 17 Time" -> "as of 17:00" (时 is never a
    /// score). A lower-case "points" after a date only when the clause ends there.
    fn check_dated(&self, t: &str, out: &mut Vec<Finding>, taken: &mut Vec<Span>) {
        if let Some(re) = &self.dated_re {
            for c in re.captures_iter(t) {
                let (gap, h, hw) = (
                    c.name("gap").unwrap(),
                    c.name("h").unwrap(),
                    c.name("hw").unwrap(),
                );
                if !word_ends(t, hw.end()) || h.as_str().parse::<u32>().map_or(true, |v| v > 24) {
                    continue;
                }
                let rest = t[hw.end()..].trim_start_matches(' ');
                let ends = rest.is_empty() || rest.starts_with([',', '.', ';', '，', '\n']);
                if hw.as_str() == "points" && !ends {
                    continue; // "On May 3 12 points were deducted"
                }
                if rest.starts_with(|c: char| c.is_ascii_digit()) {
                    continue; // "18 Point 30 branch" is the full form
                }
                let span = Span::new(gap.start(), hw.end());
                taken.push(Span::new(h.start(), hw.end()));
                out.push(Finding::fix(
                    ID,
                    ArtifactKind::Time,
                    span,
                    format!(", {}:00", h.as_str()),
                    Confidence::Likely,
                    "hour in Chinese words after a date",
                ));
            }
        }
        // "at 17 Time", "as of 17 Time"
        let mut from = 0;
        while let Some(i) = t[from..].find(" Time") {
            let at = from + i;
            from = at + 5;
            if !word_ends(t, at + 5) {
                continue;
            }
            let ds = t[..at].trim_end_matches(|c: char| c.is_ascii_digit());
            let h = &t[ds.len()..at];
            if h.is_empty() || h.len() > 2 || !number_starts_cleanly(t, ds.len()) {
                continue;
            }
            if h.parse::<u32>().map_or(true, |v| v > 24)
                || (t[at + 5..].starts_with(' ')
                    && t[at + 6..].starts_with(|c: char| c.is_ascii_digit()))
            {
                continue;
            }
            let prep = self.prev_in(t, ds.len(), &self.prep)
                || t[..ds.len()].to_lowercase().ends_with("as of ");
            if !prep || taken.iter().any(|s| s.start == ds.len()) {
                continue;
            }
            taken.push(Span::new(ds.len(), at + 5));
            out.push(Finding::fix(
                ID,
                ArtifactKind::Time,
                Span::new(ds.len(), at + 5),
                format!("{h}:00"),
                Confidence::Likely,
                "hour in Chinese words (时)",
            ));
        }
    }

    fn check_bare(&self, t: &str, out: &mut Vec<Finding>, taken: &[Span]) {
        let Some(re) = &self.bare_re else { return };
        for c in re.captures_iter(t) {
            let (h, hw) = (c.name("h").unwrap(), c.name("hw").unwrap());
            if taken
                .iter()
                .any(|s| s.start <= h.start() && h.start() < s.end)
            {
                continue;
            }
            if !number_starts_cleanly(t, h.start()) || !word_ends(t, hw.end()) {
                continue;
            }
            if h.as_str().parse::<u32>().map_or(true, |v| v > 24)
                || self.prev_in(t, h.start(), &self.score)
            {
                continue;
            }
            let rest = &t[hw.end()..];
            let followed = |list: &[String]| {
                list.iter().any(|p| {
                    rest.strip_prefix(' ')
                        .and_then(|r| r.strip_prefix(p.as_str()))
                        .is_some_and(|r| !r.starts_with(|c: char| c.is_alphanumeric()))
                })
            };
            // "As of the 29th 8 points": a time after a day, but which hour is not sure.
            let after_day = word_before(t, h.start()).is_some_and(|(_, w)| {
                let d = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
                !d.is_empty()
                    && d.len() <= 2
                    && d.bytes().all(|b| b.is_ascii_digit())
                    && ["st", "nd", "rd", "th"].contains(&&w[d.len()..])
            });
            let prep = self.prev_in(t, h.start(), &self.prep) || after_day;
            let span = Span::new(h.start(), hw.end());
            if prep && followed(&self.clock_suffix) {
                // "at 7 points a.m." -> "at 7 a.m."
                let e = hw.end() + 1;
                out.push(Finding::fix(
                    ID,
                    ArtifactKind::Time,
                    Span::new(h.end(), e),
                    " ",
                    Confidence::Likely,
                    "hour in Chinese words",
                ));
            } else if (prep && followed(&self.daypart_after))
                || self.prev_in(t, h.start(), &self.daypart_before)
            {
                out.push(Finding::fix(
                    ID,
                    ArtifactKind::Time,
                    Span::new(hw.start(), hw.end()),
                    "o'clock",
                    Confidence::Likely,
                    "hour in Chinese words",
                ));
            } else if prep {
                out.push(Finding::flag(
                    ID,
                    ArtifactKind::Time,
                    span,
                    format!("{} o'clock?", h.as_str()),
                ));
            }
        }
    }
}

impl Rule for ClockTime {
    fn id(&self) -> &'static str {
        ID
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Time
    }
    fn describe(&self) -> &'static str {
        "Writes clock times left in Chinese words (15 Time 30 branch -> 15:30; at 7 points in the morning -> at 7 o'clock)"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "The meeting began at 15 Time 30 branch.",
            "The meeting began at 15:30.",
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
        let mut taken = Vec::new();
        self.check_full(t, out, &mut taken);
        self.check_dated(t, out, &mut taken);
        self.check_bare(t, out, &taken);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixes_all, assert_flags};
    use crate::ArtifactKind;

    const R: &[&str] = &["zh_en/time"];

    #[test]
    fn fixes() {
        let cases: &[(&str, &str)] = &[
            ("at 15 Time 30 branch ,", "at 15:30 ,"),
            (
                "at 15 o'clock 30 points the train left",
                "at 15:30 the train left",
            ),
            (
                "at 7 points 30 minutes in the morning",
                "at 7:30 in the morning",
            ),
            ("at 9 Time 5 branch 20 second", "at 9:05:20"),
            ("until 24 Time 0 branch", "until 24:00"),
            ("at 7 points in the morning", "at 7 o'clock in the morning"),
            (
                "evening 8 points , the show began",
                "evening 8 o'clock , the show began",
            ),
            ("at 7 points a.m. sharp", "at 7 a.m. sharp"),
            // A bare hour right after an English date, or 时 after "at" / "as of".
            (
                "By March 3 21 Point , crews had cleared the road.",
                "By March 3, 21:00 , crews had cleared the road.",
            ),
            ("on May 9 7 points .", "on May 9, 7:00 ."),
            (
                "on May 9 16 Time the alarm rang",
                "on May 9, 16:00 the alarm rang",
            ),
            ("As of 22 Time last night ,", "As of 22:00 last night ,"),
            ("at 6 Time sharp", "at 6:00 sharp"),
        ];
        assert_fixes_all(R, cases);
    }

    #[test]
    fn leaves_alone() {
        for s in [
            "It rose 7 percentage points.",
            "They won by 7 points.",
            "The index rose 7 points in the morning.",
            "He had 7 points 30 minutes into the game.",
            "a flight of 15 hours 30 minutes",
            "at 25 Time 70 branch",
            "at 3 o'clock 30 minutes later",
            "The plan has 7 points.",
            "It is 3 o'clock.",
            "On May 3 12 points were deducted.",
            "On May 3 40 Points of Light met.",
            "It was the 3 Time winner.",
            "By 12 Time Square",
            "at 30 Time",
        ] {
            assert_clean(R, s);
        }
    }

    #[test]
    fn flags_bare_points_after_a_preposition() {
        assert_flags(R, "The meeting starts at 7 points .", ArtifactKind::Time);
        assert_flags(
            R,
            "Until the 14th 9 points , it rained.",
            ArtifactKind::Time,
        );
    }
}
