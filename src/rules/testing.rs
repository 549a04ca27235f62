//! Helpers for rule tests: run a chosen set of rules through the whole fix loop.
//!
//! The zh_en gate is opened (score threshold 0) and the language forced to English, so a rule's
//! table tests exercise the rule itself; gating has its own tests.

#![allow(clippy::module_name_repetitions)]

use crate::{Cleaned, Cleaner, Config};

/// Cleans `input` with only `rules` (ids or packs) enabled, language forced to English.
pub fn clean_with(rules: &[&str], input: &str) -> Cleaned {
    let config = Config {
        only: rules.iter().map(|s| s.to_string()).collect(),
        lang: Some("en".into()),
        zh_en_min_score: 0.0,
        ..Config::default()
    };
    let c = Cleaner::new(config).expect("test config builds");
    let out = c.clean(input);
    // Invariants hold in every table test: replay and idempotence.
    assert_eq!(
        crate::text::apply_str(input, &out.edits),
        out.text,
        "replay failed for {input:?}"
    );
    assert_eq!(
        c.clean(&out.text).text,
        out.text,
        "not idempotent for {input:?}"
    );
    out
}

/// Asserts that `rules` turn `input` into `expected`.
#[track_caller]
pub fn assert_fixes(rules: &[&str], input: &str, expected: &str) {
    let out = clean_with(rules, input);
    assert_eq!(out.text, expected, "input: {input:?}");
    assert!(!out.edits.is_empty());
}

/// [`assert_fixes`] for a table of `(input, expected)` cases.
#[track_caller]
pub fn assert_fixes_all(rules: &[&str], cases: &[(&str, &str)]) {
    for (input, expected) in cases {
        assert_fixes(rules, input, expected);
    }
}

/// Asserts that `rules` leave `input` untouched (no edit at all).
#[track_caller]
pub fn assert_clean(rules: &[&str], input: &str) {
    let out = clean_with(rules, input);
    assert_eq!(out.text, input);
    assert!(out.edits.is_empty(), "unexpected edits: {:?}", out.edits);
}

/// Asserts that `rules` flag something in `input` (kind `kind`) and change nothing.
#[track_caller]
pub fn assert_flags(rules: &[&str], input: &str, kind: crate::ArtifactKind) {
    let out = clean_with(rules, input);
    assert_eq!(out.text, input, "a flag must not change text");
    assert!(
        out.flags.iter().any(|f| f.kind == kind),
        "no {kind} flag in {:?}",
        out.flags
    );
}

/// The texts of the fixture sets (seeds, holdout raw, clean, lang): the real inputs on which
/// tests check a fast path against the simple code it replaced.
#[cfg(test)]
pub fn fixture_texts() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
    let mut texts = Vec::new();
    for sub in ["seeds", "holdout/raw", "clean", "lang"] {
        let mut paths: Vec<_> = std::fs::read_dir(format!("{dir}/{sub}"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        paths.sort();
        texts.extend(paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()));
    }
    assert!(texts.len() > 20, "fixtures found: {}", texts.len());
    texts
}

/// Texts of fewer than `max` pieces drawn from `pieces`: generated inputs crowded with the edge
/// cases of a fast path, for proptests against its reference.
#[cfg(test)]
pub fn text_from(
    pieces: &'static [&'static str],
    max: usize,
) -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::strategy::Strategy;
    proptest::collection::vec(proptest::sample::select(pieces), 0..max).prop_map(|v| v.concat())
}
