//! `structure/source-line`: the source line kept, its label normalized, the source noted.
//!
//! **What it fixes.** "source : The xinhua news agency" -> "Source: The xinhua news agency" (the
//! name itself is repaired by the names rules); the source goes to metadata `source`, with an
//! uncased name title-cased and its leading article dropped ("Xinhua News Agency").
//!
//! **Why.** The closing source line is part of the article (the reference keeps it); the source
//! is a fact about the document.
//!
//! **Data.** `source` rows of `dictionaries/structure/labels.tsv`.
//!
//! **Not touched.** A line longer than 12 words after the label ("Sources: the ministry said
//! that ..."), "source" in running text, a label without a colon.

use super::caption::label_fix;
use super::chrome::{Chrome, Role};
use super::lines::is_blank;
use super::shared;
use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::{ArtifactKind, Span};

pub struct SourceLine {
    chrome: std::sync::Arc<Chrome>,
}

pub fn build(d: &Dictionaries) -> Box<dyn Rule> {
    Box::new(SourceLine {
        chrome: Chrome::shared(d),
    })
}

const SMALL: &[&str] = &[
    "of", "and", "the", "for", "in", "on", "at", "to", "a", "an", "de", "la", "du", "des", "der",
    "und",
];

/// The source name for metadata: trailing punctuation dropped; a name written all in lower case
/// (but maybe for its first letter) loses a leading "The" and is title-cased.
pub fn source_value(v: &str) -> String {
    let v = v.trim().trim_end_matches(['.', '。', ';', '；']).trim();
    let uncased =
        v.chars().skip(1).all(|c| !c.is_uppercase()) && v.chars().any(|c| c.is_ascii_alphabetic());
    if !uncased {
        return v.to_string();
    }
    let v = v
        .strip_prefix("The ")
        .or_else(|| v.strip_prefix("the "))
        .unwrap_or(v);
    v.split(' ')
        .enumerate()
        .map(|(i, w)| {
            if i > 0 && SMALL.contains(&w) {
                w.to_string()
            } else {
                let mut cs = w.chars();
                cs.next()
                    .map_or(String::new(), |f| f.to_uppercase().chain(cs).collect())
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Rule for SourceLine {
    fn id(&self) -> &'static str {
        "structure/source-line"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Punctuation
    }
    fn describe(&self) -> &'static str {
        "Keeps the source line, normalizes its label (\"source :\" -> \"Source: \") and records the source"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "Title\n\nBody.\n\nsource : Jiemian News\n",
            "Title\n\nBody.\n\nSource: Jiemian News\n",
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
        if memchr::memchr2(b':', b'|', t.as_bytes()).is_none()
            && !t.contains('：')
            && !t.contains('丨')
        {
            return;
        }
        for (i, &l) in shared::lines(doc).iter().enumerate() {
            if is_blank(t, l) {
                continue;
            }
            let Some((fix, rest)) =
                label_fix(doc, &self.chrome, self.id(), self.kind(), Role::Source, i)
            else {
                continue;
            };
            if rest.split_whitespace().count() > 12 || rest.chars().count() > 80 {
                continue;
            }
            let value = source_value(&rest);
            match fix {
                Some(f) => out.push(f.with_meta("source", value)),
                None => out.push(Finding::metadata(
                    self.id(),
                    Span::new(l.0, l.1),
                    "source",
                    value,
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::source_value;
    use crate::rules::testing::{assert_clean, assert_fixes, clean_with};

    const R: &[&str] = &["structure/source-line"];

    #[test]
    fn normalizes_and_records() {
        let input = "Title\n\nBody.\n\nsource : The xinhua news agency\n";
        assert_fixes(
            R,
            input,
            "Title\n\nBody.\n\nSource: The xinhua news agency\n",
        );
        assert_eq!(
            clean_with(R, input).metadata["source"],
            "Xinhua News Agency"
        );
        let out = clean_with(R, "标题\n\n正文。\n\n来源：新华社\n");
        assert_eq!(out.metadata["source"], "新华社");
        assert!(out.edits.is_empty());
        assert_eq!(
            clean_with(R, "T\n\nSource: Jiemian News\n").metadata["source"],
            "Jiemian News"
        );
    }

    #[test]
    fn values() {
        assert_eq!(source_value("The xinhua news agency"), "Xinhua News Agency");
        assert_eq!(source_value("People's Daily"), "People's Daily");
        assert_eq!(
            source_value("ministry of commerce."),
            "Ministry of Commerce"
        );
    }

    #[test]
    fn keeps_running_text() {
        assert_clean(R, "Title\n\nSources: the ministry said that output rose in May and that more factories would reopen soon.\n");
        assert_clean(R, "Title\n\nThe source of the leak was found.\n");
        assert_clean(R, "Title\n\nSource code is on GitHub.\n");
    }
}
