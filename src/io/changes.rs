//! The change log: one JSON line per edit and one per flag, in document order.
//!
//! Edit lines: `{"type":"edit","doc","rule","also"?,"kind","start","end","before","after",
//! "confidence"}` with `start..end` a byte span in the ORIGINAL input of the document (the file's
//! bytes, or the decoded JSONL text field) and `before` those bytes (lossily decoded when they are
//! not UTF-8). Applying every edit line of a document, sorted by `start`, to the original gives
//! the output. Flag lines: `{"type":"flag","doc","rule","kind","start","end","before",
//! "confidence","message","suggestion"}`; they change nothing.

use std::borrow::Cow;

use serde::Serialize;

use crate::cleaner::Cleaned;
use crate::text::{ArtifactKind, Confidence};

#[derive(Serialize)]
struct EditLine<'a> {
    #[serde(rename = "type")]
    ty: &'static str,
    doc: &'a str,
    rule: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    also: &'a [String],
    kind: ArtifactKind,
    start: usize,
    end: usize,
    before: Cow<'a, str>,
    after: &'a str,
    confidence: Confidence,
}

#[derive(Serialize)]
struct FlagLine<'a> {
    #[serde(rename = "type")]
    ty: &'static str,
    doc: &'a str,
    rule: &'a str,
    kind: ArtifactKind,
    start: usize,
    end: usize,
    before: Cow<'a, str>,
    confidence: Confidence,
    message: &'a str,
    suggestion: Option<&'a str>,
}

fn slice(original: &[u8], start: usize, end: usize) -> Cow<'_, str> {
    original
        .get(start..end)
        .map(String::from_utf8_lossy)
        .unwrap_or(Cow::Borrowed(""))
}

/// Appends the change-log lines of one document to `out`.
pub fn write_doc(out: &mut Vec<u8>, doc: &str, original: &[u8], cleaned: &Cleaned) {
    for e in &cleaned.edits {
        let line = EditLine {
            ty: "edit",
            doc,
            rule: &e.rule,
            also: &e.also,
            kind: e.kind,
            start: e.span.start,
            end: e.span.end,
            before: slice(original, e.span.start, e.span.end),
            after: &e.replacement,
            confidence: e.confidence,
        };
        serde_json::to_writer(&mut *out, &line).expect("writing to a Vec");
        out.push(b'\n');
    }
    for f in &cleaned.flags {
        let line = FlagLine {
            ty: "flag",
            doc,
            rule: &f.rule,
            kind: f.kind,
            start: f.span.start,
            end: f.span.end,
            before: slice(original, f.span.start, f.span.end),
            confidence: f.confidence,
            message: &f.message,
            suggestion: f.suggestion.as_deref(),
        };
        serde_json::to_writer(&mut *out, &line).expect("writing to a Vec");
        out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cleaner, Config};

    #[test]
    fn edit_lines_replay() {
        let c = Cleaner::new(Config::default()).unwrap();
        let input = b"Sales rose , the firm said .\n";
        let cleaned = c.clean_bytes(input);
        let mut out = Vec::new();
        write_doc(&mut out, "d1", input, &cleaned);
        let text = String::from_utf8(out).unwrap();
        let mut edits: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .filter(|v: &serde_json::Value| v["type"] == "edit")
            .collect();
        assert!(!edits.is_empty());
        edits.sort_by_key(|v| v["start"].as_u64());
        let mut rebuilt = Vec::new();
        let mut pos = 0;
        for e in &edits {
            assert_eq!(e["doc"], "d1");
            let (s, t) = (
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(e["before"].as_str().unwrap().as_bytes(), &input[s..t]);
            rebuilt.extend_from_slice(&input[pos..s]);
            rebuilt.extend_from_slice(e["after"].as_str().unwrap().as_bytes());
            pos = t;
        }
        rebuilt.extend_from_slice(&input[pos..]);
        assert_eq!(rebuilt, cleaned.text.as_bytes());
    }
}
