//! Detection-only summaries: one record per document (language, artifact score, how many edits the
//! cleaner would make and how many flags it would raise, per artifact kind), as TSV or JSONL, so a
//! corpus builder can drop or sort documents without rewriting anything.
//!
//! A record is computed from a full [`Cleaned`]: the counts are those of the change log the cleaner
//! would write (edits after composition, so two rules' touching edits count once, under the kind
//! of the first), and the profile is that of the input. Scanning costs what cleaning costs; only the
//! cleaned text is thrown away.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::cleaner::Cleaned;

/// What `textmend scan` reports for one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScanRecord {
    pub id: String,
    pub lang: String,
    pub lang_confidence: f64,
    /// Chinese-source machine-translation signals per 100 words (0 for non-English text).
    pub artifact_score: f64,
    /// Whether the zh_en pack ran.
    pub zh_en: bool,
    /// Input size in bytes.
    pub bytes: usize,
    /// Edits the cleaner would make.
    pub edits: usize,
    /// Artifacts it would flag and leave alone.
    pub flags: usize,
    /// Edits per artifact kind (kinds with none are left out).
    pub edit_kinds: BTreeMap<String, usize>,
    /// Flags per artifact kind.
    pub flag_kinds: BTreeMap<String, usize>,
}

impl ScanRecord {
    /// The record of a document: `bytes` is the size of the input it was cleaned from.
    pub fn new(id: &str, bytes: usize, cleaned: &Cleaned) -> ScanRecord {
        let mut flag_kinds = BTreeMap::new();
        for f in &cleaned.flags {
            *flag_kinds.entry(f.kind.as_str().to_string()).or_insert(0) += 1;
        }
        let p = &cleaned.profile;
        ScanRecord {
            id: id.to_string(),
            lang: p.lang.clone(),
            lang_confidence: p.lang_confidence,
            artifact_score: p.artifact_score,
            zh_en: p.zh_en,
            bytes,
            edits: cleaned.edits.len(),
            flags: cleaned.flags.len(),
            edit_kinds: cleaned
                .edits_per_kind()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            flag_kinds,
        }
    }

    /// The TSV header line (no newline).
    pub const TSV_HEADER: &'static str =
        "id\tlang\tlang_confidence\tartifact_score\tzh_en\tbytes\tedits\tflags\tedit_kinds\tflag_kinds";

    /// One TSV row (no newline). Kind counts read `spacing=3,date=1` (empty when none); tabs and
    /// newlines in the id become spaces so a row stays one line.
    pub fn tsv_row(&self) -> String {
        let kinds = |m: &BTreeMap<String, usize>| {
            m.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        };
        let id: String = self
            .id
            .chars()
            .map(|c| {
                if c == '\t' || c == '\n' || c == '\r' {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        format!(
            "{id}\t{}\t{:.3}\t{:.3}\t{}\t{}\t{}\t{}\t{}\t{}",
            self.lang,
            self.lang_confidence,
            self.artifact_score,
            self.zh_en,
            self.bytes,
            self.edits,
            self.flags,
            kinds(&self.edit_kinds),
            kinds(&self.flag_kinds)
        )
    }

    /// One JSON line (no newline).
    pub fn json(&self) -> String {
        serde_json::to_string(self).expect("a record serializes")
    }
}

/// Output format of `textmend scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanFormat {
    Tsv,
    Jsonl,
}

impl ScanFormat {
    pub fn parse(s: &str) -> Option<ScanFormat> {
        match s {
            "tsv" => Some(ScanFormat::Tsv),
            "jsonl" | "json" => Some(ScanFormat::Jsonl),
            _ => None,
        }
    }
}

/// Writes records one by one (the TSV header first), keeping those whose artifact score is at
/// least `min_score`.
pub struct ScanWriter<W: Write> {
    out: W,
    format: ScanFormat,
    min_score: Option<f64>,
    started: bool,
    /// Records written.
    pub written: usize,
    /// Records dropped by `min_score`.
    pub skipped: usize,
}

impl<W: Write> ScanWriter<W> {
    pub fn new(out: W, format: ScanFormat, min_score: Option<f64>) -> Self {
        ScanWriter {
            out,
            format,
            min_score,
            started: false,
            written: 0,
            skipped: 0,
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            if self.format == ScanFormat::Tsv {
                writeln!(self.out, "{}", ScanRecord::TSV_HEADER)?;
            }
        }
        Ok(())
    }

    /// Writes `rec` if it passes `min_score`; returns whether it did.
    pub fn write(&mut self, rec: &ScanRecord) -> io::Result<bool> {
        self.start()?;
        if self.min_score.is_some_and(|m| rec.artifact_score < m) {
            self.skipped += 1;
            return Ok(false);
        }
        match self.format {
            ScanFormat::Tsv => writeln!(self.out, "{}", rec.tsv_row())?,
            ScanFormat::Jsonl => writeln!(self.out, "{}", rec.json())?,
        }
        self.written += 1;
        Ok(true)
    }

    /// Writes the header even when no record came, flushes, and gives the writer back.
    pub fn finish(mut self) -> io::Result<W> {
        self.start()?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cleaner::Flag;
    use crate::text::{ArtifactKind, Confidence, Span};
    use crate::{Cleaner, Config};

    fn record(input: &str) -> ScanRecord {
        let c = Cleaner::new(Config {
            lang: Some("en".into()),
            ..Config::default()
        })
        .unwrap()
        .clean(input);
        ScanRecord::new("doc\t1", input.len(), &c)
    }

    #[test]
    fn counts_edits_per_kind_and_nothing_is_rewritten() {
        let input = "Sales rose 5% , the company said .\n";
        let r = record(input);
        assert_eq!(r.lang, "en");
        assert_eq!(r.lang_confidence, 1.0);
        assert_eq!(r.bytes, input.len());
        assert_eq!(r.edits, 2);
        assert_eq!(r.edit_kinds.get("spacing"), Some(&2));
        assert_eq!(r.flags, 0);
        let row = r.tsv_row();
        assert_eq!(
            row.split('\t').count(),
            ScanRecord::TSV_HEADER.split('\t').count()
        );
        assert!(row.starts_with("doc 1\ten\t1.000\t"), "{row}");
        assert!(row.ends_with("\t2\t0\tspacing=2\t"), "{row}");
    }

    #[test]
    fn clean_text_scans_to_zero() {
        let r = record("A clean sentence.\n");
        assert_eq!((r.edits, r.flags), (0, 0));
        assert!(r.tsv_row().ends_with("\t0\t0\t\t"));
    }

    #[test]
    fn flags_are_counted_per_kind() {
        let mut c = Cleaner::new(Config::default()).unwrap().clean("Text.\n");
        c.flags.push(Flag {
            rule: "x/y".into(),
            kind: ArtifactKind::Number,
            span: Span::new(0, 1),
            out_span: Span::new(0, 1),
            text: "T".into(),
            message: "m".into(),
            confidence: Confidence::Unsure,
            suggestion: None,
        });
        let r = ScanRecord::new("a", 6, &c);
        assert_eq!(r.flags, 1);
        assert_eq!(r.flag_kinds.get("number"), Some(&1));
        let v: serde_json::Value = serde_json::from_str(&r.json()).unwrap();
        assert_eq!(v["flag_kinds"]["number"], 1);
        assert_eq!(v["id"], "a");
        assert!(v["artifact_score"].is_number());
    }

    #[test]
    fn writer_filters_by_min_score_and_always_writes_the_header() {
        let mut a = record("Plain.\n");
        a.artifact_score = 0.5;
        let mut b = a.clone();
        b.id = "b".into();
        b.artifact_score = 4.0;
        let mut w = ScanWriter::new(Vec::new(), ScanFormat::Tsv, Some(1.0));
        assert!(!w.write(&a).unwrap());
        assert!(w.write(&b).unwrap());
        assert_eq!((w.written, w.skipped), (1, 1));
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0], ScanRecord::TSV_HEADER);
        assert!(lines[1].starts_with("b\t"));

        let empty = ScanWriter::new(Vec::new(), ScanFormat::Tsv, None)
            .finish()
            .unwrap();
        assert_eq!(
            String::from_utf8(empty).unwrap(),
            format!("{}\n", ScanRecord::TSV_HEADER)
        );
        let empty = ScanWriter::new(Vec::new(), ScanFormat::Jsonl, None)
            .finish()
            .unwrap();
        assert!(empty.is_empty());

        let mut w = ScanWriter::new(Vec::new(), ScanFormat::Jsonl, None);
        w.write(&a).unwrap();
        w.write(&b).unwrap();
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        let ids: Vec<String> = out
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(ids, ["doc\t1", "b"]);
    }

    #[test]
    fn formats_parse() {
        assert_eq!(ScanFormat::parse("tsv"), Some(ScanFormat::Tsv));
        assert_eq!(ScanFormat::parse("jsonl"), Some(ScanFormat::Jsonl));
        assert_eq!(ScanFormat::parse("csv"), None);
    }
}
