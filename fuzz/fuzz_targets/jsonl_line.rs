//! The JSONL reader and writer on arbitrary bytes: `parse_line` never panics; a line it accepts
//! renders back to one valid JSON line whose text field is the text given, whose other fields keep
//! their bytes and order, and which parses again to the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use textmend::io::jsonl::{parse_line, render};

fuzz_target!(|data: &[u8]| {
    let (strict, line) = match data.split_first() {
        Some((b, rest)) => (b & 1 == 1, rest),
        None => (false, data),
    };
    if line.contains(&b'\n') {
        return; // the reader splits lines before parsing
    }
    let Ok(parsed) = parse_line(line, "text", "id", strict) else {
        return;
    };
    let kept: Vec<(String, String)> = parsed
        .record
        .fields
        .iter()
        .filter(|(k, _)| k != "text" && k != "metadata" && k != "textmend")
        .map(|(k, v)| (k.clone(), v.get().to_string()))
        .collect();
    let cleaned = format!("{}!", parsed.text);
    let out = render(
        parsed.record,
        "text",
        &cleaned,
        &serde_json::json!({"edits": 1}),
    );
    assert_eq!(out.last(), Some(&b'\n'));
    assert_eq!(
        out.iter().filter(|&&b| b == b'\n').count(),
        1,
        "one line out"
    );
    let again = parse_line(&out[..out.len() - 1], "text", "id", true).expect("output parses");
    assert_eq!(again.text, cleaned);
    let after: Vec<(String, String)> = again
        .record
        .fields
        .iter()
        .filter(|(k, _)| k != "text" && k != "metadata" && k != "textmend")
        .map(|(k, v)| (k.clone(), v.get().to_string()))
        .collect();
    assert_eq!(after, kept, "other fields pass through");
});
