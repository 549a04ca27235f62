//! `generic/spacing`: spaces before closing punctuation.
//!
//! **What it fixes.** A space before `, . ; : ! ?` in Latin-script text ("rose , and" -> "rose,
//! and"; "fell ." -> "fell.").
//!
//! **Why.** Machine translation and scraping leave token-separated punctuation behind.
//!
//! **Not touched.** CJK text; a space before a decimal or an ellipsis (" .5", " ...").

use std::sync::LazyLock;

use regex::Regex;

use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::chars::in_cjk_context;
use crate::text::{ArtifactKind, Confidence, Span};

pub struct Spacing;

pub fn build(_: &Dictionaries) -> Box<dyn Rule> {
    Box::new(Spacing)
}

static SPACE_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[^\s] +([,.;:!?])(?:[\s”\)]|$)").unwrap());

impl Rule for Spacing {
    fn id(&self) -> &'static str {
        "generic/spacing"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Spacing
    }
    fn describe(&self) -> &'static str {
        "Removes spaces before closing punctuation in Latin-script text"
    }
    fn example(&self) -> (&'static str, &'static str) {
        ("Sales rose , the firm said .", "Sales rose, the firm said.")
    }
    fn scope(&self) -> Scope {
        Scope::Any
    }
    fn priority(&self) -> u8 {
        60
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        let t = doc.text;
        for m in SPACE_BEFORE.captures_iter(t) {
            let p = m.get(1).unwrap();
            let first = m.get(0).unwrap().start();
            let space_start = first + t[first..].chars().next().map_or(1, char::len_utf8);
            if in_cjk_context(t, space_start, p.end()) {
                continue;
            }
            out.push(Finding::fix(
                self.id(),
                self.kind(),
                Span::new(space_start, p.start()),
                "",
                Confidence::Certain,
                "space before punctuation",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixes};

    const R: &[&str] = &["generic/spacing"];

    #[test]
    fn fixes() {
        assert_fixes(R, "rose , and fell .", "rose, and fell.");
        assert_fixes(R, "Really ?\nYes !", "Really?\nYes!");
    }

    #[test]
    fn leaves_alone() {
        assert_clean(R, "A value of .5 was reported ... later.");
        assert_clean(R, "他说 , 好。");
    }
}
