//! Previewing what the cleaner does before trusting it.
//!
//! - [`diff`]: a word-level terminal diff of the changed paragraphs, each change annotated with the
//!   rule(s) that made it, flags listed after the changes (`textmend diff`);
//! - [`html`]: one self-contained HTML review page (inline CSS and JS, no network) for a sample of
//!   documents, with filters by rule and kind (`textmend diff --html`);
//! - [`scan`]: detection-only summaries, one record per document, as TSV or JSONL (`textmend scan`).
//!
//! Everything here reads a [`Cleaned`] and the input it came from; nothing is rewritten.

use crate::cleaner::{Cleaned, Flag};
use crate::text::{ArtifactKind, Edit};

pub mod diff;
pub mod html;
pub mod scan;

/// One document to review: its id, the exact input bytes it was cleaned from, and the result.
#[derive(Debug, Clone, Copy)]
pub struct DocRef<'a> {
    pub id: &'a str,
    /// The input exactly as given to the cleaner (edit spans are byte offsets into it).
    pub input: &'a [u8],
    pub cleaned: &'a Cleaned,
}

/// Which changes to show. Empty lists mean "all".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Rule ids ("generic/spacing") or packs ("zh_en"); an edit matches if its rule or one of the
    /// rules merged into it (`also`) matches.
    pub rules: Vec<String>,
    /// Artifact kinds.
    pub kinds: Vec<ArtifactKind>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty() && self.kinds.is_empty()
    }

    fn rule_matches(&self, rule: &str) -> bool {
        self.rules.is_empty()
            || self
                .rules
                .iter()
                .any(|r| r == rule || rule.split('/').next() == Some(r.as_str()))
    }

    fn kind_matches(&self, kind: ArtifactKind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }

    /// Whether an edit passes the filter.
    pub fn edit(&self, e: &Edit) -> bool {
        self.kind_matches(e.kind)
            && (self.rule_matches(&e.rule) || e.also.iter().any(|r| self.rule_matches(r)))
    }

    /// Whether a flag passes the filter.
    pub fn flag(&self, f: &Flag) -> bool {
        self.kind_matches(f.kind) && self.rule_matches(&f.rule)
    }

    /// The edits of `cleaned` that pass. Any subset of the (sorted, non-overlapping) edits can be
    /// applied to the input on its own, so a filtered view shows exactly what those rules do.
    pub fn edits<'c>(&self, cleaned: &'c Cleaned) -> Vec<&'c Edit> {
        cleaned.edits.iter().filter(|e| self.edit(e)).collect()
    }

    /// The flags of `cleaned` that pass.
    pub fn flags<'c>(&self, cleaned: &'c Cleaned) -> Vec<&'c Flag> {
        cleaned.flags.iter().filter(|f| self.flag(f)).collect()
    }
}

/// Every rule that contributed to an edit: its `rule` then its `also`.
pub fn edit_rules(e: &Edit) -> impl Iterator<Item = &str> {
    std::iter::once(&*e.rule).chain(e.also.iter().map(|s| &**s))
}

/// Lossy text of `bytes` (the input may hold invalid UTF-8, which the cleaner replaces).
pub(crate) fn lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// 1-based line number of byte offset `pos`.
pub(crate) fn line_of(input: &[u8], pos: usize) -> usize {
    1 + memchr::memchr_iter(b'\n', &input[..pos.min(input.len())]).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Confidence, Span};

    fn edit(rule: &str, also: &[&str], kind: ArtifactKind) -> Edit {
        let mut e = Edit::new(
            Span::new(0, 1),
            "x",
            rule.to_string(),
            kind,
            Confidence::Certain,
        );
        e.also = also.iter().map(|s| s.to_string().into()).collect();
        e
    }

    #[test]
    fn filter_by_rule_pack_also_and_kind() {
        let e = edit("generic/spacing", &["zh_en/date"], ArtifactKind::Spacing);
        assert!(Filter::default().edit(&e));
        let by = |rules: &[&str], kinds: &[ArtifactKind]| Filter {
            rules: rules.iter().map(|s| s.to_string()).collect(),
            kinds: kinds.to_vec(),
        };
        assert!(by(&["generic/spacing"], &[]).edit(&e));
        assert!(by(&["generic"], &[]).edit(&e));
        assert!(
            by(&["zh_en/date"], &[]).edit(&e),
            "a merged-in rule matches"
        );
        assert!(by(&["zh_en"], &[]).edit(&e));
        assert!(
            !by(&["generic/spac"], &[]).edit(&e),
            "no prefix matching inside an id"
        );
        assert!(!by(&["en"], &[]).edit(&e), "pack en is not zh_en");
        assert!(by(&[], &[ArtifactKind::Spacing]).edit(&e));
        assert!(
            !by(&[], &[ArtifactKind::Date]).edit(&e),
            "kind is the head edit's kind"
        );
        assert!(
            !by(&["generic/spacing"], &[ArtifactKind::Date]).edit(&e),
            "rule AND kind"
        );
    }

    #[test]
    fn line_numbers() {
        assert_eq!(line_of(b"a\nb\nc", 0), 1);
        assert_eq!(line_of(b"a\nb\nc", 2), 2);
        assert_eq!(line_of(b"a\nb\nc", 99), 3);
    }
}
