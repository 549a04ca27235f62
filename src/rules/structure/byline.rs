//! `structure/byline`: reporters and authors named in a byline, kept as metadata.
//!
//! **What it finds.** A byline line ("Reporter | She Xiaochen", "记者：张三 李四", "Author: Jane
//! Roe"): the names go to metadata `reporter` or `author`. The line itself stays (its label is
//! normalized by the attribution rules: "Reporter: She Xiaochen").
//!
//! **Data.** `reporter` and `author` rows of `dictionaries/structure/labels.tsv`.
//!
//! **Not touched.** Nothing is edited. Lines whose text after the label is not a short list of
//! names (more than 8 words, or sentence punctuation) give no metadata.

use super::chrome::{name_like, Chrome, Role};
use super::lines::is_blank;
use super::shared;
use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::{ArtifactKind, Span};

pub struct Byline {
    chrome: std::sync::Arc<Chrome>,
}

pub fn build(d: &Dictionaries) -> Box<dyn Rule> {
    Box::new(Byline {
        chrome: Chrome::shared(d),
    })
}

/// Splits a list of names ("Yao Yujie 、 Gong Wen , Sun Qing", "A and B") and joins it with ", ".
/// `None` when any part is not name-like.
pub fn names(s: &str) -> Option<String> {
    let parts: Vec<&str> = s
        .split(['、', ',', '，', ';', '；'])
        .flat_map(|p| p.split(" and "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() || parts.len() > 8 || !parts.iter().all(|p| name_like(p)) {
        return None;
    }
    Some(parts.join(", "))
}

impl Rule for Byline {
    fn id(&self) -> &'static str {
        "structure/byline"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Other
    }
    fn describe(&self) -> &'static str {
        "Records the reporters and authors of a byline as metadata (no edit)"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "Title\n\nReporter: She Xiaochen\n",
            "Title\n\nReporter: She Xiaochen\n",
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
        for (i, &l) in shared::lines(doc).iter().enumerate() {
            if is_blank(t, l) || l.1 - l.0 > 200 {
                continue;
            }
            let Some(lab) = shared::label(doc, &self.chrome, i) else {
                continue;
            };
            let key = match lab.role {
                Role::Reporter => "reporter",
                Role::Author => "author",
                _ => continue,
            };
            if lab.rest.split_whitespace().count() > 8 {
                continue;
            }
            if let Some(v) = names(lab.rest) {
                out.push(Finding::metadata(self.id(), Span::new(l.0, l.1), key, v));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::names;
    use crate::rules::testing::{assert_clean, clean_with};

    const R: &[&str] = &["structure/byline"];

    #[test]
    fn records_bylines() {
        let out = clean_with(R, "Title\n\nReporter | She Xiaochen\n\nBody.\n");
        assert_eq!(out.metadata["reporter"], "She Xiaochen");
        assert!(out.edits.is_empty());
        assert_eq!(
            clean_with(R, "标题\n\n记者：张三、李四\n").metadata["reporter"],
            "张三, 李四"
        );
        assert_eq!(
            clean_with(R, "T\n\nAuthor: Jane Roe\n").metadata["author"],
            "Jane Roe"
        );
    }

    #[test]
    fn ignores_sentences() {
        let out = clean_with(
            R,
            "Title\n\nReporters: the ministry said that prices rose.\n",
        );
        assert!(!out.metadata.contains_key("reporter"));
        assert_clean(R, "Title\n\nThe reporter said he saw it.\n");
        assert_eq!(
            names("Yao Yujie 、 Gong Wen 、 Sun Qing").unwrap(),
            "Yao Yujie, Gong Wen, Sun Qing"
        );
    }
}
