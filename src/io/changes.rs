//! The change log: one JSON line per edit and one per flag, in document order.
//!
//! Edit lines: `{"type":"edit","doc","rule","also"?,"kind","start","end","before","after",
//! "confidence"}` with `start..end` a byte span in the ORIGINAL input of the document (the file's
//! bytes, or the decoded JSONL text field) and `before` those bytes (lossily decoded when they are
//! not UTF-8). Applying every edit line of a document, sorted by `start`, to the original gives
//! the output. Flag lines: `{"type":"flag","doc","rule","kind","start","end","before",
//! "confidence","message","suggestion"}`; they change nothing.

use std::borrow::Cow;

use super::json::{write_key, write_str, write_u64};
use crate::cleaner::Cleaned;

fn slice(original: &[u8], start: usize, end: usize) -> Cow<'_, str> {
    original
        .get(start..end)
        .map(String::from_utf8_lossy)
        .unwrap_or(Cow::Borrowed(""))
}

/// `{"type":..,"doc":..,"rule":` (the opening of every line of one type and document).
fn opening(ty: &str, doc: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(doc.len() + 40);
    out.extend_from_slice(b"{\"type\":\"");
    out.extend_from_slice(ty.as_bytes());
    out.extend_from_slice(b"\",");
    write_key(&mut out, "doc");
    write_str(&mut out, doc);
    out.push(b',');
    write_key(&mut out, "rule");
    out
}

/// `,"kind":..,"start":..,"end":..,"before":..`
fn span(out: &mut Vec<u8>, kind: &str, start: usize, end: usize, before: &str) {
    out.extend_from_slice(b",\"kind\":\"");
    out.extend_from_slice(kind.as_bytes());
    out.extend_from_slice(b"\",\"start\":");
    write_u64(out, start as u64);
    out.extend_from_slice(b",\"end\":");
    write_u64(out, end as u64);
    out.push(b',');
    write_key(out, "before");
    write_str(out, before);
}

/// Appends the change-log lines of one document to `out` (the field order above; compact JSON).
pub fn write_doc(out: &mut Vec<u8>, doc: &str, original: &[u8], cleaned: &Cleaned) {
    if !cleaned.edits.is_empty() {
        let open = opening("edit", doc);
        // About what a line takes: its strings (unescaped) and some 100 bytes of the rest.
        let strings: usize = cleaned
            .edits
            .iter()
            .map(|e| e.rule.len() + e.replacement.len() + e.span.end.saturating_sub(e.span.start))
            .sum();
        out.reserve(strings + cleaned.edits.len() * (open.len() + 100));
        for e in &cleaned.edits {
            out.extend_from_slice(&open);
            write_str(out, &e.rule);
            if !e.also.is_empty() {
                out.extend_from_slice(b",\"also\":[");
                for (i, a) in e.also.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_str(out, a);
                }
                out.push(b']');
            }
            let before = slice(original, e.span.start, e.span.end);
            span(out, e.kind.as_str(), e.span.start, e.span.end, &before);
            out.push(b',');
            write_key(out, "after");
            write_str(out, &e.replacement);
            out.extend_from_slice(b",\"confidence\":\"");
            out.extend_from_slice(e.confidence.as_str().as_bytes());
            out.extend_from_slice(b"\"}\n");
        }
    }
    let open = if cleaned.flags.is_empty() {
        Vec::new()
    } else {
        opening("flag", doc)
    };
    for f in &cleaned.flags {
        out.extend_from_slice(&open);
        write_str(out, &f.rule);
        let before = slice(original, f.span.start, f.span.end);
        span(out, f.kind.as_str(), f.span.start, f.span.end, &before);
        out.extend_from_slice(b",\"confidence\":\"");
        out.extend_from_slice(f.confidence.as_str().as_bytes());
        out.extend_from_slice(b"\",");
        write_key(out, "message");
        write_str(out, &f.message);
        out.push(b',');
        write_key(out, "suggestion");
        match &f.suggestion {
            Some(s) => write_str(out, s),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b"}\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cleaner::Flag;
    use crate::text::{ArtifactKind, Confidence, Edit, Span};
    use crate::{Cleaner, Config};
    use serde::Serialize;

    /// The change-log lines as serde_json writes them: the reference for the hand-written ones.
    #[derive(Serialize)]
    struct EditLine<'a> {
        #[serde(rename = "type")]
        ty: &'static str,
        doc: &'a str,
        rule: &'a str,
        #[serde(skip_serializing_if = "<[Cow<'static, str>]>::is_empty")]
        also: &'a [Cow<'static, str>],
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

    fn reference(doc: &str, original: &[u8], cleaned: &Cleaned) -> Vec<u8> {
        let mut out = Vec::new();
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
            serde_json::to_writer(&mut out, &line).unwrap();
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
            serde_json::to_writer(&mut out, &line).unwrap();
            out.push(b'\n');
        }
        out
    }

    fn ours(doc: &str, original: &[u8], cleaned: &Cleaned) -> Vec<u8> {
        let mut out = Vec::new();
        write_doc(&mut out, doc, original, cleaned);
        out
    }

    #[test]
    fn lines_are_what_serde_json_writes() {
        let c = Cleaner::new(Config::default()).unwrap();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seeds");
        let mut lines = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let input = std::fs::read(&path).unwrap();
            let cleaned = c.clean_bytes(&input);
            let doc = path.file_name().unwrap().to_string_lossy();
            let mine = ours(&doc, &input, &cleaned);
            assert_eq!(
                String::from_utf8(mine.clone()).unwrap(),
                String::from_utf8(reference(&doc, &input, &cleaned)).unwrap()
            );
            lines += mine.iter().filter(|&&b| b == b'\n').count();
        }
        assert!(lines > 100, "{lines}");
        // Every branch: merged rules, flags with and without a suggestion, escapes everywhere,
        // invalid UTF-8 under an edit, a span past the end.
        let original = b"a \"b\"\\ \xff\n\tc\x01";
        let edit = |s: usize, e: usize, also: &[&str]| Edit {
            span: Span::new(s, e),
            replacement: "\"q\"\n".into(),
            rule: "r/\"x\"".into(),
            also: also.iter().map(|a| a.to_string().into()).collect(),
            kind: ArtifactKind::CountedNoun,
            confidence: Confidence::Certain,
        };
        let flag = |suggestion: Option<&str>| Flag {
            rule: "f/1".into(),
            kind: ArtifactKind::MixedLanguage,
            span: Span::new(2, 9),
            out_span: Span::new(0, 1),
            text: String::new(),
            message: "odd \u{7} \"é\"".into(),
            confidence: Confidence::Unsure,
            suggestion: suggestion.map(str::to_string),
        };
        let mut cleaned = c.clean("x");
        cleaned.edits = vec![
            edit(0, 1, &[]),
            edit(2, 8, &["a/b", "c\\d"]),
            edit(8, 40, &[]),
        ];
        cleaned.flags = vec![flag(None), flag(Some("s\u{0}t"))];
        assert_eq!(
            String::from_utf8(ours("d\"1", original, &cleaned)).unwrap(),
            String::from_utf8(reference("d\"1", original, &cleaned)).unwrap()
        );
    }

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
