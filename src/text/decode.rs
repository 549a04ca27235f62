//! Byte-level repairs made before anything else: invalid UTF-8, a leading BOM, CRLF and lone CR.
//!
//! These run once, on the raw bytes, and produce the first edits of the change log (against the
//! raw bytes, like every edit).

use super::edit::{ArtifactKind, Confidence, Edit, Span};

pub const RULE_INVALID_UTF8: &str = "generic/invalid-utf8";
pub const RULE_BOM: &str = "generic/bom";
pub const RULE_LINE_ENDINGS: &str = "generic/line-endings";

/// The byte-level stage as `textmend rules` lists it: (id, description, example before, after).
/// It always runs (the rest of the engine needs valid UTF-8 with LF line ends); `--strict`
/// rejects invalid UTF-8 instead of repairing it.
pub const STAGE: &[(&str, &str, &str, &str)] = &[
    (
        RULE_INVALID_UTF8,
        "Replaces each invalid UTF-8 byte sequence with U+FFFD (or rejects the document with --strict)",
        "caf<byte E9> au lait",
        "caf\u{FFFD} au lait",
    ),
    (RULE_BOM, "Drops a leading UTF-8 byte-order mark", "\u{FEFF}Title", "Title"),
    (RULE_LINE_ENDINGS, "Turns CRLF and lone CR into LF", "one\r\ntwo\rthree", "one\ntwo\nthree"),
];

/// The decoded text and the edits that made it from the bytes.
pub struct Decoded {
    pub text: String,
    pub edits: Vec<Edit>,
    /// Number of invalid byte sequences replaced with U+FFFD.
    pub invalid_sequences: usize,
}

/// Decodes `bytes` as UTF-8, replacing each maximal invalid sequence with U+FFFD (as
/// `String::from_utf8_lossy` does), dropping leading BOMs and turning CRLF and lone CR into LF.
pub fn decode(bytes: &[u8]) -> Decoded {
    let mut edits = Vec::new();
    let mut text = String::with_capacity(bytes.len());
    let mut invalid = 0;
    let mut pos = 0;
    // Every leading BOM goes (one edit): leaving a second one would make the output start with a
    // BOM that a second cleaning drops (found by the fuzzer: not idempotent).
    while bytes[pos..].starts_with(b"\xEF\xBB\xBF") {
        pos += 3;
    }
    if pos > 0 {
        edits.push(Edit::new(
            Span::new(0, pos),
            "",
            RULE_BOM,
            ArtifactKind::Encoding,
            Confidence::Certain,
        ));
    }
    let mut rest = &bytes[pos..];
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                push_lines(s, pos, &mut text, &mut edits);
                break;
            }
            Err(e) => {
                let valid = e.valid_up_to();
                // SAFETY-free: the prefix is valid by construction.
                let s = std::str::from_utf8(&rest[..valid]).expect("valid prefix");
                push_lines(s, pos, &mut text, &mut edits);
                let bad = e.error_len().unwrap_or(rest.len() - valid);
                let start = pos + valid;
                edits.push(Edit::new(
                    Span::new(start, start + bad),
                    "\u{FFFD}",
                    RULE_INVALID_UTF8,
                    ArtifactKind::Encoding,
                    Confidence::Certain,
                ));
                text.push('\u{FFFD}');
                invalid += 1;
                pos = start + bad;
                rest = &bytes[pos..];
            }
        }
    }
    Decoded {
        text,
        edits,
        invalid_sequences: invalid,
    }
}

fn push_lines(s: &str, base: usize, text: &mut String, edits: &mut Vec<Edit>) {
    let b = s.as_bytes();
    let mut last = 0;
    for i in memchr::memchr_iter(b'\r', b) {
        text.push_str(&s[last..i]);
        text.push('\n');
        let crlf = b.get(i + 1) == Some(&b'\n');
        let end = if crlf { i + 2 } else { i + 1 };
        edits.push(Edit::new(
            Span::new(base + i, base + end),
            "\n",
            RULE_LINE_ENDINGS,
            ArtifactKind::Encoding,
            Confidence::Certain,
        ));
        last = end;
    }
    text.push_str(&s[last..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::edit::apply;

    fn roundtrip(b: &[u8]) -> Decoded {
        let d = decode(b);
        assert_eq!(apply(b, &d.edits), d.text.as_bytes());
        d
    }

    #[test]
    fn invalid_bytes_become_replacement_characters() {
        let d = roundtrip(b"ok \xff\xfe end \xe2\x82");
        assert_eq!(d.text, "ok \u{FFFD}\u{FFFD} end \u{FFFD}");
        assert_eq!(d.invalid_sequences, 3);
    }

    #[test]
    fn bom_and_line_endings() {
        let d = roundtrip(b"\xEF\xBB\xBFa\r\nb\rc\n");
        assert_eq!(d.text, "a\nb\nc\n");
        assert_eq!(d.edits[0].rule, RULE_BOM);
    }

    #[test]
    fn repeated_leading_boms_go_in_one_edit() {
        // Found by the fuzzer (fixtures/fuzz): a second BOM survived, and a second cleaning
        // dropped it (not idempotent).
        let d = roundtrip(b"\xEF\xBB\xBF\xEF\xBB\xBFaah");
        assert_eq!(d.text, "aah");
        assert_eq!(d.edits.len(), 1);
        assert_eq!(d.edits[0].span, Span::new(0, 6));
        // A BOM further in is not leading: kept here.
        assert_eq!(roundtrip(b"a\xEF\xBB\xBFb").text, "a\u{FEFF}b");
    }

    #[test]
    fn clean_text_has_no_edits() {
        let d = roundtrip("Plain text, “quoted”, 中文。\n".as_bytes());
        assert!(d.edits.is_empty());
    }
}
