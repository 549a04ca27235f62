//! `structure/page-stamp`: the date-time stamp of the page, with the author glued on.
//!
//! **What it fixes.** A line that is only a date (and time), maybe with an author or source
//! after it ("2022-05-07 15:53:58Moon shadow dune", "发布时间：2022年5月7日 15:53 来源：新华社").
//! The line is removed; the date goes to metadata `date` (ISO 8601, "2022-05-07T15:53:58"), the
//! rest to `author` / `source`.
//!
//! **Why.** Page stamps are chrome in the text but useful facts about the article.
//!
//! **Not touched.** A line where the date opens a sentence ("2022-05-07 15:53 The market opened
//! higher, traders said."); impossible dates.

use super::chrome::parse_stamp;
use super::lines::{is_blank, trimmed};
use super::shared;
use super::{remove_line, CHROME_PRIORITY};
use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::{ArtifactKind, Confidence};

pub struct PageStamp;

pub fn build(_: &Dictionaries) -> Box<dyn Rule> {
    Box::new(PageStamp)
}

impl Rule for PageStamp {
    fn id(&self) -> &'static str {
        "structure/page-stamp"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Chrome
    }
    fn describe(&self) -> &'static str {
        "Removes date-time stamp lines of the page, keeping date and author as metadata"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "Title\n\n2022-05-07 15:53:58Moon shadow dune\n\nBody.\n",
            "Title\n\nBody.\n",
        )
    }
    fn scope(&self) -> Scope {
        Scope::Any
    }
    fn priority(&self) -> u8 {
        CHROME_PRIORITY
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        let t = doc.text;
        let ls = shared::lines(doc);
        for (i, l) in ls.iter().enumerate() {
            if is_blank(t, *l) {
                continue;
            }
            let line = trimmed(t, *l).0;
            if line.len() > 160 || !has_year_early(line) || !year_then_separator(line) {
                continue;
            }
            let Some(s) = parse_stamp(line) else { continue };
            if let Some(mut f) =
                remove_line(self.id(), t, ls, i, Confidence::Certain, "page date stamp")
            {
                f = f.with_meta("date", s.date);
                if let Some(a) = s.author {
                    f = f.with_meta("author", a);
                }
                if let Some(src) = s.source {
                    f = f.with_meta("source", src);
                }
                out.push(f);
            }
        }
    }
}

/// Cheap prefilter: four digits in a row within the first 40 bytes.
/// A cheap necessary condition for [`parse_stamp`]: its year is the line's first number (only a
/// label without digits may come before it), four digits then a date separator. False only when
/// that cannot hold; lines whose first number is not plain ASCII go to the full parse.
fn year_then_separator(line: &str) -> bool {
    let Some(p) = line.find(char::is_numeric) else {
        return false;
    };
    let mut end = p;
    for c in line[p..].chars().take(4) {
        if !c.is_ascii() {
            return true; // perhaps a full-width digit: let the parse decide
        }
        if !c.is_ascii_digit() {
            return false;
        }
        end += 1;
    }
    if end < p + 4 {
        return false;
    }
    let rest = line[end..].trim_start();
    rest.starts_with(['-', '/', '.', '年'])
}

fn has_year_early(line: &str) -> bool {
    let b = line.as_bytes();
    let n = b.len().min(44);
    (0..n.saturating_sub(3)).any(|i| b[i..i + 4].iter().all(u8::is_ascii_digit))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixes, clean_with};

    const R: &[&str] = &["structure/page-stamp"];

    #[test]
    fn the_year_test_admits_every_stamp() {
        use super::year_then_separator;
        use crate::rules::structure::chrome::parse_stamp;
        for line in [
            "2022-05-07 15:53:58Moon shadow dune",
            "2022年5月7日 15:53 来源：新华社",
            "Release time: 2022 / 05 / 07",
            "发布时间：2022.5.7",
            "2022 -5-7",
        ] {
            assert!(parse_stamp(line).is_some(), "{line}");
            assert!(year_then_separator(line), "{line}");
        }
        for line in [
            "In 2022, output rose",
            "12 May 2022",
            "20225-05-07",
            "No numbers",
        ] {
            assert!(!year_then_separator(line), "{line}");
            assert!(parse_stamp(line).is_none(), "{line}");
        }
    }

    #[test]
    fn removes_stamps_and_keeps_metadata() {
        let input = "Title\n\n2022-05-07 15:53:58Moon shadow dune\n\nBody.\n";
        assert_fixes(R, input, "Title\n\nBody.\n");
        let out = clean_with(R, input);
        assert_eq!(out.metadata["date"], "2022-05-07T15:53:58");
        assert_eq!(out.metadata["author"], "Moon shadow dune");
        assert_fixes(
            R,
            "标题\n\n2022年5月7日 15:53 来源：新华社\n\n正文。\n",
            "标题\n\n正文。\n",
        );
        assert_fixes(
            R,
            "Title\n\nPublished: 2021/11/03 08:15\n\nBody.\n",
            "Title\n\nBody.\n",
        );
    }

    #[test]
    fn keeps_sentences_with_dates() {
        assert_clean(
            R,
            "Title\n\n2022-05-07 15:53 The market opened higher, traders said.\n\nBody.\n",
        );
        assert_clean(R, "Title\n\nIn 2022-05 the plant reopened.\n");
        assert_clean(R, "Title\n\n2022-13-45 is not a date.\n");
    }
}
