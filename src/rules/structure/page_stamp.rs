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
use super::lines::{is_blank, lines, trimmed};
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
        let ls = lines(t);
        for (i, l) in ls.iter().enumerate() {
            if is_blank(t, *l) {
                continue;
            }
            let line = trimmed(t, *l).0;
            if line.len() > 160 || !has_year_early(line) {
                continue;
            }
            let Some(s) = parse_stamp(line) else { continue };
            if let Some(mut f) =
                remove_line(self.id(), t, &ls, i, Confidence::Certain, "page date stamp")
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
