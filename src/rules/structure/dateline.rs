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
    chrome: Chrome,
}

pub fn build(d: &Dictionaries) -> Box<dyn Rule> {
    Box::new(Dateline {
        chrome: Chrome::from_dicts(d),
    })
}

static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:[^\n(（]{0,80}?[\s,，])?",
        r"(?P<place>\p{Lu}[\p{L}'.-]*(?:\s+\p{Lu}[\p{L}'.-]*){0,2})\s*[,，]?\s*",
        r"(?:(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+\d{1,2}",
        r"|\d{1,2}\s*month\s*\d{1,2}(?:\s*(?:day|Japanese|Japan|th))?)",
        r"\s*(?:[(（]|--|—|–)",
    ))
    .unwrap()
});

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
            if let Some(c) = dateline_possible.then(|| DATELINE.captures(head)).flatten() {
                let p = c.name("place").unwrap();
                let span = Span::new(off + p.start(), off + p.end());
                out.push(Finding::metadata(self.id(), span, "dateline", p.as_str()));
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
    use crate::rules::testing::clean_with;

    const R: &[&str] = &["structure/dateline"];

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
