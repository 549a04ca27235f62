//! The invariants every cleaning keeps, checked on one input under one cleaner.
//!
//! Shared by the fuzz targets (fuzz/fuzz_targets) and by the regression test that replays the kept
//! inputs (tests/fuzz_regressions.rs, which includes this file with `#[path]`), so a fuzzer finding
//! and its regression test check exactly the same things. It depends on `textmend` alone.

use textmend::{Cleaner, Config};

/// The two configurations every input goes through: the default one, and one with the language
/// forced to English and the zh_en gate open, so the zh_en rules see every input too.
pub fn configs() -> [(&'static str, Config); 2] {
    [
        ("default", Config::default()),
        (
            "zh_en-open",
            Config {
                lang: Some("en".into()),
                zh_en_min_score: 0.0,
                ..Config::default()
            },
        ),
    ]
}

/// Cleans `input` with `cleaner` and checks every invariant; the error says which one broke.
///
/// - the change log replays: `text::apply(input, &edits) == output`;
/// - edits are sorted, non-overlapping and inside the input; on char boundaries of the input when
///   it is valid UTF-8;
/// - flags: `span` inside the input (ordered), `out_span` inside the output on char boundaries, and
///   `text` is what the output holds there;
/// - the fix loop settled (no `engine/fix-loop` flag);
/// - idempotence: cleaning the output gives the same text and no edits.
pub fn check(cleaner: &Cleaner, input: &[u8]) -> Result<(), String> {
    let out = cleaner.clean_bytes(input);

    // Edits: sorted, non-overlapping, in range, on char boundaries.
    let as_str = std::str::from_utf8(input).ok();
    let mut prev: Option<&textmend::Edit> = None;
    for e in &out.edits {
        if e.span.start > e.span.end || e.span.end > input.len() {
            return Err(format!(
                "edit out of range: {e:?} (input {} bytes)",
                input.len()
            ));
        }
        if let Some(s) = as_str {
            if !s.is_char_boundary(e.span.start) || !s.is_char_boundary(e.span.end) {
                return Err(format!("edit not on char boundaries: {e:?}"));
            }
        }
        if let Some(p) = prev {
            if p.span.end > e.span.start || p.span.conflicts(&e.span) {
                return Err(format!("edits unsorted or overlapping: {p:?} then {e:?}"));
            }
        }
        prev = Some(e);
    }

    // Replay.
    let replayed = textmend::text::apply(input, &out.edits);
    if replayed != out.text.as_bytes() {
        return Err(format!(
            "replay differs:\n  replayed {:?}\n  output   {:?}",
            String::from_utf8_lossy(&replayed),
            out.text
        ));
    }

    // Flags.
    for f in &out.flags {
        if f.rule == "engine/fix-loop" {
            return Err(format!("fix loop did not settle: {}", f.message));
        }
        if f.span.start > f.span.end || f.span.end > input.len() {
            return Err(format!(
                "flag span out of range: {f:?} (input {} bytes)",
                input.len()
            ));
        }
        let o = f.out_span;
        if o.start > o.end
            || o.end > out.text.len()
            || !out.text.is_char_boundary(o.start)
            || !out.text.is_char_boundary(o.end)
        {
            return Err(format!(
                "flag out_span not on output char boundaries: {f:?}"
            ));
        }
        if out.text[o.start..o.end] != f.text {
            return Err(format!(
                "flag text differs from the output at out_span: {f:?}"
            ));
        }
    }

    // Idempotence.
    let again = cleaner.clean(&out.text);
    if again.text != out.text || !again.edits.is_empty() {
        return Err(format!(
            "not idempotent:\n  first  {:?}\n  second {:?}\n  edits  {:?}",
            out.text, again.text, again.edits
        ));
    }
    Ok(())
}
