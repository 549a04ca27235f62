//! The run report (`report.json`): documents read, written and rejected (with reasons), edits per
//! rule and per kind, flags per kind, documents per language, bytes, time, throughput, version.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Reject;
use crate::cleaner::Cleaned;
use crate::text::ArtifactKind;

/// At most this many rejects are listed in the report; all of them go to the rejects file.
pub const MAX_REJECTS_IN_REPORT: usize = 10_000;

/// At most this many repeated ids are listed in the report.
pub const MAX_EXAMPLES: usize = 10;

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Document counts. Always `read == written + rejected`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub read: u64,
    pub written: u64,
    pub rejected: u64,
}

/// Edit counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditCounts {
    pub total: u64,
    pub per_rule: BTreeMap<String, u64>,
    pub per_kind: BTreeMap<String, u64>,
}

/// Flag counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagCounts {
    pub total: u64,
    pub per_kind: BTreeMap<String, u64>,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub textmend_version: String,
    pub documents: Counts,
    /// Rejected documents with file, line and reason (the first [`MAX_REJECTS_IN_REPORT`]).
    pub rejects: Vec<Reject>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rejects_truncated: bool,
    /// Blank JSONL lines: skipped, not documents (so not in `documents`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub blank_lines: u64,
    /// Written documents whose id had already been seen in this run (both are written).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub duplicate_ids: u64,
    /// The first [`MAX_EXAMPLES`] repeated ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub duplicate_id_examples: Vec<String>,
    /// Documents whose id was not remembered for the repeat check, because it already held
    /// [`crate::pipeline::MAX_TRACKED_IDS`] distinct ids: a later repeat of one of those ids is
    /// not counted (repeats of the remembered ones still are). Memory stays bounded whatever the
    /// size of the corpus.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub ids_not_tracked: u64,
    /// Documents decoded from another encoding (e.g. `utf-16le`) before cleaning.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub transcoded: BTreeMap<String, u64>,
    pub edits: EditCounts,
    pub flags: FlagCounts,
    /// Documents per detected language (ISO 639-1, "und" when unknown).
    pub languages: BTreeMap<String, u64>,
    /// Documents per number of fix-loop passes (the last pass is the one that found nothing
    /// more to fix, so a document with edits takes at least 2).
    #[serde(default)]
    pub passes: BTreeMap<u64, u64>,
    /// Bytes of document text read and written (uncompressed).
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub elapsed_seconds: f64,
    /// Megabytes (10^6 bytes) of input per second.
    pub mb_per_s: f64,
}

/// The per-document numbers the report adds up (computed where the document is cleaned).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocStats {
    pub per_rule: Vec<(Cow<'static, str>, u64)>,
    pub per_kind: Vec<(&'static str, u64)>,
    pub flags_per_kind: Vec<(&'static str, u64)>,
    pub lang: String,
    pub bytes_in: u64,
    pub bytes_out: u64,
    /// The encoding the document was decoded from, when not UTF-8.
    pub transcoded: Option<&'static str>,
    /// Fix-loop passes run.
    pub passes: u64,
}

/// Each kind's count, by kind name, for the kinds that occur.
pub(crate) fn kind_counts(kinds: impl Iterator<Item = ArtifactKind>) -> Vec<(&'static str, u64)> {
    let mut n = [0u64; ArtifactKind::ALL.len()];
    for k in kinds {
        n[k as usize] += 1;
    }
    let mut v: Vec<(&'static str, u64)> = ArtifactKind::ALL
        .iter()
        .filter(|&&k| n[k as usize] > 0)
        .map(|&k| (k.as_str(), n[k as usize]))
        .collect();
    v.sort_unstable();
    v
}

impl DocStats {
    pub fn of(cleaned: &Cleaned, bytes_in: usize) -> DocStats {
        // Each distinct name counted (a document's edits come from a few rules, and an edit
        // names its rule by the rule's own `&'static str`, so the address usually matches), then
        // sorted by name: the order the maps would give.
        let mut per_rule: Vec<(Cow<'static, str>, u64)> = Vec::new();
        for e in &cleaned.edits {
            let name: &str = &e.rule;
            let same = |k: &str| std::ptr::eq(k, name) || k == name;
            match per_rule.iter_mut().find(|(k, _)| same(k)) {
                Some((_, n)) => *n += 1,
                None => per_rule.push((e.rule.clone(), 1)),
            }
        }
        per_rule.sort_unstable();
        let per_kind = kind_counts(cleaned.edits.iter().map(|e| e.kind));
        let flags = kind_counts(cleaned.flags.iter().map(|f| f.kind));
        DocStats {
            per_rule,
            per_kind,
            flags_per_kind: flags,
            lang: cleaned.profile.lang.clone(),
            bytes_in: bytes_in as u64,
            bytes_out: cleaned.text.len() as u64,
            transcoded: None,
            passes: cleaned.passes as u64,
        }
    }
}

/// Adds `n` to `key`'s count in `m`; the key is copied only the first time it is seen.
fn add_count(m: &mut BTreeMap<String, u64>, key: &str, n: u64) {
    match m.get_mut(key) {
        Some(c) => *c += n,
        None => {
            m.insert(key.to_string(), n);
        }
    }
}

impl Report {
    pub fn new() -> Report {
        Report {
            textmend_version: env!("CARGO_PKG_VERSION").to_string(),
            ..Report::default()
        }
    }

    /// Counts a written document.
    pub fn add_written(&mut self, s: &DocStats) {
        self.documents.read += 1;
        self.documents.written += 1;
        for (r, n) in &s.per_rule {
            add_count(&mut self.edits.per_rule, r, *n);
            self.edits.total += n;
        }
        for (k, n) in &s.per_kind {
            add_count(&mut self.edits.per_kind, k, *n);
        }
        for (k, n) in &s.flags_per_kind {
            add_count(&mut self.flags.per_kind, k, *n);
            self.flags.total += n;
        }
        add_count(&mut self.languages, &s.lang, 1);
        *self.passes.entry(s.passes).or_default() += 1;
        self.bytes_in += s.bytes_in;
        self.bytes_out += s.bytes_out;
        if let Some(enc) = s.transcoded {
            *self.transcoded.entry(enc.to_string()).or_default() += 1;
        }
    }

    /// Adds the counts of written documents that `t` holds (a report only
    /// [`Report::add_written`] filled, e.g. one part of a run's documents counted elsewhere):
    /// the same as adding each of its documents here.
    pub fn merge_written(&mut self, t: Report) {
        fn merge(into: &mut BTreeMap<String, u64>, from: BTreeMap<String, u64>) {
            for (k, n) in from {
                *into.entry(k).or_default() += n;
            }
        }
        self.documents.read += t.documents.read;
        self.documents.written += t.documents.written;
        self.edits.total += t.edits.total;
        merge(&mut self.edits.per_rule, t.edits.per_rule);
        merge(&mut self.edits.per_kind, t.edits.per_kind);
        self.flags.total += t.flags.total;
        merge(&mut self.flags.per_kind, t.flags.per_kind);
        merge(&mut self.languages, t.languages);
        for (k, n) in t.passes {
            *self.passes.entry(k).or_default() += n;
        }
        self.bytes_in += t.bytes_in;
        self.bytes_out += t.bytes_out;
        merge(&mut self.transcoded, t.transcoded);
    }

    /// Counts a written document whose id was seen before.
    pub fn add_duplicate_id(&mut self, id: &str) {
        self.duplicate_ids += 1;
        if self.duplicate_id_examples.len() < MAX_EXAMPLES {
            self.duplicate_id_examples.push(id.to_string());
        }
    }

    /// Counts a rejected document.
    pub fn add_rejected(&mut self, r: &Reject, bytes_in: u64) {
        self.documents.read += 1;
        self.documents.rejected += 1;
        self.bytes_in += bytes_in;
        if self.rejects.len() < MAX_REJECTS_IN_REPORT {
            self.rejects.push(r.summary());
        } else {
            self.rejects_truncated = true;
        }
    }

    /// Sets the time and throughput.
    pub fn finish(&mut self, elapsed: std::time::Duration) {
        self.elapsed_seconds = (elapsed.as_secs_f64() * 1000.0).round() / 1000.0;
        let secs = elapsed.as_secs_f64().max(1e-6);
        self.mb_per_s = ((self.bytes_in as f64 / 1e6 / secs) * 100.0).round() / 100.0;
    }

    /// Pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("serializable");
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_parts_count_as_one_report_does() {
        let cleaner = crate::Cleaner::new(crate::Config::default()).unwrap();
        let stats: Vec<DocStats> = crate::rules::testing::fixture_texts()
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut s = DocStats::of(&cleaner.clean(t), t.len());
                s.bytes_out = i as u64;
                s.transcoded = (i % 3 == 0).then_some("utf-16le");
                s
            })
            .collect();
        assert!(stats.iter().any(|s| !s.per_rule.is_empty()));
        let mut whole = Report::new();
        for s in &stats {
            whole.add_written(s);
        }
        for parts in [1, 2, 5] {
            let mut merged = Report::new();
            for part in stats.chunks(stats.len().div_ceil(parts)) {
                let mut t = Report::default();
                for s in part {
                    t.add_written(s);
                }
                merged.merge_written(t);
            }
            assert_eq!(merged, whole, "{parts} parts");
        }
    }

    #[test]
    fn doc_stats_count_as_maps_do() {
        let cleaner = crate::Cleaner::new(crate::Config::default()).unwrap();
        for (i, k) in ArtifactKind::ALL.iter().enumerate() {
            assert_eq!(*k as usize, i);
        }
        let mut seen = 0;
        for t in crate::rules::testing::fixture_texts() {
            let c = cleaner.clean(&t);
            let s = DocStats::of(&c, t.len());
            let mut rules: BTreeMap<String, u64> = BTreeMap::new();
            let mut kinds: BTreeMap<&str, u64> = BTreeMap::new();
            let mut flags: BTreeMap<&str, u64> = BTreeMap::new();
            for e in &c.edits {
                *rules.entry(e.rule.to_string()).or_default() += 1;
                *kinds.entry(e.kind.as_str()).or_default() += 1;
            }
            for f in &c.flags {
                *flags.entry(f.kind.as_str()).or_default() += 1;
            }
            let per_rule: Vec<(String, u64)> = s
                .per_rule
                .iter()
                .map(|(k, n)| (k.to_string(), *n))
                .collect();
            assert_eq!(per_rule, rules.into_iter().collect::<Vec<_>>());
            assert_eq!(s.per_kind, kinds.into_iter().collect::<Vec<_>>());
            assert_eq!(s.flags_per_kind, flags.into_iter().collect::<Vec<_>>());
            seen += usize::from(s.per_rule.len() > 2 && !s.flags_per_kind.is_empty());
        }
        assert!(seen > 0);
    }
}
