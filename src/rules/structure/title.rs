//! `structure/title`: the title, recognized and recorded.
//!
//! **What it finds.** The first non-empty line that is not page chrome (breadcrumb, stamp,
//! boilerplate) is the title; it goes to metadata `title`. The other structure rules keep it on
//! the first line by removing the chrome above it and its copies below.
//!
//! **Not touched.** Nothing is edited.

use super::chrome::Chrome;
use super::lines::trimmed;
use super::shared;
use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::{ArtifactKind, Span};

pub struct Title {
    chrome: std::sync::Arc<Chrome>,
}

pub fn build(d: &Dictionaries) -> Box<dyn Rule> {
    Box::new(Title {
        chrome: Chrome::shared(d),
    })
}

impl Rule for Title {
    fn id(&self) -> &'static str {
        "structure/title"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Other
    }
    fn describe(&self) -> &'static str {
        "Records the title (first line that is not page chrome) as metadata (no edit)"
    }
    fn example(&self) -> (&'static str, &'static str) {
        ("Markets rally\n\nBody.\n", "Markets rally\n\nBody.\n")
    }
    fn scope(&self) -> Scope {
        Scope::Any
    }
    fn priority(&self) -> u8 {
        super::CHROME_PRIORITY
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        if doc.metadata.contains_key("title") {
            return;
        }
        let t = doc.text;
        let ls = shared::lines(doc);
        let Some(i) = shared::title_index(doc, &self.chrome) else {
            return;
        };
        let (line, off) = trimmed(t, ls[i]);
        if line.chars().count() > 300 {
            return;
        }
        out.push(Finding::metadata(
            self.id(),
            Span::new(off, off + line.len()),
            "title",
            line,
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::clean_with;

    const R: &[&str] = &["structure/title"];

    #[test]
    fn records_title() {
        let out = clean_with(
            R,
            "current position:Home>Markets rally\n\nMarkets rally\n\nBody.\n",
        );
        assert_eq!(out.metadata["title"], "Markets rally");
        assert!(out.edits.is_empty());
        assert_eq!(
            clean_with(R, "\n\n  上海复工复产\n\n正文。\n").metadata["title"],
            "上海复工复产"
        );
    }
}
