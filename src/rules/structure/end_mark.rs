//! `structure/end-mark`: the "( End )" mark that closes a wire story.
//!
//! **What it fixes.** An end mark at the end of a paragraph ("said .( End )" -> "said .",
//! "(End)", "（完）") is removed, the full stop before it kept; a line holding only the mark is
//! removed whole.
//!
//! **Why.** Agencies close dispatches with 完 ("End"); it is not article text.
//!
//! **Not touched.** "(End)" in running text, or after a word at a line end ("the Tail (End)").

use std::sync::LazyLock;

use regex::Regex;

use super::lines::{is_blank, trimmed};
use super::shared;
use super::{remove_line, CHROME_PRIORITY};
use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::{ArtifactKind, Confidence, Span};

pub struct EndMark;

pub fn build(_: &Dictionaries) -> Box<dyn Rule> {
    Box::new(EndMark)
}

static MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*[(（]\s*(?:end|完|全文完|fin|ende|конец|終わり)\s*[)）]\s*$").unwrap()
});

impl Rule for EndMark {
    fn id(&self) -> &'static str {
        "structure/end-mark"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Chrome
    }
    fn describe(&self) -> &'static str {
        "Removes the end mark of a dispatch (\"( End )\", \"（完）\")"
    }
    fn example(&self) -> (&'static str, &'static str) {
        ("Title\n\nHe said.( End )\n", "Title\n\nHe said.\n")
    }
    fn scope(&self) -> Scope {
        Scope::Any
    }
    fn priority(&self) -> u8 {
        CHROME_PRIORITY
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        let t = doc.text;
        if memchr::memchr(b')', t.as_bytes()).is_none() && !t.contains('）') {
            return;
        }
        let ls = shared::lines(doc);
        for (i, l) in ls.iter().enumerate() {
            if is_blank(t, *l) {
                continue;
            }
            let (line, off) = trimmed(t, *l);
            // The mark closes the trimmed line (`\s` is the `White_Space` that `trim` removes).
            if !line.ends_with([')', '）']) {
                continue;
            }
            let Some(m) = MARK.find(line) else { continue };
            let before = line[..m.start()].trim_end();
            if before.is_empty() {
                out.extend(remove_line(
                    self.id(),
                    t,
                    ls,
                    i,
                    Confidence::Certain,
                    "end mark",
                ));
                continue;
            }
            let closes =
                before.ends_with(['.', '。', '!', '?', '！', '？', '”', '"', '’', '」', '』']);
            if !closes {
                continue;
            }
            // The span takes in the closing mark it keeps, so no other fix can insert anything
            // between that mark and the end mark in the same pass ("said .( End )": a space
            // after the full stop would be left at the line end).
            let last = before.chars().next_back().expect("not empty");
            let span = Span::new(off + before.len() - last.len_utf8(), off + line.len());
            out.push(Finding::fix(
                self.id(),
                self.kind(),
                span,
                last.to_string(),
                Confidence::Certain,
                "end mark",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixes};

    const R: &[&str] = &["structure/end-mark"];

    #[test]
    fn removes_marks() {
        assert_fixes(
            R,
            "T\n\nSun Wenjie said .( End )\n\nsource : X\n",
            "T\n\nSun Wenjie said .\n\nsource : X\n",
        );
        assert_fixes(R, "T\n\nHe said.(End)\n", "T\n\nHe said.\n");
        assert_fixes(
            R,
            "T\n\n“We will,” he said. ( End )\n",
            "T\n\n“We will,” he said.\n",
        );
        assert_fixes(R, "标题\n\n他说。（完）\n", "标题\n\n他说。\n");
        assert_fixes(R, "T\n\nBody.\n\n(End)\n", "T\n\nBody.\n");
    }

    #[test]
    fn end_mark_and_spacing_settle_in_one_pass() {
        let c = crate::Cleaner::new(crate::Config {
            only: vec!["structure/end-mark".into(), "generic/spacing".into()],
            ..crate::Config::default()
        })
        .unwrap();
        let out = c.clean("Title\n\nSun Wenjie said .( End )\n\nMore text here.\n");
        assert_eq!(out.text, "Title\n\nSun Wenjie said.\n\nMore text here.\n");
        assert_eq!(out.passes, 2);
    }

    #[test]
    fn keeps_look_alikes() {
        assert_clean(R, "T\n\nThe band played the Tail (End)\n");
        assert_clean(R, "T\n\nThe (End) of the year came fast.\n");
    }
}
