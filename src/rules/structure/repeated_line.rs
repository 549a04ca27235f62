//! `structure/repeated-line`: lines repeated across many documents of a corpus (corpus mode).
//!
//! **What it fixes.** A line whose normalized form (lower case, whitespace collapsed) the corpus
//! pass found in at least `min_docs` documents: site footers, navigation, slogans. Removed whole.
//! Runs only when the cleaner was given a set (see [`crate::corpus_chrome`] and
//! [`crate::Cleaner::with_corpus_chrome`]); without one it does nothing.
//!
//! **Not touched.** The title (first non-chrome line), even when many documents share it.

use super::chrome::Chrome;
use super::lines::is_blank;
use super::shared;
use super::{remove_line, CHROME_PRIORITY};
use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::{ArtifactKind, Confidence};

pub struct RepeatedLine {
    chrome: std::sync::Arc<Chrome>,
}

pub fn build(d: &Dictionaries) -> Box<dyn Rule> {
    Box::new(RepeatedLine {
        chrome: Chrome::shared(d),
    })
}

impl Rule for RepeatedLine {
    fn id(&self) -> &'static str {
        "structure/repeated-line"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Chrome
    }
    fn describe(&self) -> &'static str {
        "Removes lines repeated across many documents of the corpus (corpus mode only)"
    }
    fn example(&self) -> (&'static str, &'static str) {
        ("Title\n\nBody.\n\nFollow us on Weibo\n", "Title\n\nBody.\n")
    }
    fn scope(&self) -> Scope {
        Scope::Any
    }
    fn priority(&self) -> u8 {
        CHROME_PRIORITY
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        let Some(set) = doc.corpus_chrome else { return };
        if set.is_empty() {
            return;
        }
        let t = doc.text;
        let ls = shared::lines(doc);
        let ti = shared::title_index(doc, &self.chrome);
        for (i, l) in ls.iter().enumerate() {
            if Some(i) == ti || is_blank(t, *l) {
                continue;
            }
            if set.contains_line(&t[l.0..l.1]) {
                out.extend(remove_line(
                    self.id(),
                    t,
                    ls,
                    i,
                    Confidence::Likely,
                    "line repeated across the corpus",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::corpus_chrome::CorpusChrome;
    use crate::{Cleaner, Config};

    #[test]
    fn removes_corpus_lines_only_with_a_set() {
        let docs: Vec<String> = (0..5)
            .map(|i| format!("Story {i} headline here\n\nBody {i} text.\n\nFollow us on Weibo\n"))
            .collect();
        let set = CorpusChrome::from_documents(docs.iter().map(String::as_str), 3);
        let cfg = Config {
            only: vec!["structure/repeated-line".into()],
            ..Config::default()
        };
        let plain = Cleaner::new(cfg.clone()).unwrap();
        assert_eq!(plain.clean(&docs[0]).text, docs[0]);
        let c = Cleaner::new(cfg).unwrap().with_corpus_chrome(set);
        let out = c.clean(&docs[0]);
        assert_eq!(out.text, "Story 0 headline here\n\nBody 0 text.\n");
        assert_eq!(out.edits[0].rule, "structure/repeated-line");
        // A document without the line is untouched.
        assert_eq!(c.clean("A title\n\nOther text.\n").edits.len(), 0);
    }
}
