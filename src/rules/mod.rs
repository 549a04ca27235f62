//! Rules: the [`Rule`] trait, what a rule reports ([`Finding`]), what it sees ([`DocView`]), and
//! the registry of every rule, in a fixed order so output is deterministic.
//!
//! One rule per file, with its doc comment (what it fixes, why, an example) and its tests at the
//! bottom. A pack is the part of the id before the `/`: `generic` (any language), `en` (English
//! text), `zh_en` (Chinese-source machine translation into English), `structure` (page chrome).

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::config::Config;
use crate::dict::Dictionaries;
use crate::lang::Profile;
use crate::text::{ArtifactKind, Confidence, Span};

pub mod en;
pub mod generic;
pub mod score;
pub mod structure;
pub mod testing;
pub mod zh_en;

/// Which documents a rule looks at. The engine checks this before calling [`Rule::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every document (the rule itself keeps CJK text safe).
    Any,
    /// Documents whose main script is Latin.
    Latin,
    /// Documents identified as English.
    English,
    /// English documents whose artifact score says they are Chinese-source machine translation.
    ZhEn,
}

/// A detected artifact, with the fix if there is a safe one. Spans are byte offsets into the text
/// the rule was given.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    pub kind: ArtifactKind,
    pub span: Span,
    pub message: Cow<'static, str>,
    /// Replacements that together repair the artifact (applied all or none).
    pub fix: Option<Fix>,
    pub confidence: Confidence,
    /// Document metadata learnt from this finding (e.g. `("author", "Moon shadow dune")`).
    pub meta: Vec<(String, String)>,
}

/// The replacements of a fix, applied all or none: one (most fixes, held inline, so making it
/// allocates nothing but the replacement) or several. It reads as a slice of `(span,
/// replacement)` pairs.
///
/// ```
/// use textmend::rules::Fix;
/// use textmend::text::Span;
/// let fix = Fix::One((Span::new(3, 4), String::new()));
/// assert_eq!(fix.len(), 1);
/// assert_eq!(fix[0].0, Span::new(3, 4));
/// let two = Fix::Many(vec![(Span::new(0, 1), "A".into()), (Span::new(5, 6), "b".into())]);
/// assert_eq!(two.iter().map(|(s, _)| s.start).collect::<Vec<_>>(), [0, 5]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Fix {
    /// A single replacement.
    One((Span, String)),
    /// Several replacements (each its own span).
    Many(Vec<(Span, String)>),
}

impl std::ops::Deref for Fix {
    type Target = [(Span, String)];
    fn deref(&self) -> &[(Span, String)] {
        match self {
            Fix::One(part) => std::slice::from_ref(part),
            Fix::Many(parts) => parts,
        }
    }
}

impl std::ops::DerefMut for Fix {
    fn deref_mut(&mut self) -> &mut [(Span, String)] {
        match self {
            Fix::One(part) => std::slice::from_mut(part),
            Fix::Many(parts) => parts,
        }
    }
}

impl<'a> IntoIterator for &'a Fix {
    type Item = &'a (Span, String);
    type IntoIter = std::slice::Iter<'a, (Span, String)>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Fix {
    type Item = &'a mut (Span, String);
    type IntoIter = std::slice::IterMut<'a, (Span, String)>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl Finding {
    /// A finding with a single-replacement fix.
    pub fn fix(
        rule: &'static str,
        kind: ArtifactKind,
        span: Span,
        replacement: impl Into<String>,
        confidence: Confidence,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Finding {
            rule,
            kind,
            span,
            message: message.into(),
            fix: Some(Fix::One((span, replacement.into()))),
            confidence,
            meta: Vec::new(),
        }
    }

    /// A finding with several replacements applied together.
    pub fn multi(
        rule: &'static str,
        kind: ArtifactKind,
        parts: Vec<(Span, String)>,
        confidence: Confidence,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        let start = parts.iter().map(|p| p.0.start).min().unwrap_or(0);
        let end = parts.iter().map(|p| p.0.end).max().unwrap_or(0);
        Finding {
            rule,
            kind,
            span: Span::new(start, end),
            message: message.into(),
            fix: Some(Fix::Many(parts)),
            confidence,
            meta: Vec::new(),
        }
    }

    /// A flag: detected, reported, nothing changed.
    pub fn flag(
        rule: &'static str,
        kind: ArtifactKind,
        span: Span,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Finding {
            rule,
            kind,
            span,
            message: message.into(),
            fix: None,
            confidence: Confidence::Unsure,
            meta: Vec::new(),
        }
    }

    /// Metadata only: no change, no flag.
    pub fn metadata(rule: &'static str, span: Span, key: &str, value: impl Into<String>) -> Self {
        Finding {
            rule,
            kind: ArtifactKind::Other,
            span,
            message: Cow::Borrowed(""),
            fix: None,
            confidence: Confidence::Certain,
            meta: vec![(key.to_string(), value.into())],
        }
    }

    /// Adds a metadata pair.
    pub fn with_meta(mut self, key: &str, value: impl Into<String>) -> Self {
        self.meta.push((key.to_string(), value.into()));
        self
    }

    /// True for findings that only carry metadata.
    pub fn is_metadata_only(&self) -> bool {
        self.fix.is_none() && self.message.is_empty()
    }
}

/// What a rule sees: the current text and what is known about it.
pub struct DocView<'a> {
    pub text: &'a str,
    pub profile: &'a Profile,
    pub config: &'a Config,
    /// Metadata found so far in earlier passes (e.g. the title).
    pub metadata: &'a BTreeMap<String, String>,
    /// 0 for the first pass of the fix loop.
    pub pass: usize,
    /// Lines repeated across the corpus (corpus mode, see [`crate::corpus_chrome`]); `None`
    /// unless the cleaner was given a set with [`crate::Cleaner::with_corpus_chrome`].
    pub corpus_chrome: Option<&'a crate::corpus_chrome::CorpusChrome>,
    /// What the `structure` rules work out about `text` once and share (filled on first use;
    /// give a new view `Default::default()`).
    pub(crate) structure: structure::shared::Shared<'a>,
}

/// No metadata yet (the first pass).
static NO_METADATA: BTreeMap<String, String> = BTreeMap::new();

impl<'a> DocView<'a> {
    /// The view a rule gets on the first pass of the fix loop (no metadata found yet, no corpus
    /// set): for tools and benchmarks that run one rule on its own.
    ///
    /// ```
    /// use textmend::rules::DocView;
    /// use textmend::{Cleaner, Config, Profile};
    /// let cleaner = Cleaner::new(Config::default()).unwrap();
    /// let text = "Sales rose , the firm said .";
    /// let profile = Profile::compute(text, cleaner.config());
    /// let view = DocView::first_pass(text, &profile, cleaner.config());
    /// let spacing = cleaner.rules().find(|r| r.id() == "generic/spacing").unwrap();
    /// let mut found = Vec::new();
    /// spacing.check(&view, &mut found);
    /// assert_eq!(found.len(), 2);
    /// ```
    pub fn first_pass(text: &'a str, profile: &'a Profile, config: &'a Config) -> DocView<'a> {
        DocView {
            text,
            profile,
            config,
            metadata: &NO_METADATA,
            pass: 0,
            corpus_chrome: None,
            structure: Default::default(),
        }
    }

    /// The view of `range` of the text (same profile, metadata and pass), with nothing worked
    /// out yet.
    pub(crate) fn sub(&self, range: std::ops::Range<usize>) -> DocView<'a> {
        DocView {
            text: &self.text[range],
            profile: self.profile,
            config: self.config,
            metadata: self.metadata,
            pass: self.pass,
            corpus_chrome: self.corpus_chrome,
            structure: Default::default(),
        }
    }
}

/// A repair rule. Rules never fail and never panic: they find or they don't.
pub trait Rule: Send + Sync {
    /// Stable id, `pack/name`, e.g. `"zh_en/chinese-date"`.
    fn id(&self) -> &'static str;
    /// The artifact kind the rule reports.
    fn kind(&self) -> ArtifactKind;
    /// One line for `textmend rules`.
    fn describe(&self) -> &'static str;
    /// An example input and the output it becomes (shown by `textmend rules`, checked by tests).
    fn example(&self) -> (&'static str, &'static str);
    /// Which documents the rule looks at.
    fn scope(&self) -> Scope {
        Scope::Any
    }
    /// Whether the rule runs unless enabled explicitly.
    fn default_on(&self) -> bool {
        true
    }
    /// Lower wins when two rules' fixes overlap in one pass (the loser retries in the next pass).
    /// Page chrome 10, encoding and Unicode 20, zh_en repairs 30, English repairs 40, punctuation
    /// 50, case 55, spacing 60.
    fn priority(&self) -> u8 {
        50
    }
    /// Whether the rule is line-local: its findings on a line depend only on that line's text
    /// (with its `\n`) and on the profile's language, script and zh_en gate; never on other
    /// lines, on where the line stands in the document (first line, after a title), on
    /// `metadata`, `pass` or the corpus set, nor on positional profile data (paragraphs, CJK
    /// zones). Checking a run of whole lines given alone as `DocView::text` must then find, in
    /// the same order, what checking the whole text finds on those lines (spans shifted).
    ///
    /// After a pass that fixed something the cleaner checks a line-local rule only on the lines
    /// that pass changed (and their neighbours), each run of them as a text of its own, and keeps
    /// the rule's earlier findings on the other lines (see `Cleaner`). Debug builds run the whole
    /// pass too and assert the findings are the same.
    fn line_local(&self) -> bool {
        false
    }
    /// Appends findings for `doc` to `out`.
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>);
}

/// A rule built once and shared (by several cleaners built from the same dictionaries, see
/// [`crate::dict::Memo`]) is the rule it holds.
impl<R: Rule + ?Sized> Rule for std::sync::Arc<R> {
    fn id(&self) -> &'static str {
        (**self).id()
    }
    fn kind(&self) -> ArtifactKind {
        (**self).kind()
    }
    fn describe(&self) -> &'static str {
        (**self).describe()
    }
    fn example(&self) -> (&'static str, &'static str) {
        (**self).example()
    }
    fn scope(&self) -> Scope {
        (**self).scope()
    }
    fn default_on(&self) -> bool {
        (**self).default_on()
    }
    fn priority(&self) -> u8 {
        (**self).priority()
    }
    fn line_local(&self) -> bool {
        (**self).line_local()
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        (**self).check(doc, out)
    }
}

/// A constructor for a rule, given the dictionaries (so it can compile its automata once).
pub type RuleCtor = fn(&Dictionaries) -> Box<dyn Rule>;

/// Every rule, in registry order. One line per rule; packs keep their own lists.
pub fn registry() -> Vec<RuleCtor> {
    let mut v: Vec<RuleCtor> = Vec::new();
    v.extend_from_slice(structure::RULES);
    v.extend_from_slice(generic::RULES);
    v.extend_from_slice(zh_en::RULES);
    v.extend_from_slice(en::RULES);
    v
}

/// Builds every rule (enabled or not), sorted by id. The dearest build, `zh_en/names`'s
/// automaton (about half of the whole), runs on a second thread beside the others.
pub fn all_rules(dicts: &Dictionaries) -> Vec<Box<dyn Rule>> {
    let mut v: Vec<Box<dyn Rule>> = std::thread::scope(|s| {
        // Without a thread (none to be had) the rule builds its automaton itself.
        let _ = std::thread::Builder::new()
            .name("textmend-build".into())
            .spawn_scoped(s, || zh_en::names::warm(dicts));
        registry().into_iter().map(|c| c(dicts)).collect()
    });
    v.sort_by_key(|r| r.id());
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule's `example()` (shown by `textmend rules`) holds when the rule runs alone.
    #[test]
    fn every_example_holds() {
        let d = Dictionaries::embedded();
        for r in all_rules(&d) {
            // Corpus mode needs counts from other documents: tested in its own file and in
            // tests/cli_corpus_chrome.rs.
            if r.id() == "structure/repeated-line" {
                continue;
            }
            let (input, expected) = r.example();
            let out = crate::rules::testing::clean_with(&[r.id()], input);
            assert_eq!(out.text, expected, "{}", r.id());
        }
    }

    #[test]
    fn ids_are_unique_and_well_formed() {
        let rules = all_rules(&Dictionaries::embedded());
        let mut ids: Vec<_> = rules.iter().map(|r| r.id()).collect();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate rule id");
        for r in &rules {
            let (pack, name) = r.id().split_once('/').expect("pack/name");
            assert!(
                ["generic", "en", "zh_en", "structure"].contains(&pack),
                "{}",
                r.id()
            );
            assert!(!name.is_empty() && !r.describe().is_empty());
        }
    }
}
