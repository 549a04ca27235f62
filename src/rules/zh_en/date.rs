//! `zh_en/date`: dates left in Chinese (or Japanese/Korean) order and words.
//!
//! **What it fixes.**
//! - "5 month 3" -> "May 3"; "5 month 1 Japan" / "4 month 15 Japanese" / "3 month 5 day" (the
//!   day marker 日 rendered as a word) -> "May 1", "April 15", "March 5";
//! - "2022 year 5 month 3 day" -> "May 3, 2022"; "2022 year 5 month" -> "May 2022";
//!   "2022 year 1-9 months" and "in 1-9 months of 2022" -> "January-September 2022";
//! - "4 month 23 since" -> "since April 23";
//! - a date opening a sentence or a clause and used as an adverbial becomes "On May 1," /
//!   "on May 6,": ".5 month 1 Japan , Shanghai announced" -> ". On May 1, Shanghai announced",
//!   "said ,5 month 6 The third batch ... welcomed on the th ." -> "said , on May 6, the third
//!   batch ... welcomed." (the engine's dangling "on the th" goes in the same finding);
//! - "from 4 month 15 Japanese 2000 People rise to 22 Japanese 4000 people" -> "from 2,000 people
//!   on April 15 rise to 4,000 people on April 22" (a bare day after "to" takes the month of the
//!   date before it; a count right after the date moves before it when its noun is listed).
//!
//! **Why.** Engines translate 5月3日 word by word, and keep the Chinese place of the date.
//!
//! **Flagged, not fixed.** Month-only forms whose reading is uncertain: "5 month" with no day,
//! "1-9 months" (January-September, or an age?), "2 months ,".
//!
//! **Not touched.** "5 months later", "3 months", "the 5th month", "May 3", "a 6-month contract",
//! "month 3 of the trial", "3 Japanese companies", "the first 5 months of 2022", impossible days
//! ("2 month 30"). Words are data: `dictionaries/zh_en/months.tsv`, `date_markers.tsv`.

use super::words::AfterNumber;
use memchr::memmem;
use regex::{Captures, Regex};

use super::numeral::{
    char_before, group_count, number_starts_cleanly, word_after, word_before, word_ends,
};
use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::{ArtifactKind, Confidence, Span};

const ID: &str = "zh_en/date";

#[derive(Default)]
pub struct ChineseDate {
    months: Vec<String>,
    since: Vec<String>,
    range: Vec<String>,
    count: Vec<String>,
    period: Vec<String>,
    /// The engine's dangling remnants, each with the space before it: " on the th".
    dangling: Vec<memmem::Finder<'static>>,
    /// Day markers that are also words ("Japanese"): not a marker before a lower-case word.
    wordlike: Vec<String>,
    /// Lower-case words that may follow a date.
    follow: Vec<String>,
    prefilter: Option<AfterNumber>,
    /// The most bytes a match of `re` starts before the space after its month number.
    reach: usize,
    re: Option<Regex>,
    bare_re: Option<Regex>,
}

fn alternation(words: &[String]) -> String {
    let mut w: Vec<&String> = words.iter().collect();
    w.sort_by_key(|s| std::cmp::Reverse(s.len()));
    w.iter()
        .map(|s| regex::escape(s))
        .collect::<Vec<_>>()
        .join("|")
}

pub fn build(d: &Dictionaries) -> Box<dyn Rule> {
    let mut r = ChineseDate {
        months: vec![String::new(); 13],
        ..Default::default()
    };
    for row in d.rows("zh_en/months") {
        if let Ok(n) = row.get(0).parse::<usize>() {
            if (1..=12).contains(&n) && !row.get(1).is_empty() {
                r.months[n] = row.get(1).to_string();
            }
        }
    }
    let (mut year, mut month, mut day) = (Vec::new(), Vec::new(), Vec::new());
    for row in d.rows("zh_en/date_markers") {
        let w = row.get(0).to_string();
        if w.is_empty() {
            continue;
        }
        match row.get(1) {
            "year" => year.push(w),
            "month" => month.push(w),
            "day" => {
                if row.get(2) == "word" {
                    r.wordlike.push(w.clone());
                }
                day.push(w)
            }
            "since" => r.since.push(w),
            "follow" => r.follow.push(w),
            "range" => r.range.push(w),
            "count" => r.count.push(w.to_lowercase()),
            "period" => r.period.push(w.to_lowercase()),
            "dangling" => r
                .dangling
                .push(memmem::Finder::new(&format!(" {w}")).into_owned()),
            _ => {}
        }
    }
    if month.is_empty()
        || year.is_empty()
        || day.is_empty()
        || r.months.iter().skip(1).any(String::is_empty)
    {
        return Box::new(r); // nothing to match with: the rule does nothing
    }
    // Every finding comes from a match of `re`: a day or month number, a space, a month word.
    r.prefilter = AfterNumber::new(&month);
    // "2022 year 1-12 month": four digits, a space, a year word, a space, "1-12".
    r.reach = 4 + 1 + year.iter().map(String::len).max().unwrap_or(0) + 1 + 5;
    let num = r"[0-9]{1,2}(?:-[0-9]{1,2})?";
    r.re = Regex::new(&format!(
        r"(?:(?P<y>[0-9]{{4}}) (?P<yw>{}) )?(?P<m>{num}) (?P<mw>{})(?P<pl>s)?(?: (?P<d>{num})(?: (?P<dw>{}))?)?",
        alternation(&year),
        alternation(&month),
        alternation(&day)
    ))
    .ok();
    r.bare_re = Regex::new(&format!(
        r"(?P<d>[0-9]{{1,2}}) (?P<dw>{})",
        alternation(&day)
    ))
    .ok();
    Box::new(r)
}

/// Words before a date that already say when; a dangling "on the th" is then only deleted.
const PREPOSITIONS: &[&str] = &[
    "on", "in", "at", "by", "from", "to", "since", "until", "till", "before", "after", "of",
    "through", "during", "and", "or",
];

/// Where a date stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Line start, or after . ! ? : or an opening quote.
    Opener,
    /// After a comma or semicolon.
    Clause,
    Mid,
}

/// What follows a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    /// A comma (after optional spaces); the byte after it.
    Comma(usize),
    /// A capitalized word or an article: its span.
    Word(usize, usize, bool),
    Other,
}

fn days_in(m: u32) -> u32 {
    match m {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// "5" -> (5, 5); "1-9" -> (1, 9); checks `lo <= hi <= max` and `lo >= 1`.
fn parse_range(s: &str, max: u32) -> Option<(u32, u32)> {
    let (a, b) = match s.split_once('-') {
        Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
        None => {
            let a = s.parse().ok()?;
            (a, a)
        }
    };
    (a >= 1 && a <= b && b <= max && (a < b || !s.contains('-'))).then_some((a, b))
}

fn place(t: &str, start: usize) -> Place {
    let head = t[..start].trim_end_matches([' ', '\t']);
    match head.chars().next_back() {
        None | Some('\n') => Place::Opener,
        Some('.' | '!' | '?' | ':' | '“' | '"' | '：' | '。') => Place::Opener,
        // "(Reporter Wang Li) 6 month 19 , the ...": a date after a closing byline opens the lead.
        Some(')' | '）') => Place::Opener,
        Some(',' | ';' | '，' | '；' | '、') => Place::Clause,
        _ => Place::Mid,
    }
}

fn next_of(t: &str, end: usize) -> Next {
    let rest = &t[end..];
    let trimmed = rest.trim_start_matches([' ', '\t']);
    if trimmed.starts_with(',') {
        return Next::Comma(end + rest.len() - trimmed.len() + 1);
    }
    if trimmed.starts_with('，') {
        return Next::Comma(end + rest.len() - trimmed.len() + '，'.len_utf8());
    }
    match word_after(t, end) {
        Some((s, e, w)) if s == end + 1 => {
            let article = matches!(w, "The" | "the" | "A" | "a" | "An" | "an");
            if article || w.chars().next().is_some_and(char::is_uppercase) {
                Next::Word(s, e, article)
            } else {
                Next::Other
            }
        }
        _ => Next::Other,
    }
}

fn is_year(s: &str) -> bool {
    s.parse::<u32>().is_ok_and(|y| (1000..=2999).contains(&y))
}

/// The end of the sentence that contains `pos` (a `.`/`!`/`?` followed by a space or the line
/// end, or the line end), capped at 600 bytes.
fn sentence_end(t: &str, pos: usize) -> usize {
    let cap = (pos + 600).min(t.len());
    let mut i = pos;
    let b = t.as_bytes();
    while i < cap {
        match b[i] {
            b'\n' => return i,
            b'.' | b'!' | b'?' if i + 1 >= t.len() || matches!(b[i + 1], b' ' | b'\n') => return i,
            _ => {}
        }
        i += 1;
    }
    cap
}

struct Parsed {
    start: usize,
    end: usize,
    /// (month lo, month hi)
    m: (u32, u32),
    d: Option<(u32, u32)>,
    marked: bool,
    year: Option<String>,
}

impl ChineseDate {
    fn month_name(&self, m: (u32, u32)) -> String {
        let n = |i: u32| self.months[i as usize].as_str();
        if m.0 == m.1 {
            n(m.0).to_string()
        } else {
            format!("{}-{}", n(m.0), n(m.1))
        }
    }

    fn render(&self, p: &Parsed) -> String {
        let mut s = self.month_name(p.m);
        if let Some((a, b)) = p.d {
            s.push(' ');
            s.push_str(&if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            });
            if let Some(y) = &p.year {
                s.push_str(", ");
                s.push_str(y);
            }
        } else if let Some(y) = &p.year {
            s.push(' ');
            s.push_str(y);
        }
        s
    }

    /// Deletes the engine's dangling "on the th" in `start..limit`.
    fn dangling_part(&self, t: &str, start: usize, limit: usize) -> Option<(Span, String)> {
        let region = t.get(start..limit)?;
        for pat in &self.dangling {
            if let Some(i) = pat.find(region.as_bytes()) {
                let s = start + i;
                let e = s + pat.needle().len();
                if !word_ends(t, e) {
                    continue;
                }
                let rest = &t[e..];
                let trimmed = rest.trim_start_matches(' ');
                let e = if trimmed.starts_with(['.', ',', ';', '!', '?']) {
                    e + rest.len() - trimmed.len()
                } else {
                    e
                };
                return Some((Span::new(s, e), String::new()));
            }
        }
        None
    }

    /// A count right after the date that may move before it: (end, "2,000 people").
    fn movable_count(&self, t: &str, end: usize) -> Option<(usize, String)> {
        let (ns, ne, n) = word_after(t, end)?;
        if ns != end + 1
            || !n.bytes().all(|b| b.is_ascii_digit() || b == b',')
            || !t[ne..].starts_with(' ')
        {
            return None;
        }
        let (ws, we, w) = word_after(t, ne)?;
        if ws != ne + 1 || !self.count.contains(&w.to_lowercase()) {
            return None;
        }
        Some((we, format!("{} {}", group_count(n), w.to_lowercase())))
    }

    fn parse(&self, t: &str, c: &Captures<'_>) -> Result<Parsed, Option<(Span, &'static str)>> {
        let whole = c.get(0).unwrap();
        let m = c.name("m").unwrap();
        let mw = c.name("mw").unwrap();
        let year = c.name("y").map(|y| y.as_str().to_string());
        let start = whole.start();
        if !number_starts_cleanly(t, start)
            || (year.is_none() && !number_starts_cleanly(t, m.start()))
        {
            return Err(None);
        }
        if year.as_deref().is_some_and(|y| !is_year(y)) {
            return Err(None);
        }
        let plural = c.name("pl").is_some();
        let month_end = c.name("pl").map_or(mw.end(), |p| p.end());
        if !word_ends(t, month_end) {
            return Err(None); // "5 monthly"
        }
        let Some(mr) = parse_range(m.as_str(), 12) else {
            return Err(None);
        };
        let mut d = None;
        let mut end = month_end;
        let mut marked = false;
        if let Some(dm) = c.name("d") {
            let dw = c.name("dw");
            let dend = dw.map_or(dm.end(), |w| w.end());
            let clean_end =
                word_ends(t, dm.end()) && (dw.is_none() || word_ends(t, dend) || dend == t.len());
            // "5 month 300 people", "3 month 5 days": not a day.
            let timeword = word_after(t, dm.end()).is_some_and(|(_, _, w)| {
                matches!(
                    w,
                    "days" | "weeks" | "months" | "years" | "hours" | "o'clock"
                )
            });
            if plural || !clean_end || timeword {
                if plural || timeword {
                    return Err(None);
                }
            } else if dw.is_some_and(|w| self.wordlike.iter().any(|x| x == w.as_str()))
                && word_after(t, dend).is_some_and(|(s, _, w)| {
                    s == dend + 1
                        && w.starts_with(char::is_lowercase)
                        && !self.since.iter().chain(&self.follow).any(|x| x == w)
                })
            {
                return Err(Some((
                    Span::new(start, dend),
                    "a date, or a count of Japanese things?",
                )));
            } else if mr.0 == mr.1 {
                match parse_range(dm.as_str(), days_in(mr.0)) {
                    Some(r) => {
                        d = Some(r);
                        end = dend;
                        marked = dw.is_some();
                    }
                    None => {
                        return Err(Some((
                            Span::new(start, dend),
                            "impossible day in a Chinese-order date",
                        )))
                    }
                }
            } else {
                return Err(None);
            }
        }
        Ok(Parsed {
            start,
            end,
            m: mr,
            d,
            marked,
            year,
        })
    }

    fn check_date(&self, t: &str, p: &Parsed, limit: usize, out: &mut Vec<Finding>) {
        let date = self.render(p);
        let pl = place(t, p.start);
        let glued = matches!(
            char_before(t, p.start),
            Some('.' | ',' | ';' | ':' | '!' | '?')
        );
        let lead = if glued { " " } else { "" };
        let cap = |s: &str| -> String {
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        };
        let mut parts: Vec<(Span, String)> = Vec::new();
        let mut confidence = Confidence::Certain;
        let mut moved = false;
        let prev_word = word_before(t, p.start).map(|(_, w)| w.to_string());
        // "4 month 23 since" -> "since April 23".
        if let Some((_, se, w)) = word_after(t, p.end)
            .filter(|(s, _, w)| *s == p.end + 1 && self.since.iter().any(|x| x == w))
        {
            let phrase = format!("{w} {date}");
            let phrase = if pl == Place::Opener {
                cap(&phrase)
            } else {
                phrase
            };
            parts.push((Span::new(p.start, se), format!("{lead}{phrase}")));
        } else if let Some((ce, count)) = prev_word
            .as_ref()
            .filter(|w| p.marked && self.range.iter().any(|x| x == *w))
            .and_then(|_| self.movable_count(t, p.end))
        {
            // "from 4 month 15 Japanese 2000 People" -> "from 2,000 people on April 15".
            parts.push((Span::new(p.start, ce), format!("{count} on {date}")));
            confidence = Confidence::Likely;
            moved = true;
        } else {
            let on = if p.d.is_some() { "on" } else { "in" };
            let adverbial = match pl {
                Place::Opener => Some(cap(on)),
                Place::Clause => Some(on.to_string()),
                Place::Mid => None,
            };
            match (adverbial, next_of(t, p.end)) {
                (Some(on), Next::Comma(ce)) => {
                    parts.push((Span::new(p.start, ce), format!("{lead}{on} {date},")));
                    confidence = Confidence::Likely;
                    moved = true;
                }
                (Some(on), Next::Word(ws, we, article)) => {
                    let (end, tail) = if article {
                        (we, t[ws..we].to_lowercase())
                    } else {
                        (ws, String::new())
                    };
                    parts.push((
                        Span::new(p.start, end),
                        format!("{lead}{on} {date}, {tail}"),
                    ));
                    confidence = Confidence::Likely;
                    moved = true;
                }
                _ => {
                    // "published on the website 7 month 10 on the th ." (于7月10日): the
                    // dangling remnant right after the date is its "on".
                    let on_adjacent = p.d.is_some()
                        && self
                            .dangling_part(t, p.end, limit.max(p.end))
                            .is_some_and(|(sp, _)| sp.start == p.end)
                        && !prev_word
                            .as_deref()
                            .is_some_and(|w| PREPOSITIONS.contains(&w.to_lowercase().as_str()));
                    let on = if on_adjacent { "on " } else { "" };
                    parts.push((Span::new(p.start, p.end), format!("{lead}{on}{date}")))
                }
            }
        }
        if p.d.is_some() {
            let from = parts[0].0.end;
            if let Some(dp) = self.dangling_part(t, from, limit.max(from)) {
                parts.push(dp);
            }
        }
        let what = if moved {
            "Chinese-order date moved and written in English"
        } else {
            "Chinese-order date written in English"
        };
        out.push(Finding::multi(
            ID,
            ArtifactKind::Date,
            parts,
            confidence,
            what,
        ));
    }

    /// Month-only forms with no year: repaired only as "in 1-9 months of 2022", else flagged.
    fn check_month_only(&self, t: &str, c: &Captures<'_>, p: &Parsed, out: &mut Vec<Finding>) {
        let plural = c.name("pl").is_some();
        let prev = word_before(t, p.start).map(|(_, w)| w.to_lowercase());
        if prev
            .as_deref()
            .is_some_and(|w| self.period.iter().any(|x| x == w) || w == "a" || w == "an")
        {
            return; // "the first 5 months", "a 5 month delay"
        }
        let span = Span::new(p.start, p.end);
        let rest = &t[p.end..];
        let of_year = rest.strip_prefix(" of ").filter(|r| {
            r.len() >= 4 && r.is_char_boundary(4) && is_year(&r[..4]) && word_ends(r, 4)
        });
        if plural && p.m.0 < p.m.1 {
            if let Some(r) = of_year {
                let year = &r[..4];
                out.push(Finding::fix(
                    ID,
                    ArtifactKind::Date,
                    Span::new(p.start, p.end + 4 + 4),
                    format!("{} {year}", self.month_name(p.m)),
                    Confidence::Likely,
                    "month range in Chinese order",
                ));
                return;
            }
            out.push(Finding::flag(
                ID,
                ArtifactKind::Date,
                span,
                format!("{} (a month range)?", self.month_name(p.m)),
            ));
            return;
        }
        if !plural || of_year.is_some() || rest.starts_with(" ,") {
            out.push(Finding::flag(
                ID,
                ArtifactKind::Date,
                span,
                format!("{} (a month)?", self.month_name(p.m)),
            ));
        }
    }

    /// "rise to 22 Japanese 4000 people" after a date with a day marker earlier in the sentence.
    fn check_bare_days(
        &self,
        t: &str,
        anchors: &[(usize, usize, (u32, u32))],
        taken: &[Span],
        out: &mut Vec<Finding>,
    ) {
        let Some(re) = &self.bare_re else { return };
        for (a_end, a_limit, m) in anchors {
            let Some(region) = t.get(*a_end..*a_limit) else {
                continue;
            };
            for c in re.captures_iter(region) {
                let (dm, dw) = (c.name("d").unwrap(), c.name("dw").unwrap());
                let (s, e) = (a_end + dm.start(), a_end + dw.end());
                if taken.iter().any(|sp| sp.start <= s && s < sp.end)
                    || !number_starts_cleanly(t, s)
                    || !word_ends(t, e)
                {
                    continue;
                }
                let Some((_, w)) = word_before(t, s) else {
                    continue;
                };
                if !self.range.iter().any(|x| x == w) {
                    continue;
                }
                let Ok(day) = dm.as_str().parse::<u32>() else {
                    continue;
                };
                if m.0 != m.1 || day == 0 || day > days_in(m.0) {
                    continue;
                }
                // Only with a count right after it ("to 22 Japanese 4000 people"); "to 22 Japanese
                // companies" is a count of its own.
                if !t[e..].starts_with(' ')
                    || !t[e + 1..].starts_with(|ch: char| ch.is_ascii_digit())
                {
                    continue;
                }
                let date = format!("{} {day}", self.month_name(*m));
                let (span, rep) = match self.movable_count(t, e) {
                    Some((ce, count)) => (Span::new(s, ce), format!("{count} on {date}")),
                    None => (Span::new(s, e), date),
                };
                out.push(Finding::fix(
                    ID,
                    ArtifactKind::Date,
                    span,
                    rep,
                    Confidence::Likely,
                    "bare day of the month in Chinese order",
                ));
            }
        }
    }
}

impl Rule for ChineseDate {
    fn id(&self) -> &'static str {
        ID
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Date
    }
    fn describe(&self) -> &'static str {
        "Writes Chinese-order dates in English (5 month 1 Japan -> May 1; 2022 year 5 month -> May 2022)"
    }
    fn example(&self) -> (&'static str, &'static str) {
        ("Shanghai 5 month 3 (Xinhua)", "Shanghai May 3 (Xinhua)")
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
        let (Some(ac), Some(re)) = (&self.prefilter, &self.re) else {
            return;
        };
        let caps: Vec<Captures<'_>> = if ac.is_exact() {
            // Every match holds a number, a space and a month word, the month number starting
            // at most `reach` bytes before that space: the search for the next match starts
            // there, so that the regex reads only the text around the numbers followed by a
            // month word (the same matches as `captures_iter`: none starts earlier).
            let mut caps = Vec::new();
            let mut p = 0;
            while let Some(e) = ac.next_at_view(doc, p) {
                let mut q = e.saturating_sub(self.reach).max(p);
                while !t.is_char_boundary(q) {
                    q -= 1;
                }
                let Some(c) = re.captures_at(t, q) else { break };
                p = c.get(0).unwrap().end();
                caps.push(c);
            }
            caps
        } else {
            if !ac.may_match(t) {
                return;
            }
            re.captures_iter(t).collect()
        };
        let mut anchors = Vec::new();
        let mut taken = Vec::new();
        for (i, c) in caps.iter().enumerate() {
            let p = match self.parse(t, c) {
                Ok(p) => p,
                Err(Some((span, msg))) => {
                    out.push(Finding::flag(ID, ArtifactKind::Date, span, msg));
                    continue;
                }
                Err(None) => continue,
            };
            let next_start = caps
                .get(i + 1)
                .map_or(t.len(), |n| n.get(0).unwrap().start());
            let limit = sentence_end(t, p.end).min(next_start);
            taken.push(Span::new(p.start, p.end));
            if p.d.is_none() && p.year.is_none() {
                self.check_month_only(t, c, &p, out);
                continue;
            }
            if p.d.is_some() && p.marked {
                anchors.push((p.end, sentence_end(t, p.end).min(next_start), p.m));
            }
            self.check_date(t, &p, limit, out);
        }
        if !anchors.is_empty() {
            self.check_bare_days(t, &anchors, &taken, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixes_all, assert_flags};
    use crate::ArtifactKind;

    const R: &[&str] = &["zh_en/date"];

    #[test]
    fn fixes() {
        let cases: &[(&str, &str)] = &[
            ("Xinhua news agency client Shanghai 5 month 3 (Reuters)", "Xinhua news agency client Shanghai May 3 (Reuters)"),
            ("It opened on 5 month 1 Japan , and closed", "It opened on May 1 , and closed"),
            ("It opened on 4 month 15 Japanese (Monday)", "It opened on April 15 (Monday)"),
            ("It opened on 3 month 5 day and closed", "It opened on March 5 and closed"),
            ("It opened on 5 month 1 Japanese .", "It opened on May 1 ."),
            ("It opened on 12 month 31 date .", "It opened on December 31 ."),
            ("the personnel ,4 month 23 since , The company", "the personnel , since April 23 , The company"),
            ("the personnel, 4 month 23 since the outbreak", "the personnel, since April 23 the outbreak"),
            ("Signed on 2022 year 5 month 3 day in Beijing", "Signed on May 3, 2022 in Beijing"),
            ("Sales in 2022 year 5 month rose", "Sales in May 2022 rose"),
            ("Shanghai .5 month 1 Japan , Shanghai announced", "Shanghai . On May 1, Shanghai announced"),
            ("Shanghai. 5 month 1 Japan, Shanghai announced", "Shanghai. On May 1, Shanghai announced"),
            ("caption :4 month 18 Japan , The transport vehicle", "caption : On April 18, The transport vehicle"),
            ("5 month 1 Japan , the city reopened.", "On May 1, the city reopened."),
            (
                "said ,5 month 6 The third batch of returning employees will be welcomed on the th .",
                "said , on May 6, the third batch of returning employees will be welcomed.",
            ),
            ("It grew. 5 month 6 Shanghai reopened.", "It grew. On May 6, Shanghai reopened."),
            ("It grew. 2022 year 5 month , output fell.", "It grew. In May 2022, output fell."),
            (
                "has doubled , from 4 month 15 Japanese 2000 People rise to 22 Japanese 4000 people , Total",
                "has doubled , from 2,000 people on April 15 rise to 4,000 people on April 22 , Total",
            ),
            ("from 4 month 15 Japanese 2000 new hires", "from April 15 2000 new hires"),
            ("Output in 1-9 months of 2022 grew", "Output in January-September 2022 grew"),
            ("In 2022 year 1-9 months , output grew", "In January-September 2022 , output grew"),
            ("held 5 month 1-3 Japan in Beijing", "held May 1-3 in Beijing"),
            ("May 3. 2 month 29 day is a leap day", "May 3. February 29 is a leap day"),
            // Both ends of a range.
            (
                "The fair runs from 9 month 12 Japan to 9 month 14 Japan in Xi'an.",
                "The fair runs from September 12 to September 14 in Xi'an.",
            ),
            // A dangling "on the th" right after a date is its "on".
            (
                "The list goes up on the portal 8 month 3 on the th .",
                "The list goes up on the portal on August 3.",
            ),
            ("Apply by 8 month 3 on the th .", "Apply by August 3."),
            // A date after a closing byline opens the lead.
            (
                "(Reporter Li Na) 3 month 8 , the city opened a park.",
                "(Reporter Li Na) On March 8, the city opened a park.",
            ),
        ];
        assert_fixes_all(R, cases);
    }

    #[test]
    fn leaves_alone() {
        for s in [
            "Five months later, 5 months later the plant reopened.",
            "It took 3 months.",
            "It was the 5th month of the year.",
            "Japan's exports rose 5% in May.",
            "3 Japanese companies and 12 Japanese firms joined.",
            "It opened on May 3.",
            "They signed a 6-month contract.",
            "In month 3 of the trial, patients improved.",
            "in the first 5 months of 2022",
            "a 5 month delay",
            "sold to 22 Japanese companies",
            "3 month 5 days",
            "It costs 3.5 month 1 fee",
            "He was 5 monthly",
            "on 13 month 5 day",
            "It was 5 month 3 o'clock",
        ] {
            assert_clean(R, s);
        }
    }

    #[test]
    fn flags_uncertain_month_forms() {
        assert_flags(R, "Output in 5 month rose", ArtifactKind::Date);
        assert_flags(R, "Output in 1-9 months rose", ArtifactKind::Date);
        assert_flags(R, "Output in 2 months , rose", ArtifactKind::Date);
        assert_flags(R, "on 2 month 30 day", ArtifactKind::Date);
        assert_flags(R, "In 5 month 3 Japanese firms opened", ArtifactKind::Date);
        assert_flags(R, "In 5 month 3 Japan opened", ArtifactKind::Date);
    }
}
