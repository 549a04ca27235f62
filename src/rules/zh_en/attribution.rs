//! `zh_en/dateline` and `zh_en/reporter`: datelines and bylines of Chinese news agencies.
//!
//! **What `zh_en/dateline` fixes.** On a dispatch dateline the engine renders 电 ("cabled") as
//! "(Reuters)": "Xinhua News Agency app Shanghai 5 month 3 (Reuters)" -> "Xinhua News Agency app,
//! Shanghai, 5 month 3" (the date itself is `zh_en`'s date rule's job; both "5 month 3" and "May
//! 3" are recognized so the fix loop converges). The commas of a dateline (agency, place, date)
//! are inserted.
//!
//! **What `zh_en/reporter` fixes.** "( The reporter A 、 B )" -> "(Reporters A, B)", one name ->
//! "(Reporter A)"; a byline line "Reporter | She Xiaochen" -> "Reporter: She Xiaochen". The names
//! go into the document's metadata under `reporter` (or `author`, `editor`...).
//!
//! **Not touched.** An honest Reuters dateline ("LONDON, May 3 (Reuters) -"), parentheses that
//! hold anything but names.

use std::sync::LazyLock;

use memchr::memmem;
use regex::Regex;

use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::{ArtifactKind, Confidence, Span};

pub struct Dateline;

pub fn build_dateline(_: &Dictionaries) -> Box<dyn Rule> {
    Box::new(Dateline)
}

/// Matched line by line, anchored at the line start (no part of it can cross a line end).
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    let agency = r"(?i:xinhua news agency app|xinhua news agency client|xinhua news agency|xinhua news client|xinhua|china news service|china news agency|people's daily app|people's daily client|cctv news app|cctv news client|cctv news|china daily)";
    let place = r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}";
    let month = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)";
    let date =
        format!(r"(?:\d{{1,2}} month \d{{1,2}}(?: (?:Japan|Japanese|day))?|{month} \d{{1,2}})");
    Regex::new(&format!(
        r"^[ \t]*(?:(?P<ag>{agency})(?P<s1>,? ))?(?P<place>{place})(?P<s2>,? )(?P<date>{date})\b(?P<reu> ?\((?:Reuters|Xinhua|Telegraph|Electric)\)| (?:[Ee]lectric|[Tt]elegraph)\b(?P<nx> *.)?)?(?P<after> ?[-–—])?"
    ))
    .unwrap()
});

impl Rule for Dateline {
    fn id(&self) -> &'static str {
        "zh_en/dateline"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Attribution
    }
    fn describe(&self) -> &'static str {
        "Removes the \"(Reuters)\" engines put for 电 on Chinese agency datelines and inserts the dateline commas"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "Xinhua News Agency app Shanghai May 3 (Reuters) Shanghai announced...",
            "Xinhua News Agency app, Shanghai, May 3 Shanghai announced...",
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
        let b = text.as_bytes();
        let ends = memchr::memchr_iter(b'\n', b).chain(std::iter::once(b.len()));
        let mut ls = 0;
        for le in ends {
            let off = ls;
            let line = &text[ls..le];
            ls = le + 1;
            // The line opens (after blanks) with a place ([A-Z]) or an agency (x, c, p, any case).
            let first = line.bytes().find(|&b| b != b' ' && b != b'\t');
            if !first.is_some_and(|b| b.is_ascii_uppercase() || matches!(b, b'x' | b'c' | b'p')) {
                continue;
            }
            // Most lines do not match: a plain match test, without capture slots, rules them out.
            if !DATELINE.is_match(line) {
                continue;
            }
            let Some(c) = DATELINE.captures(line) else {
                continue;
            };
            let ag = c.name("ag");
            let s2 = c.name("s2").unwrap();
            let date = c.name("date").unwrap();
            let chinese_date = date.as_str().contains(" month ");
            let honest = ag.is_none() && s2.as_str() == ", " && c.name("after").is_some();
            if honest {
                continue;
            }
            // Without an agency, only a Chinese-form date or a stuck "(Reuters)" proves a dispatch.
            if ag.is_none() && !chinese_date && c.name("reu").is_none() {
                continue;
            }
            if ag.is_none() && c.name("after").is_some() {
                continue;
            }
            let mut parts = Vec::new();
            if let Some(s1) = c.name("s1") {
                if s1.as_str() != ", " {
                    parts.push((
                        Span::new(off + s1.start(), off + s1.end()),
                        ", ".to_string(),
                    ));
                }
            }
            if s2.as_str() != ", " {
                parts.push((
                    Span::new(off + s2.start(), off + s2.end()),
                    ", ".to_string(),
                ));
            }
            if let Some(r) = c.name("reu") {
                // A bare "electric" (电) only when no lower-case word follows ("May 3 electric
                // cars" is a phrase).
                let nx = c.name("nx");
                if nx.is_some_and(|n| n.as_str().trim_start().starts_with(char::is_lowercase)) {
                    continue;
                }
                let end = nx.map_or(r.end(), |n| n.start());
                parts.push((Span::new(off + r.start(), off + end), String::new()));
            }
            if parts.is_empty() {
                continue;
            }
            out.push(Finding::multi(
                self.id(),
                self.kind(),
                parts,
                Confidence::Likely,
                "Chinese agency dateline: \"(Reuters)\" renders 电; agency, place and date take commas",
            ));
        }
    }
}

pub struct Reporter;

pub fn build_reporter(_: &Dictionaries) -> Box<dyn Rule> {
    Box::new(Reporter)
}

/// The pattern of a credit; `credit_at` finds its matches by hand (the regex's capture engine
/// cost thousands of instructions per credit) and the tests compare the two on generated text.
#[cfg(test)]
static PAREN_REPORTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[(（][ \t]*(?:[Tt]he[ \t]+)?[Rr]eporters?[ \t]+([^()（）\n]{2,120}?)[ \t]*[)）]")
        .unwrap()
});
const MAX_NAMES_CHARS: usize = 120;
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*(Reporters?|Authors?|Editors?|Correspondents?|Photographers?|Text|Photo)[ \t]*[|｜][ \t]*(\S[^\n]*?)[ \t]*$").unwrap()
});
static NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z][a-z]+(?:[ -][A-Z][a-z]*){0,3}$").unwrap());

impl Rule for Reporter {
    fn id(&self) -> &'static str {
        "zh_en/reporter"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Attribution
    }
    fn describe(&self) -> &'static str {
        "Normalizes reporter credits: \"( The reporter A 、 B )\" -> \"(Reporters A, B)\", \"Reporter | A\" -> \"Reporter: A\""
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "( The reporter Yao Yujie 、 Gong Wen )",
            "(Reporters Yao Yujie, Gong Wen)",
        )
    }
    fn scope(&self) -> Scope {
        Scope::English
    }
    fn priority(&self) -> u8 {
        30
    }
    fn line_local(&self) -> bool {
        true
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        let text = doc.text;
        // Neither regex matches across a line end, and each needs its line to hold "eporter"
        // or a bar: they run on those lines only, each line once.
        let b = text.as_bytes();
        for (ls, le) in lines_at(b, memmem::find_iter(b, b"eporter")) {
            self.credits(text, ls, le, out);
        }
        // A bar is '|' or the full-width "｜" (EF BD 9C): one scan finds both.
        let bars = memchr::memchr2_iter(b'|', 0xEF, b)
            .filter(|&p| b[p] == b'|' || b[p..].starts_with("｜".as_bytes()));
        for (ls, le) in lines_at(b, bars) {
            self.bylines(text, ls, le, out);
        }
    }
}

/// The lines of `b` (start, end without the `\n`) that hold one of the positions `at` (in
/// increasing order), in order, each once.
fn lines_at(b: &[u8], at: impl Iterator<Item = usize>) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut done = 0;
    for p in at {
        if p < done {
            continue;
        }
        let ls = memchr::memrchr(b'\n', &b[..p]).map_or(0, |i| i + 1);
        let le = memchr::memchr(b'\n', &b[p..]).map_or(b.len(), |i| p + i);
        lines.push((ls, le));
        done = le;
    }
    lines
}

/// The matches of `[(（][ \t]*(?:[Tt]he[ \t]+)?[Rr]eporters?[ \t]+([^()（）\n]{2,120}?)[ \t]*[)）]`
/// in `line` (which holds no `\n`), in order, without overlaps: each whole match and its group.
fn credits_in(line: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(p) = line[from..].find(['(', '（']) {
        let s = from + p;
        match credit_at(line, s) {
            Some((end, g)) => {
                found.push((s..end, &line[g.clone()]));
                from = end;
            }
            None => from = s + line[s..].chars().next().map_or(1, char::len_utf8),
        }
    }
    found
}

/// The credit starting at the opening parenthesis at `s`, if any: its end and its group. Each
/// part of the prefix is forced (blanks are followed by a letter, "the" by blanks, "reporter"
/// by "s" or blanks), so only the blanks before the names are given back when the names would
/// be shorter than two characters; the names end at the first parenthesis, which must close,
/// and give up their trailing blanks.
fn credit_at(line: &str, s: usize) -> Option<(usize, std::ops::Range<usize>)> {
    let b = line.as_bytes();
    let blanks = |i: usize| {
        i + b[i..]
            .iter()
            .take_while(|&&c| c == b' ' || c == b'\t')
            .count()
    };
    let mut i = blanks(s + line[s..].chars().next()?.len_utf8());
    if matches!(b.get(i), Some(b'T' | b't')) && b.get(i + 1..i + 3) == Some(b"he") {
        let j = blanks(i + 3);
        if j == i + 3 {
            return None;
        }
        i = j;
    }
    if !matches!(b.get(i), Some(b'R' | b'r')) || b.get(i + 1..i + 8) != Some(b"eporter") {
        return None;
    }
    let mut j0 = i + 8;
    if b.get(j0) == Some(&b's') {
        j0 += 1;
    }
    let j1 = blanks(j0);
    if j1 == j0 {
        return None;
    }
    let k = j1 + line[j1..].find(['(', ')', '（', '）'])?;
    if line[k..].starts_with(['(', '（']) {
        return None;
    }
    let close = k + line[k..].chars().next()?.len_utf8();
    let n = line[j1..k].chars().count();
    // The group starts after at least one blank and holds at least two characters.
    let g = j1 - 2usize.saturating_sub(n);
    if g <= j0 {
        return None;
    }
    let two = g + line[g..].chars().take(2).map(char::len_utf8).sum::<usize>();
    let last = g + line[g..k].trim_end_matches([' ', '\t']).len();
    let e = two.max(last);
    if line[g..e].chars().count() > MAX_NAMES_CHARS {
        return None;
    }
    Some((close, g..e))
}

impl Reporter {
    /// "( The reporter A 、 B )" credits on the line `ls..le`.
    fn credits(&self, text: &str, ls: usize, le: usize, out: &mut Vec<Finding>) {
        for (m, group) in credits_in(&text[ls..le]) {
            let m = (ls + m.start, ls + m.end, &text[ls + m.start..ls + m.end]);
            let names: Vec<&str> = group
                .split(['、', '，', ','])
                .flat_map(|p| p.split(" and "))
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            if names.is_empty() || !names.iter().all(|n| NAME.is_match(n)) {
                continue;
            }
            let word = if names.len() > 1 {
                "Reporters"
            } else {
                "Reporter"
            };
            let fixed = format!("({word} {})", names.join(", "));
            let f = if m.2 == fixed {
                Finding::metadata(self.id(), Span::new(m.0, m.1), "reporter", names.join(", "))
            } else {
                Finding::fix(
                    self.id(),
                    self.kind(),
                    Span::new(m.0, m.1),
                    fixed,
                    Confidence::Likely,
                    "reporter credit",
                )
                .with_meta("reporter", names.join(", "))
            };
            out.push(f);
        }
    }

    /// A "Reporter | A" byline on the line `ls..le`.
    fn bylines(&self, text: &str, ls: usize, le: usize, out: &mut Vec<Finding>) {
        for c in BYLINE.captures_iter(&text[ls..le]) {
            let role = c.get(1).unwrap();
            let who = c.get(2).unwrap();
            let key = role.as_str().trim_end_matches('s').to_lowercase();
            let key = if key == "text" {
                "author".to_string()
            } else {
                key
            };
            out.push(
                Finding::fix(
                    self.id(),
                    self.kind(),
                    Span::new(ls + role.end(), ls + who.start()),
                    ": ",
                    Confidence::Likely,
                    "byline separator",
                )
                .with_meta(&key, who.as_str()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixes, clean_with};

    const D: &[&str] = &["zh_en/dateline"];
    const P: &[&str] = &["zh_en/reporter"];

    #[test]
    fn datelines() {
        let cases = [
            (
                "Xinhua news agency client Shanghai 5 month 3 (Reuters) ( The reporter",
                "Xinhua news agency client, Shanghai, 5 month 3 ( The reporter",
            ),
            (
                "Xinhua News Agency app Shanghai May 3 (Reuters) Carrying",
                "Xinhua News Agency app, Shanghai, May 3 Carrying",
            ),
            (
                "  China News Service Shanghai May 24 (Reporter Zheng)",
                "  China News Service, Shanghai, May 24 (Reporter Zheng)",
            ),
            (
                "Shanghai 5 month 3 (Reuters) The city",
                "Shanghai, 5 month 3 The city",
            ),
            // 电 as a bare word after the date.
            (
                "Xinhua News Agency Wuhan 8 month 2 Japan electric ( Reporter Li )",
                "Xinhua News Agency, Wuhan, 8 month 2 Japan ( Reporter Li )",
            ),
            (
                "China News Service, Lanzhou, March 9 electric The city",
                "China News Service, Lanzhou, March 9 The city",
            ),
        ];
        for (i, e) in cases {
            assert_fixes(D, i, e);
        }
    }

    #[test]
    fn a_dateline_is_fixed_alike_alone_and_among_other_lines() {
        // No line but the dateline holds " month ", "(" or ", ": the rule is line-local, so
        // the other lines change nothing.
        assert_fixes(
            D,
            "Xinhua News Agency Wuhan May 2 electric The city grew\nPrices rose",
            "Xinhua News Agency, Wuhan, May 2 The city grew\nPrices rose",
        );
        assert_fixes(
            D,
            "Xinhua News Agency Wuhan May 2 electric The city grew\nPrices rose, then fell",
            "Xinhua News Agency, Wuhan, May 2 The city grew\nPrices rose, then fell",
        );
    }

    #[test]
    fn honest_datelines_stay() {
        for t in [
            "LONDON, May 3 (Reuters) - Shares fell.",
            "China News Service, Shanghai, May 24 (Reporter Zheng Yingying) According to",
            "Tokyo, May 3 (Reuters) - Japan's exports rose 5% in May.",
            "In Shanghai May 3 was a holiday.",
            "Shanghai May 3 electric cars sold out.",
            "Xinhua Shanghai May 3 electric vehicle sales rose.",
        ] {
            assert_clean(D, t);
        }
    }

    #[test]
    fn credits_in_matches_the_pattern() {
        use super::{credits_in, PAREN_REPORTER};
        let parts = [
            "(",
            "（",
            ")",
            "）",
            " ",
            "\t",
            "the ",
            "The",
            "reporter",
            "Reporters",
            "reporters",
            "a",
            "Li",
            "、",
            "x",
            "\n",
            "Yao Yujie",
        ];
        let mut seed = 7u64;
        for _ in 0..200_000 {
            let mut t = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut r = seed;
            for _ in 0..(r % 14) {
                r = r.rotate_left(5).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                t.push_str(parts[(r >> 40) as usize % parts.len()]);
            }
            for line in t.split('\n') {
                let want: Vec<_> = PAREN_REPORTER
                    .captures_iter(line)
                    .map(|c| (c.get(0).unwrap().range(), c.get(1).unwrap().as_str()))
                    .collect();
                assert_eq!(credits_in(line), want, "{line:?}");
            }
        }
        let long = format!("(reporter {})(reporter ab)", "x".repeat(119));
        let want: Vec<_> = PAREN_REPORTER
            .captures_iter(&long)
            .map(|c| (c.get(0).unwrap().range(), c.get(1).unwrap().as_str()))
            .collect();
        assert_eq!(credits_in(&long), want);
        for n in [117, 118, 119, 120, 121] {
            let t = format!("( reporter  {} )", "字".repeat(n));
            let want: Vec<_> = PAREN_REPORTER
                .captures_iter(&t)
                .map(|c| (c.get(0).unwrap().range(), c.get(1).unwrap().as_str()))
                .collect();
            assert_eq!(credits_in(&t), want, "{n}");
        }
    }

    #[test]
    fn reporters() {
        assert_fixes(
            P,
            "( The reporter Yao Yujie 、 Gong Wen 、 Sun Qing ) Carrying",
            "(Reporters Yao Yujie, Gong Wen, Sun Qing) Carrying",
        );
        assert_fixes(
            P,
            "( The reporter Yao Yujie , Gong Wen )",
            "(Reporters Yao Yujie, Gong Wen)",
        );
        assert_fixes(
            P,
            "( reporter Zheng Yingying )",
            "(Reporter Zheng Yingying)",
        );
        assert_fixes(
            P,
            "Title\n\nReporter | She Xiaochen\n\nText.",
            "Title\n\nReporter: She Xiaochen\n\nText.",
        );
        let out = clean_with(P, "Reporter | She Xiaochen\n");
        assert_eq!(
            out.metadata.get("reporter").map(String::as_str),
            Some("She Xiaochen")
        );
        assert_clean(P, "(Reporter Zheng Yingying) According to");
        assert_clean(P, "(the reporter said it was late)");
        assert_clean(P, "a | b | c");
        // Several lines, each searched on its own: a credit and a bar on one line, a fullwidth
        // bar, and a line with two credits.
        assert_fixes(
            P,
            "Intro ( reporter Zheng Yingying ) |\nPhoto ｜ Li Wei\nx ( reporter A b ) ( The reporter Gong Wen 、 Sun Qing )\nText | Yao Yujie",
            "Intro (Reporter Zheng Yingying) |\nPhoto: Li Wei\nx ( reporter A b ) (Reporters Gong Wen, Sun Qing)\nText: Yao Yujie",
        );
    }
}
