//! `structure/dateline`: the dateline place and the reporters of a news lead, as metadata.
//!
//! **What it finds.** In the first paragraphs after the title, a dateline "PLACE, DATE (" or
//! "PLACE DATE --" ("China News Service, Shanghai, May 24 (Reporter Zheng Yingying)",
//! "Xinhua news agency client Shanghai 5 month 3 (Reuters) ( The reporter Yao Yujie 、 Gong Wen
//! )"): the place goes to metadata `dateline`, the reporters named in parentheses to `reporter`.
//!
//! **Not touched.** Nothing is edited (the dateline belongs to the lead and stays). A date not
//! followed by a parenthesis or a dash ("On June 14, the ...") is not a dateline.

use std::sync::LazyLock;

use regex::Regex;

use super::byline::names;
use super::chrome::Chrome;
use super::lines::{is_blank, trimmed};
use super::shared;
use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::{ArtifactKind, Span};

pub struct Dateline {
    chrome: std::sync::Arc<Chrome>,
}

pub fn build(d: &Dictionaries) -> Box<dyn Rule> {
    Box::new(Dateline {
        chrome: Chrome::shared(d),
    })
}

/// The dateline after its optional lead-in: the place, the date, then a bracket or a dash.
///
/// The full pattern is `^(?:[^\n(（]{0,80}?[\s,，])?` followed by this one (kept in the tests as
/// `DATELINE`); its lead-in, a bounded repetition of a Unicode class, makes the capture engines
/// slow, so [`dateline_place`] tries this tail at each start the lead-in allows instead.
const TAIL_PATTERN: &str = concat!(
    r"(?P<place>\p{Lu}[\p{L}'.-]*(?:\s+\p{Lu}[\p{L}'.-]*){0,2})\s*[,，]?\s*",
    r"(?:(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+\d{1,2}",
    r"|\d{1,2}\s*month\s*\d{1,2}(?:\s*(?:day|Japanese|Japan|th))?)",
    r"\s*(?:[(（]|--|—|–)",
);

static TAIL: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!(r"\A{TAIL_PATTERN}")).unwrap());

/// The place of the dateline in `head`, as the full pattern would capture it: its leftmost-first
/// match takes the optional lead-in first (greedy), with its shortest length first (lazy: 0 to
/// 80 chars outside `[\n(（]`, then one of `[\s,，]`), and only then no lead-in at all.
fn dateline_place(head: &str) -> Option<(usize, usize)> {
    let at = |start: usize| {
        let rest = &head[start..];
        // The place starts with an upper-case letter (`\p{Lu}`): an ASCII one or any non-ASCII
        // char (left to the regex).
        let first = *rest.as_bytes().first()?;
        if first.is_ascii() && !first.is_ascii_uppercase() {
            return None;
        }
        let p = TAIL.captures(rest)?.name("place")?;
        Some((start + p.start(), start + p.end()))
    };
    for (n, (i, c)) in head.char_indices().enumerate() {
        if c == ',' || c == '，' || c.is_whitespace() {
            if let Some(r) = at(i + c.len_utf8()) {
                return Some(r);
            }
        }
        if n == 80 || c == '\n' || c == '(' || c == '（' {
            break;
        }
    }
    at(0)
}

static REPORTERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[(（]\s*(?i:the\s+)?(?i:reporters?|correspondents?|记者)\s*[:：]?\s*([^()（）]{2,80}?)\s*[)）]").unwrap()
});

impl Rule for Dateline {
    fn id(&self) -> &'static str {
        "structure/dateline"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Other
    }
    fn describe(&self) -> &'static str {
        "Records the dateline place and the reporters of a news lead as metadata (no edit)"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "Title\n\nBEIJING, June 3 (Xinhua) -- Body.\n",
            "Title\n\nBEIJING, June 3 (Xinhua) -- Body.\n",
        )
    }
    fn scope(&self) -> Scope {
        Scope::Any
    }
    fn priority(&self) -> u8 {
        super::CHROME_PRIORITY
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        let t = doc.text;
        let ls = shared::lines(doc);
        let Some(ti) = shared::title_index(doc, &self.chrome) else {
            return;
        };
        let lead = ls.iter().skip(ti + 1).filter(|l| !is_blank(t, **l)).take(3);
        for l in lead {
            let (line, off) = trimmed(t, *l);
            let head = &line[..floor_boundary(line, 300)];
            let mut found = false;
            // Cheap tests first: a dateline needs a digit and an opening bracket or dash after
            // the date, a reporter credit a bracket.
            let bracket = memchr::memchr(b'(', head.as_bytes()).is_some() || head.contains('（');
            let dash = || head.contains('—') || head.contains('–') || head.contains("--");
            // Any numeric char: an ASCII digit, or (only in non-ASCII text) another one.
            let numeric = || {
                head.bytes().any(|b| b.is_ascii_digit())
                    || (!head.is_ascii() && head.contains(char::is_numeric))
            };
            let dateline_possible = (bracket || dash()) && numeric();
            if let Some((a, b)) = dateline_possible.then(|| dateline_place(head)).flatten() {
                let span = Span::new(off + a, off + b);
                out.push(Finding::metadata(self.id(), span, "dateline", &head[a..b]));
                found = true;
            }
            if let Some(c) = bracket.then(|| REPORTERS.captures(head)).flatten() {
                let m = c.get(1).unwrap();
                if let Some(v) = names(m.as_str()) {
                    out.push(Finding::metadata(
                        self.id(),
                        Span::new(off + m.start(), off + m.end()),
                        "reporter",
                        v,
                    ));
                    found = true;
                }
            }
            if found {
                break;
            }
        }
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use regex::Regex;

    use super::{dateline_place, floor_boundary};
    use crate::rules::testing::clean_with;

    const R: &[&str] = &["structure/dateline"];

    /// The pattern [`dateline_place`] emulates, in one regex.
    static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"^(?:[^\n(（]{{0,80}}?[\s,，])?{}",
            super::TAIL_PATTERN
        ))
        .unwrap()
    });

    fn check_place(head: &str) -> bool {
        let want = DATELINE
            .captures(head)
            .map(|c| c.name("place").unwrap().range())
            .map(|r| (r.start, r.end));
        assert_eq!(dateline_place(head), want, "{head:?}");
        want.is_some()
    }

    #[test]
    fn whitespace_is_the_regex_s() {
        let s = Regex::new(r"^\s$").unwrap();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                c.is_whitespace(),
                s.is_match(c.encode_utf8(&mut [0; 4])),
                "{c:?}"
            );
        }
    }

    #[test]
    fn place_matches_the_regex_on_the_fixtures() {
        let (mut n, mut m) = (0, 0);
        for t in crate::rules::testing::fixture_texts() {
            for line in t.lines() {
                m += usize::from(check_place(line));
                check_place(&line[..floor_boundary(line, 300)]);
                n += 1;
            }
            // Heads spanning lines too, from every line start.
            for (i, _) in t.match_indices('\n') {
                let rest = &t[i + 1..];
                check_place(&rest[..floor_boundary(rest, 300)]);
            }
        }
        assert!(n > 500 && m > 5, "{n} lines, {m} datelines");
    }

    const PIECES: &[&str] = &[
        " ", "  ", ",", "，", ", ", "\n", "\t", "\u{3000}", "(", "（", ")", "--", "—", "–", "-",
        ".", "'", "Shanghai", "BEIJING", "New York", "Xinhua", "A", "É", "é", "x", "the", "news",
        "May", "June", "Jun", "Sept", "Sep.", "Dec", "3", "24", "123", "5", "month", "day", "th",
        "Japan", "Japanese", "上海", "中", "、", "Ab Cd", "On", "Reporter", "١",
    ];

    #[test]
    fn place_matches_the_regex_on_generated_heads() {
        // Heads of up to 30 pieces from a fixed xorshift sequence; the short ones are mostly
        // datelines, the long ones test the lead-in's bound.
        fn next(x: &mut u64) -> u64 {
            *x ^= *x << 13;
            *x ^= *x >> 7;
            *x ^= *x << 17;
            *x
        }
        fn pick(x: &mut u64, from: &[&str]) -> String {
            from[(next(x) % from.len() as u64) as usize].to_string()
        }
        fn pieces(x: &mut u64, k: u64) -> String {
            (0..next(x) % k).map(|_| pick(x, PIECES)).collect()
        }
        let x = &mut 0x9E37_79B9_7F4A_7C15_u64;
        let (mut n, mut m) = (0, 0);
        for _ in 0..100_000 {
            // A lead-in, a place, a date and a bracket or dash, each sometimes random pieces.
            let head = [
                pieces(x, 30),
                pick(x, &["", " ", ",", "，", "\n", "("]),
                pick(
                    x,
                    &[
                        "Shanghai", "New York", "BEIJING", "É", "A B C D", "x", "Ab-c.d",
                    ],
                ),
                pick(x, &["", ",", " ", ", ", "，", " ,  "]),
                pick(
                    x,
                    &[
                        "May 3",
                        "Sept. 30",
                        "Dec 1",
                        "5 month 3",
                        "5month3day",
                        "12 month 1 th",
                    ],
                ),
                pick(x, &["(", "（", "--", "—", "–", " (", "", "-"]),
                pieces(x, 8),
            ];
            let head: String = head
                .into_iter()
                .map(|p| if next(x) % 5 > 0 { p } else { pieces(x, 4) })
                .collect();
            m += usize::from(check_place(&head));
            n += 1;
        }
        assert!(m > n / 20, "{m} datelines in {n} heads");
    }

    #[test]
    fn long_lead_ins() {
        // The 80-char bound of the lead-in, on both sides of it, in ASCII and in wider chars.
        for fill in ["a", "é", "中"] {
            for n in 70..90 {
                for sep in [" ", ",", "，", "\n"] {
                    let head = format!("{}{sep}Shanghai, May 3 (x", fill.repeat(n));
                    check_place(&head);
                    let head = format!("{}{sep}Shanghai, May 3 (x", fill.repeat(n) + " ");
                    check_place(&head);
                    let head = format!("Xx {}{sep}Shanghai 5 month 3 --", fill.repeat(n));
                    check_place(&head);
                }
            }
        }
    }

    #[test]
    fn records_datelines() {
        let out = clean_with(R, "Title\n\nChina News Service, Shanghai, May 24 (Reporter Zheng Yingying) According to the news.\n");
        assert_eq!(out.metadata["dateline"], "Shanghai");
        assert_eq!(out.metadata["reporter"], "Zheng Yingying");
        assert!(out.edits.is_empty());
        let out = clean_with(
            R,
            "Title\n\nXinhua news agency client Shanghai 5 month 3 (Reuters) ( The reporter Yao Yujie 、 Gong Wen 、 Sun Qing ) Carrying a bag.\n",
        );
        assert_eq!(out.metadata["dateline"], "Shanghai");
        assert_eq!(out.metadata["reporter"], "Yao Yujie, Gong Wen, Sun Qing");
        assert_eq!(
            clean_with(R, "Title\n\nBEIJING, June 3 (Xinhua) -- Body.\n").metadata["dateline"],
            "BEIJING"
        );
    }

    #[test]
    fn ignores_dates_in_sentences() {
        let out = clean_with(R, "Title\n\nLatest News: On June 14, the Central Propaganda Department held a press conference.\n");
        assert!(!out.metadata.contains_key("dateline"));
        let out = clean_with(R, "Title\n\nOn the morning of April 30, at the press conference (held online), he said.\n");
        assert!(!out.metadata.contains_key("dateline"));
    }
}
