//! JSONL records: one JSON object per line, read without disturbing the fields textmend does not
//! own.
//!
//! A line is parsed into its top-level fields, each kept as the raw JSON text it was written with
//! (so numbers such as `1.10` or `12345678901234567890` and nested objects come back exactly as
//! they were, in their order). Only the text field is replaced and the summary added under
//! `metadata.textmend` (or, when `metadata` exists but is not an object, under a top-level
//! `textmend` field).

use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

/// A JSON object as its top-level fields, each with its raw JSON text, in input order.
#[derive(Debug, Clone)]
pub struct Record {
    pub fields: Vec<(String, Box<RawValue>)>,
}

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Record;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record, A::Error> {
                let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some((k, v)) = map.next_entry::<String, Box<RawValue>>()? {
                    fields.push((k, v));
                }
                Ok(Record { fields })
            }
        }
        d.deserialize_map(V)
    }
}

impl Record {
    /// Index of the field `name` (the last one if the key repeats, as JSON parsers keep it).
    pub fn position(&self, name: &str) -> Option<usize> {
        self.fields.iter().rposition(|(k, _)| k == name)
    }

    pub fn get(&self, name: &str) -> Option<&RawValue> {
        self.position(name).map(|i| &*self.fields[i].1)
    }

    /// Sets `name` to `value`, in place if it exists, else at the end.
    pub fn set(&mut self, name: &str, value: Box<RawValue>) {
        match self.position(name) {
            Some(i) => self.fields[i].1 = value,
            None => self.fields.push((name.to_string(), value)),
        }
    }

    /// Writes the object compactly: `{"key":raw,...}`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        write_with(out, self, None);
    }
}

/// The JSON type of a raw value, for messages.
pub fn type_name(raw: &RawValue) -> &'static str {
    match raw.get().as_bytes().first() {
        Some(b'"') => "a string",
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'n') => "null",
        Some(b't') | Some(b'f') => "a boolean",
        _ => "a number",
    }
}

/// A line parsed into a document.
#[derive(Debug)]
pub struct Parsed {
    pub record: Record,
    /// The decoded text field.
    pub text: String,
    /// The id field as a string (a string's value, or a number's digits), if present.
    pub id: Option<String>,
}

/// Parses one JSONL line (without its newline). `Err` is the reason the line is rejected.
/// With `strict`, a line that is not valid UTF-8 is rejected; otherwise invalid sequences become
/// U+FFFD before parsing.
pub fn parse_line(
    line: &[u8],
    text_field: &str,
    id_field: &str,
    strict: bool,
) -> Result<Parsed, String> {
    let text: std::borrow::Cow<str> = match std::str::from_utf8(line) {
        Ok(s) => s.into(),
        Err(e) if strict => {
            return Err(format!("invalid UTF-8 at byte {}", e.valid_up_to()));
        }
        Err(_) => String::from_utf8_lossy(line),
    };
    let record: Record = serde_json::from_str(&text).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => "not a JSON object".to_string(),
        _ => format!("invalid JSON: {e}"),
    })?;
    let raw = record
        .get(text_field)
        .ok_or_else(|| format!("missing field {text_field:?}"))?;
    let text = match unescape_plain(raw.get()).map_or_else(|| serde_json::from_str(raw.get()), Ok) {
        Ok(s) => s,
        Err(e) if raw.get().starts_with('"') => {
            return Err(format!("field {text_field:?} is not a valid string: {e}"))
        }
        Err(_) => {
            return Err(format!(
                "field {text_field:?} is {}, not a string",
                type_name(raw)
            ))
        }
    };
    let id = record
        .get(id_field)
        .and_then(|raw| match raw.get().as_bytes().first() {
            Some(b'"') => serde_json::from_str::<String>(raw.get()).ok(),
            Some(b'-' | b'0'..=b'9') => Some(raw.get().to_string()),
            _ => None,
        });
    Ok(Parsed { record, text, id })
}

/// The value of a JSON string literal that [`Record`] has already parsed (so its syntax is valid)
/// and whose escapes are all short ones (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`): the
/// text between the escapes copied in runs. `None` for anything else (a `\u` escape), which
/// serde_json decodes instead.
fn unescape_plain(raw: &str) -> Option<String> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut i = 0;
    // The escapes are ASCII, so the text between them is cut at character boundaries and copied
    // as `str` (no second UTF-8 validation).
    while let Some(k) = memchr::memchr(b'\\', &inner.as_bytes()[i..]) {
        out.push_str(&inner[i..i + k]);
        out.push(match *inner.as_bytes().get(i + k + 1)? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            _ => return None,
        });
        i += k + 2;
    }
    out.push_str(&inner[i..]);
    Some(out)
}

/// Renders the output line (with its newline): the record with `text_field` set to `clean` and
/// `summary` placed under `metadata.textmend` (or top-level `textmend`, see the module docs).
pub fn render(
    record: Record,
    text_field: &str,
    clean: &str,
    summary: &serde_json::Value,
) -> Vec<u8> {
    render_raw(record, text_field, clean, to_raw(summary).get().as_bytes())
}

/// [`render`] with the summary already written as JSON (`summary` must be valid JSON).
pub fn render_raw(mut record: Record, text_field: &str, clean: &str, summary: &[u8]) -> Vec<u8> {
    if text_field == "metadata" || text_field == "textmend" {
        // The summary's own fields: the text's value would take part in placing it.
        record.set(text_field, to_raw(&serde_json::Value::from(clean)));
        return render_with_text(record, None, summary);
    }
    // The text is written straight into the line (no JSON value of its own); its field holds a
    // placeholder until then.
    let at = match record.position(text_field) {
        Some(i) => i,
        None => {
            record
                .fields
                .push((text_field.to_string(), Default::default()));
            record.fields.len() - 1
        }
    };
    render_with_text(record, Some((at, clean)), summary)
}

/// Writes `rec` compactly, as it would be after `rec.set(name, value)` when `set` is given
/// (`value` as bytes of JSON).
fn write_with(out: &mut Vec<u8>, rec: &Record, set: Option<(&str, &[u8])>) {
    let at = set.and_then(|(name, _)| rec.position(name));
    out.push(b'{');
    for (i, (k, v)) in rec.fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        super::json::write_str(out, k);
        out.push(b':');
        match set {
            Some((_, value)) if at == Some(i) => out.extend_from_slice(value),
            _ => out.extend_from_slice(v.get().as_bytes()),
        }
    }
    if let (Some((name, value)), None) = (set, at) {
        if !rec.fields.is_empty() {
            out.push(b',');
        }
        super::json::write_str(out, name);
        out.push(b':');
        out.extend_from_slice(value);
    }
    out.push(b'}');
}

fn render_with_text(mut record: Record, text: Option<(usize, &str)>, summary: &[u8]) -> Vec<u8> {
    // The value `metadata` takes (its field index, or None to add it at the end), as bytes.
    let meta_at = record.position("metadata");
    let mut meta = Vec::with_capacity(summary.len() + 16);
    match meta_at {
        Some(i) if record.fields[i].1.get().starts_with('{') => {
            // It parsed as part of the line, so it parses again.
            let inner: Record = serde_json::from_str(record.fields[i].1.get()).expect("object");
            write_with(&mut meta, &inner, Some(("textmend", summary)));
        }
        Some(_) => {
            // Not an object: the summary goes to a top-level `textmend`.
            let raw = String::from_utf8(summary.to_vec()).expect("UTF-8");
            record.set("textmend", RawValue::from_string(raw).expect("valid JSON"));
        }
        None => write_with(
            &mut meta,
            &Record { fields: Vec::new() },
            Some(("textmend", summary)),
        ),
    }
    let meta_field = if meta.is_empty() { None } else { Some(meta_at) };
    let mut out = Vec::with_capacity(text.map_or(0, |t| t.1.len()) + meta.len() + 256);
    out.push(b'{');
    for (i, (k, v)) in record.fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        super::json::write_str(&mut out, k);
        out.push(b':');
        match text {
            Some((at, clean)) if at == i => super::json::write_str(&mut out, clean),
            _ if meta_field == Some(Some(i)) => out.extend_from_slice(&meta),
            _ => out.extend_from_slice(v.get().as_bytes()),
        }
    }
    if meta_field == Some(None) {
        if !record.fields.is_empty() {
            out.push(b',');
        }
        out.extend_from_slice(b"\"metadata\":");
        out.extend_from_slice(&meta);
    }
    out.extend_from_slice(b"}\n");
    out
}

fn to_raw(v: &serde_json::Value) -> Box<RawValue> {
    serde_json::value::to_raw_value(v).expect("a Value always serializes")
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        #[test]
        fn plain_unescaping_is_serde_json_s(text in "[a-z \"\\\\/\n\r\t\u{8}\u{c}é“中\u{1}]{0,30}") {
            let raw = serde_json::to_string(&text).unwrap();
            // serde_json writes controls other than the short ones as \u escapes.
            let plain = !text
                .chars()
                .any(|c| c < ' ' && !matches!(c, '\n' | '\r' | '\t' | '\u{8}' | '\u{c}'));
            let got = super::unescape_plain(&raw);
            proptest::prop_assert_eq!(got.is_some(), plain);
            if let Some(g) = got {
                proptest::prop_assert_eq!(g, text);
            }
        }
    }

    /// The line as first written: values set on the record, then the record written.
    fn reference_render(line: &str, text_field: &str, clean: &str, summary: &str) -> String {
        use super::{to_raw, Record};
        let raw = |s: &str| serde_json::value::RawValue::from_string(s.to_string()).unwrap();
        let mut record: Record = serde_json::from_str(line).unwrap();
        record.set(text_field, to_raw(&serde_json::Value::from(clean)));
        match record.position("metadata") {
            Some(i) if record.fields[i].1.get().starts_with('{') => {
                let mut meta: Record = serde_json::from_str(record.fields[i].1.get()).unwrap();
                meta.set("textmend", raw(summary));
                let mut buf = Vec::new();
                meta.write_to(&mut buf);
                record.fields[i].1 = raw(std::str::from_utf8(&buf).unwrap());
            }
            Some(_) => record.set("textmend", raw(summary)),
            None => {
                let mut buf = Vec::new();
                Record {
                    fields: vec![("textmend".into(), raw(summary))],
                }
                .write_to(&mut buf);
                record.set("metadata", raw(std::str::from_utf8(&buf).unwrap()));
            }
        }
        let mut out = Vec::new();
        record.write_to(&mut out);
        String::from_utf8(out).unwrap() + "\n"
    }

    #[test]
    fn rendering_writes_what_setting_the_fields_would() {
        let summary = r#"{"lang":"en","edits":{"case":2},"extracted":{"a":"b\"c"}}"#;
        for line in [
            r#"{"text":"x"}"#,
            r#"{"id":1,"text":"x","metadata":{"src":"a"}}"#,
            r#"{"metadata":{"textmend":1,"k":[1,2]},"text":"x","z":null}"#,
            r#"{"metadata":{},"text":"x"}"#,
            r#"{"metadata":"plain","text":"x"}"#,
            r#"{"metadata":null,"text":"x","textmend":5}"#,
            r#"{"text":"x","metadata":{"a":1},"metadata":{"b":2}}"#,
            r#"{"id":"d"}"#,
            r#"{}"#,
        ] {
            for field in ["text", "body", "metadata", "textmend"] {
                let p = super::parse_line(line.as_bytes(), "id", "id", false);
                let record: super::Record = serde_json::from_str(line).unwrap();
                drop(p);
                let got = super::render_raw(record, field, "clean “text”\n", summary.as_bytes());
                assert_eq!(
                    String::from_utf8(got).unwrap(),
                    reference_render(line, field, "clean “text”\n", summary),
                    "{line} / {field}"
                );
            }
        }
    }

    #[test]
    fn plain_unescaping_leaves_unicode_escapes_to_serde_json() {
        assert_eq!(super::unescape_plain(r#""a\u00e9b""#), None);
        assert_eq!(
            super::unescape_plain(r#""a\/b\"c""#).as_deref(),
            Some("a/b\"c")
        );
        assert_eq!(super::unescape_plain(r#""""#).as_deref(), Some(""));
        let p = super::parse_line(br#"{"text":"caf\u00e9\n\ud83d\ude00"}"#, "text", "id", true)
            .unwrap();
        assert_eq!(p.text, "café\n😀");
    }

    use super::*;
    use serde_json::json;

    fn s(v: Vec<u8>) -> String {
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn fields_pass_through_exactly() {
        let line =
            br#"{"z": 1.10, "text": "a  b", "big": 12345678901234567890, "n": {"b":1,"a":[1, 2]}}"#;
        let p = parse_line(line, "text", "id", false).unwrap();
        assert_eq!(p.text, "a  b");
        assert_eq!(p.id, None);
        let out = s(render(p.record, "text", "a b", &json!({"lang": "en"})));
        assert_eq!(
            out,
            "{\"z\":1.10,\"text\":\"a b\",\"big\":12345678901234567890,\"n\":{\"b\":1,\"a\":[1, 2]},\"metadata\":{\"textmend\":{\"lang\":\"en\"}}}\n"
        );
    }

    #[test]
    fn metadata_object_gets_the_summary_and_a_non_object_does_not() {
        let p = parse_line(
            br#"{"text":"x","metadata":{"src":"w","textmend":0}}"#,
            "text",
            "id",
            false,
        )
        .unwrap();
        assert_eq!(
            s(render(p.record, "text", "x", &json!(1))),
            "{\"text\":\"x\",\"metadata\":{\"src\":\"w\",\"textmend\":1}}\n"
        );
        let p = parse_line(br#"{"text":"x","metadata":"w"}"#, "text", "id", false).unwrap();
        assert_eq!(
            s(render(p.record, "text", "x", &json!(1))),
            "{\"text\":\"x\",\"metadata\":\"w\",\"textmend\":1}\n"
        );
    }

    #[test]
    fn the_text_is_escaped_in_place_and_odd_field_names_keep_their_meaning() {
        let clean = "a \"quoted\" line\nand a tab\t, a \\ and \u{1}; 中文";
        // A repeated key: the last one is the text (as parsed), the first stays as it was.
        let p = parse_line(br#"{"text":"old","text":"x","n":1}"#, "text", "id", false).unwrap();
        let out = s(render(p.record, "text", clean, &json!(1)));
        assert!(out.starts_with("{\"text\":\"old\",\"text\":"), "{out}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["text"], clean);
        assert_eq!(v["n"], 1);
        assert_eq!(v["metadata"]["textmend"], 1);
        // The text field named like the summary's places: the summary's placement wins.
        let p = parse_line(
            br#"{"textmend":"x","metadata":"w"}"#,
            "textmend",
            "id",
            false,
        )
        .unwrap();
        assert_eq!(
            s(render(p.record, "textmend", clean, &json!(1))),
            "{\"textmend\":1,\"metadata\":\"w\"}\n"
        );
        let p = parse_line(br#"{"metadata":"x"}"#, "metadata", "id", false).unwrap();
        assert_eq!(
            s(render(p.record, "metadata", "y", &json!(1))),
            "{\"metadata\":\"y\",\"textmend\":1}\n"
        );
    }

    #[test]
    fn ids_and_custom_fields() {
        let p = parse_line(br#"{"id": 17, "body": "t"}"#, "body", "id", false).unwrap();
        assert_eq!((p.id.as_deref(), p.text.as_str()), (Some("17"), "t"));
        let p = parse_line(br#"{"doc": "a\"b", "text": "t"}"#, "text", "doc", false).unwrap();
        assert_eq!(p.id.as_deref(), Some("a\"b"));
    }

    #[test]
    fn rejects_have_reasons() {
        let r = |l: &[u8]| parse_line(l, "text", "id", true).unwrap_err();
        assert!(r(b"{\"text\": ").starts_with("invalid JSON"));
        assert_eq!(r(b"[1,2]"), "not a JSON object");
        assert_eq!(r(b"{\"body\":\"x\"}"), "missing field \"text\"");
        assert_eq!(
            r(b"{\"text\":3}"),
            "field \"text\" is a number, not a string"
        );
        assert_eq!(
            r(b"{\"text\":null}"),
            "field \"text\" is null, not a string"
        );
        assert!(r(b"{\"text\":\"a\xffb\"}").starts_with("invalid UTF-8"));
        let p = parse_line(b"{\"text\":\"a\xffb\"}", "text", "id", false).unwrap();
        assert_eq!(p.text, "a\u{FFFD}b");
    }
}
