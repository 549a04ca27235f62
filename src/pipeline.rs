//! The batch engine: sources -> chunks of documents -> rayon over the documents of a chunk ->
//! ordered writes.
//!
//! * Memory is bounded by the chunk size ([`Options::chunk_bytes`], [`Options::chunk_docs`]), not
//!   by the corpus: a JSONL stream is read a chunk at a time, and the next chunk is read while the
//!   current one is cleaned.
//! * Plain-text files are read, cleaned and written in parallel, a batch of files at a time.
//!   Consecutive small JSONL files are read into one chunk and cleaned together, each file's
//!   results still going to its own output, so many small files run as fast as one big one.
//! * Output is written in input order, so it is byte-identical for any number of threads.
//! * Every output file is written under a temporary name and renamed when complete
//!   ([`crate::io::AtomicFile`]).
//! * A document that cannot be used (unreadable file, malformed JSONL line, missing or non-string
//!   text field, invalid UTF-8 under `strict`) is rejected with its reason and the run goes on:
//!   `read == written + rejected`. Errors that stop the run (a missing input, an output that
//!   cannot be written) are returned as [`Error`].
//!
//! ```
//! use textmend::pipeline::{self, Options, Sink, Source, Target};
//! use textmend::{Cleaner, Config};
//!
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("a.jsonl"), "{\"id\":\"x\",\"text\":\"Sales rose , it said .\"}\n")?;
//! let sources = pipeline::discover(&[dir.path().join("a.jsonl")], None, &[])?;
//! let cleaner = Cleaner::new(Config::default())?;
//! let (mut out, mut changes) = (Vec::new(), Vec::new());
//! let mut sink = Sink { target: Target::Stream(&mut out), changes: Some(&mut changes), rejects: None };
//! let report = pipeline::run(&cleaner, &sources, &Options::default(), &mut sink)?;
//! assert_eq!(report.documents.written, 1);
//! assert!(String::from_utf8(out)?.starts_with("{\"id\":\"x\",\"text\":\"Sales rose, it said.\""));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use serde_json::json;

use crate::cleaner::{Cleaned, Cleaner};
use crate::io::atomic::write_atomic;
use crate::io::sniff::{sniff, Sniffed};
use crate::io::{
    changes, jsonl, AtomicFile, Compression, DocStats, Format, IoError, Reject, Report,
};

/// Something that stops a run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Io(#[from] IoError),
    #[error("cannot start worker threads: {0}")]
    Threads(#[from] rayon::ThreadPoolBuildError),
    /// [`Options::stop`] was set: the run stopped after a chunk (its checkpoint, if any, written).
    #[error("interrupted")]
    Interrupted,
    #[error("cannot resume: {0}")]
    Resume(String),
}

impl Error {
    /// The kind of the underlying I/O error, if any.
    pub fn io_kind(&self) -> Option<std::io::ErrorKind> {
        match self {
            Error::Io(e) => e.io_kind(),
            Error::Threads(_) | Error::Interrupted | Error::Resume(_) => None,
        }
    }
}

/// Told how far the run has got (after each chunk).
pub trait Progress: Send + Sync {
    /// `docs` more documents and `bytes` more input bytes are done.
    fn advance(&self, docs: u64, bytes: u64);
}

/// How to run.
#[derive(Clone)]
pub struct Options {
    /// Worker threads; 0 = one per core.
    pub threads: usize,
    /// A chunk ends when it holds this many bytes of input...
    pub chunk_bytes: usize,
    /// ... or this many documents.
    pub chunk_docs: usize,
    /// Compression of JSONL outputs; `None` keeps each input's (and writes a stream uncompressed).
    pub compress: Option<Compression>,
    pub progress: Option<Arc<dyn Progress>>,
    /// Directory target only: write a [`Checkpoint`] to this file after every chunk, keep JSONL
    /// outputs under their resumable temporary names ([`crate::io::atomic::partial_path`]) until
    /// complete, and record the ids seen beside it (`<file>.ids`). Ignored with stdin inputs.
    pub checkpoint: Option<CheckpointSpec>,
    /// Carry on from this checkpoint (see [`Checkpoint`]).
    pub resume: Option<Checkpoint>,
    /// Checked after every chunk: when set, the run writes its checkpoint and returns
    /// [`Error::Interrupted`] (a JSONL output that cannot be resumed mid-file is abandoned).
    pub stop: Option<Arc<AtomicBool>>,
}

/// Where and under what name a run records its progress.
#[derive(Clone, Debug)]
pub struct CheckpointSpec {
    pub path: PathBuf,
    /// Identifies the run's inputs and configuration; a checkpoint with another one is not
    /// resumed.
    pub fingerprint: String,
}

/// How far a run into a directory got: everything before source `source` is done, and `lines`
/// lines of it (a JSONL source streamed a chunk at a time; 0 otherwise), whose output holds
/// `out_len` bytes (whole gzip members or zstd frames, if compressed). The change log, the rejects file and the ids file hold `changes_len`,
/// `rejects_len` and `ids_len` bytes of complete lines, and `report` counts all of it.
///
/// A resumed run cuts each kept file to its recorded length, appends from there and ends with
/// the same bytes as a run that was never interrupted.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Checkpoint {
    pub fingerprint: String,
    pub source: usize,
    pub lines: u64,
    pub out_len: u64,
    pub changes_len: u64,
    pub rejects_len: u64,
    pub ids_len: u64,
    pub report: Report,
}

impl Checkpoint {
    /// Reads a checkpoint file.
    pub fn load(path: &Path) -> Result<Checkpoint, Error> {
        let bytes =
            std::fs::read(path).map_err(|e| Error::Resume(format!("{}: {e}", path.display())))?;
        serde_json::from_slice(&bytes)
            .map_err(|e| Error::Resume(format!("{}: {e}", path.display())))
    }
}

/// The ids file beside a checkpoint file.
pub fn ids_path(checkpoint: &Path) -> PathBuf {
    let mut s = checkpoint.as_os_str().to_owned();
    s.push(".ids");
    PathBuf::from(s)
}

impl Default for Options {
    fn default() -> Self {
        Options {
            threads: 0,
            chunk_bytes: 8 << 20,
            chunk_docs: 8192,
            compress: None,
            progress: None,
            checkpoint: None,
            resume: None,
            stop: None,
        }
    }
}

/// An input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file; `rel` is its path relative to the directory argument it was found under (or its
    /// file name when it was named directly), and decides where its output goes.
    File {
        path: PathBuf,
        rel: PathBuf,
        format: Format,
    },
    /// Standard input.
    Stdin { format: Format },
}

impl Source {
    /// The name used in messages, rejects and default ids.
    pub fn label(&self) -> String {
        match self {
            Source::File { path, .. } => path.display().to_string(),
            Source::Stdin { .. } => "stdin".to_string(),
        }
    }

    pub fn format(&self) -> Format {
        match self {
            Source::File { format, .. } | Source::Stdin { format } => *format,
        }
    }
}

/// Where cleaned documents go.
pub enum Target<'a> {
    /// Into a directory: `DIR/<rel>` for each input file (JSONL outputs keep the input's name,
    /// with the extension of the output compression). Rejected documents are left out.
    Dir(PathBuf),
    /// Into one stream, one output per input document in order; a rejected document is written
    /// through unchanged (so a JSONL stream keeps one line out per line in).
    Stream(&'a mut (dyn Write + Send)),
}

/// The outputs of a run.
pub struct Sink<'a> {
    pub target: Target<'a>,
    /// The change log (see [`crate::io::changes`]).
    pub changes: Option<&'a mut (dyn Write + Send)>,
    /// The rejects file (see [`crate::io::rejects`]).
    pub rejects: Option<&'a mut (dyn Write + Send)>,
}

/// File names a run writes into an output directory beside the documents.
pub const RESERVED_NAMES: &[&str] = &["changes.jsonl", "rejects.jsonl", "report.json"];

/// Expands the command line's inputs: `-` is stdin; a directory gives every `.txt`, `.jsonl`,
/// `.ndjson` (optionally `.gz`/`.zst`) file under it, recursively, sorted by relative path,
/// skipping hidden entries and the `exclude`d directories (e.g. the output directory); a file is
/// taken whatever its name. `format` overrides the format of named files and stdin (default:
/// by extension, stdin JSONL).
pub fn discover(
    paths: &[PathBuf],
    format: Option<Format>,
    exclude: &[PathBuf],
) -> Result<Vec<Source>, IoError> {
    discover_noting(paths, format, exclude).map(|(s, _)| s)
}

/// [`discover`], also returning the links to directories found under the directories, which are
/// not followed (so a link loop cannot make the walk run forever).
pub fn discover_noting(
    paths: &[PathBuf],
    format: Option<Format>,
    exclude: &[PathBuf],
) -> Result<(Vec<Source>, Vec<PathBuf>), IoError> {
    let mut skipped = Vec::new();
    let exclude: Vec<PathBuf> = exclude
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Source::Stdin {
                format: format.unwrap_or(Format::Jsonl),
            });
            continue;
        }
        let meta = std::fs::metadata(p).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => IoError::NotFound { path: p.clone() },
            _ => IoError::Read {
                path: p.clone(),
                error: e,
            },
        })?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(p, Path::new(""), &exclude, &mut found, &mut skipped)?;
            found.sort();
            for rel in found {
                let path = p.join(&rel);
                out.push(Source::File {
                    format: Format::from_path(&path),
                    path,
                    rel,
                });
            }
        } else {
            let rel = PathBuf::from(p.file_name().unwrap_or(p.as_os_str()));
            out.push(Source::File {
                path: p.clone(),
                rel,
                format: format.unwrap_or_else(|| Format::from_path(p)),
            });
        }
    }
    Ok((out, skipped))
}

fn is_input_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let base = Compression::strip_ext(&lower);
    lower.ends_with(".txt") || base.ends_with(".jsonl") || base.ends_with(".ndjson")
}

fn walk(
    root: &Path,
    rel: &Path,
    exclude: &[PathBuf],
    found: &mut Vec<PathBuf>,
    skipped: &mut Vec<PathBuf>,
) -> Result<(), IoError> {
    let dir = root.join(rel);
    if !exclude.is_empty() {
        if let Ok(c) = dir.canonicalize() {
            if exclude.contains(&c) {
                return Ok(());
            }
        }
    }
    let entries = std::fs::read_dir(&dir).map_err(|e| IoError::Read {
        path: dir.clone(),
        error: e,
    })?;
    for entry in entries {
        let entry = entry.map_err(|e| IoError::Read {
            path: dir.clone(),
            error: e,
        })?;
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        if name_str.starts_with('.') {
            continue;
        }
        let child = rel.join(&name);
        let ft = entry.file_type().map_err(|e| IoError::Read {
            path: dir.join(&name),
            error: e,
        })?;
        if ft.is_dir() {
            walk(root, &child, exclude, found, skipped)?;
        } else if ft.is_symlink()
            && std::fs::metadata(dir.join(&name))
                .map(|m| m.is_dir())
                .unwrap_or(false)
        {
            skipped.push(root.join(&child));
        } else if is_input_name(&name_str) {
            // Files and links to files (a broken or looping link is kept and rejected when read).
            found.push(child);
        }
    }
    Ok(())
}

/// Where `source` is written under `dir`.
pub fn output_path(dir: &Path, source: &Source, compress: Option<Compression>) -> Option<PathBuf> {
    let Source::File { path, rel, format } = source else {
        return None;
    };
    match format {
        Format::Txt => Some(dir.join(rel)),
        Format::Jsonl => {
            let name = rel.file_name()?.to_string_lossy().into_owned();
            let c = compress.unwrap_or_else(|| Compression::from_path(path));
            let new = format!("{}{}", Compression::strip_ext(&name), c.ext());
            Some(dir.join(rel).with_file_name(new))
        }
    }
}

/// `f` of each item, in order, computed on up to `threads` threads in contiguous parts (on the
/// calling thread alone when the items are few). For per-file lookups before a run: one is cheap,
/// but ten thousand in a row are a serial step as long as cleaning those files on many threads.
/// (Public for the command line's resume fingerprint, not part of the library's interface.)
#[doc(hidden)]
pub fn map_in_parts<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    const MIN_PER_THREAD: usize = 256;
    let threads = threads.min(items.len() / MIN_PER_THREAD).max(1);
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let per = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(per)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// The names in directory `dir` when it holds only regular files (or nothing): then an output
/// path not among them does not exist, and needs no lookup of its own. `None` when it holds a
/// folder, a link or anything else, or cannot be listed.
fn plain_listing(dir: &Path) -> Option<HashSet<std::ffi::OsString>> {
    let mut names = HashSet::new();
    for entry in std::fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        if !entry.file_type().ok()?.is_file() {
            return None;
        }
        names.insert(entry.file_name());
    }
    Some(names)
}

/// Checks that no two inputs (and no input and a report file) are written to the same place, and
/// that no output would overwrite its own input.
pub fn check_outputs(
    dir: &Path,
    sources: &[Source],
    compress: Option<Compression>,
) -> Result<(), IoError> {
    let hash = |p: &Path| {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        p.hash(&mut h);
        h.finish()
    };
    check_outputs_hashed(dir, sources, compress, hash)
}

/// [`check_outputs`] with the hash of an output path given (tests give one that collides).
fn check_outputs_hashed(
    dir: &Path,
    sources: &[Source],
    compress: Option<Compression>,
    hash: impl Fn(&Path) -> u64,
) -> Result<(), IoError> {
    // The outputs seen so far, by a hash of their path: the index of the source writing each
    // (a few bytes per input, where the paths themselves would be some hundreds); paths whose
    // hash another path has already taken are kept whole in `exact`.
    let mut seen: HashMap<u64, usize> = HashMap::with_capacity(sources.len());
    let mut exact: HashMap<PathBuf, PathBuf> = HashMap::new();
    for name in RESERVED_NAMES {
        exact.insert(dir.join(name), PathBuf::from(format!("the run's {name}")));
    }
    // Most runs write a fresh directory (holding at most the run's own logs): its listing says
    // which outputs exist, without a lookup per file.
    let listing = plain_listing(dir);
    let exists = |out: &Path| match &listing {
        Some(names) => {
            out.parent() == Some(dir) && out.file_name().is_some_and(|n| names.contains(n))
        }
        None => std::fs::symlink_metadata(out).is_ok(),
    };
    for (i, s) in sources.iter().enumerate() {
        let (Some(out), Source::File { path, .. }) = (output_path(dir, s, compress), s) else {
            continue;
        };
        // Only an output that exists can be its own input (so not a resolution of every
        // component of both paths per file).
        if let Some((a, b)) = exists(&out)
            .then(|| out.canonicalize().ok())
            .flatten()
            .and_then(|a| Some((a, path.canonicalize().ok()?)))
        {
            if a == b {
                return Err(IoError::Collision {
                    first: path.clone(),
                    second: path.clone(),
                    out,
                });
            }
        }
        let collision = |first: PathBuf| IoError::Collision {
            first,
            second: path.clone(),
            out: out.clone(),
        };
        if let Some(first) = exact.get(&out) {
            return Err(collision(first.clone()));
        }
        match seen.entry(hash(&out)) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(i);
            }
            std::collections::hash_map::Entry::Occupied(e) => {
                let j = *e.get();
                if output_path(dir, &sources[j], compress).as_ref() == Some(&out) {
                    let Source::File { path: first, .. } = &sources[j] else {
                        unreachable!("only files have outputs")
                    };
                    return Err(collision(first.clone()));
                }
                // Another path with the same hash.
                exact.insert(out.clone(), path.clone());
            }
        }
    }
    Ok(())
}

/// What became of one document.
enum DocResult {
    Written {
        out: Vec<u8>,
        changes: Vec<u8>,
        /// `None` when a chunk's tally has counted it already (see [`tally_written`]).
        stats: Option<DocStats>,
        /// The document's own id (JSONL), checked for repeats.
        id: Option<String>,
    },
    Rejected {
        reject: Reject,
        bytes_in: u64,
    },
    /// A blank JSONL line: not a document.
    Blank,
}

/// The summary added to a JSONL record under `metadata.textmend`.
pub fn summary(cleaned: &Cleaned) -> serde_json::Value {
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    json!({
        "lang": cleaned.profile.lang,
        "lang_confidence": round(cleaned.profile.lang_confidence),
        "artifact_score": round(cleaned.profile.artifact_score),
        "edits": cleaned.edits_per_kind(),
        "flags": cleaned.flags.len(),
        "extracted": cleaned.metadata,
    })
}

/// [`summary`] written straight as JSON (the same bytes `serde_json` writes for it).
pub fn summary_raw(cleaned: &Cleaned) -> Vec<u8> {
    use crate::io::json::{write_key, write_str, write_u64};
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    let p = &cleaned.profile;
    let mut out = Vec::with_capacity(160);
    out.push(b'{');
    write_key(&mut out, "lang");
    write_str(&mut out, &p.lang);
    out.push(b',');
    write_key(&mut out, "lang_confidence");
    serde_json::to_writer(&mut out, &round(p.lang_confidence)).expect("a number");
    out.push(b',');
    write_key(&mut out, "artifact_score");
    serde_json::to_writer(&mut out, &round(p.artifact_score)).expect("a number");
    out.extend_from_slice(b",\"edits\":{");
    let kinds = crate::io::report::kind_counts(cleaned.edits.iter().map(|e| e.kind));
    for (i, (kind, n)) in kinds.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(&mut out, kind);
        out.push(b':');
        write_u64(&mut out, *n);
    }
    out.extend_from_slice(b"},\"flags\":");
    write_u64(&mut out, cleaned.flags.len() as u64);
    out.extend_from_slice(b",\"extracted\":{");
    for (i, (k, v)) in cleaned.metadata.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(&mut out, k);
        out.push(b':');
        write_str(&mut out, v);
    }
    out.extend_from_slice(b"}}");
    out
}

fn clean_line(cleaner: &Cleaner, line: &[u8], file: &str, line_no: usize) -> DocResult {
    if line.iter().all(u8::is_ascii_whitespace) {
        return DocResult::Blank;
    }
    let cfg = cleaner.config();
    match jsonl::parse_line(line, &cfg.text_field, &cfg.id_field, cfg.strict) {
        Err(reason) => DocResult::Rejected {
            reject: Reject {
                file: file.to_string(),
                line: Some(line_no),
                reason,
                original: Some(String::from_utf8_lossy(line).into_owned()),
            },
            bytes_in: line.len() as u64,
        },
        Ok(p) => {
            let cleaned = cleaner.clean(&p.text);
            let own_id = p.id.clone();
            let id = p.id.unwrap_or_else(|| format!("{file}:{line_no}"));
            let mut log = Vec::new();
            changes::write_doc(&mut log, &id, p.text.as_bytes(), &cleaned);
            let out = jsonl::render_raw(
                p.record,
                &cfg.text_field,
                &cleaned.text,
                &summary_raw(&cleaned),
            );
            let mut stats = DocStats::of(&cleaned, line.len());
            stats.bytes_out = out.len() as u64;
            DocResult::Written {
                out,
                changes: log,
                stats: Some(stats),
                id: own_id,
            }
        }
    }
}

/// Cleans one plain-text document given as bytes. A binary file is rejected; UTF-16 with a BOM is
/// transcoded first (see [`crate::io::sniff`]). Under `strict`, invalid UTF-8 rejects it (the
/// reject names the line of the first invalid byte).
fn clean_text(
    cleaner: &Cleaner,
    bytes: &[u8],
    file: &str,
    id: &str,
) -> Result<(Cleaned, Vec<u8>, DocStats), Reject> {
    let reject = |line: Option<usize>, reason: &str| Reject {
        file: file.to_string(),
        line,
        reason: reason.to_string(),
        original: None,
    };
    match sniff(bytes) {
        Sniffed::Text => {}
        Sniffed::Binary(reason) => return Err(reject(None, reason)),
        Sniffed::Utf16 { invalid, .. } if invalid > 0 && cleaner.config().strict => {
            return Err(reject(
                None,
                &format!("invalid UTF-16: {invalid} unpaired surrogate(s) or odd byte(s)"),
            ))
        }
        Sniffed::Utf16 { encoding, text, .. } => {
            let cleaned = cleaner.clean(&text);
            let mut log = Vec::new();
            changes::write_doc(&mut log, id, text.as_bytes(), &cleaned);
            let mut stats = DocStats::of(&cleaned, bytes.len());
            stats.transcoded = Some(encoding);
            return Ok((cleaned, log, stats));
        }
    }
    match cleaner.try_clean_bytes(bytes) {
        Ok(cleaned) => {
            let mut log = Vec::new();
            changes::write_doc(&mut log, id, bytes, &cleaned);
            let stats = DocStats::of(&cleaned, bytes.len());
            Ok((cleaned, log, stats))
        }
        Err(reason) => {
            let at = std::str::from_utf8(bytes)
                .err()
                .map(|e| e.valid_up_to())
                .unwrap_or(0);
            let line = memchr::memchr_iter(b'\n', &bytes[..at]).count() + 1;
            Err(Reject {
                file: file.to_string(),
                line: Some(line),
                reason: reason.to_string(),
                original: None,
            })
        }
    }
}

/// A text file's result, and its original bytes when it was rejected (a stream target writes
/// them through).
type TxtResult = (DocResult, Option<Vec<u8>>);

/// Reads and cleans one text file; a written document's `out` is its cleaned text.
fn clean_txt_file(cleaner: &Cleaner, source: &Source) -> TxtResult {
    let Source::File { path, rel, .. } = source else {
        unreachable!("a file")
    };
    let label = source.label();
    let rejected = |reason: String| {
        let reject = Reject {
            file: label.clone(),
            line: None,
            reason,
            original: None,
        };
        (
            DocResult::Rejected {
                reject,
                bytes_in: 0,
            },
            None,
        )
    };
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return rejected("not a regular file".into());
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return rejected(format!("cannot read: {e}")),
    };
    let id = rel
        .to_string_lossy()
        .replace(std::path::MAIN_SEPARATOR, "/");
    match clean_text(cleaner, &bytes, &label, &id) {
        Ok((cleaned, changes, stats)) => (
            DocResult::Written {
                out: cleaned.text.into_bytes(),
                changes,
                stats: Some(stats),
                id: None,
            },
            None,
        ),
        Err(reject) => {
            let rejected = DocResult::Rejected {
                reject,
                bytes_in: bytes.len() as u64,
            };
            (rejected, Some(bytes))
        }
    }
}

/// The most distinct document ids a run remembers for its repeated-id count (7/8 of 2^22: the
/// set's table stays at 2^22 slots, about 38 MB). Past it, an id not already remembered is counted
/// in [`Report::ids_not_tracked`] instead, so memory does not grow with the corpus.
pub const MAX_TRACKED_IDS: usize = 3_670_016;

/// FNV-1a (64 bits): a stable hash of a document id, for the repeated-id count.
fn id_hash(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The logs and the report of a run while it writes.
struct Writer<'w, 'a> {
    changes: Option<&'w mut (dyn Write + Send + 'a)>,
    rejects: Option<&'w mut (dyn Write + Send + 'a)>,
    report: Report,
    progress: Option<Arc<dyn Progress>>,
    /// Bytes written to the change log and the rejects file (from the start of the run, counting
    /// a resumed run's earlier part).
    changes_len: u64,
    rejects_len: u64,
    /// Hashes of the ids seen (at most `id_cap`), and (when checkpointing) the file they are
    /// appended to.
    seen: HashSet<u64>,
    id_cap: usize,
    ids: Option<(std::io::BufWriter<std::fs::File>, PathBuf)>,
    ids_len: u64,
    checkpoint: Option<CheckpointSpec>,
    stop: Option<Arc<AtomicBool>>,
}

impl Writer<'_, '_> {
    fn reject(&mut self, r: &Reject, bytes_in: u64) -> Result<(), IoError> {
        if let Some(w) = self.rejects.as_mut() {
            let line = r.to_line();
            w.write_all(&line).map_err(IoError::Stream)?;
            self.rejects_len += line.len() as u64;
        }
        self.report.add_rejected(r, bytes_in);
        Ok(())
    }

    fn note_id(&mut self, id: &str) -> Result<(), IoError> {
        let h = id_hash(id);
        let new = if self.seen.len() < self.id_cap {
            self.seen.insert(h)
        } else if self.seen.contains(&h) {
            false
        } else {
            // Full: this id cannot be remembered, so its repeats will not be seen.
            self.report.ids_not_tracked += 1;
            return Ok(());
        };
        if !new {
            self.report.add_duplicate_id(id);
        } else if let Some((f, path)) = self.ids.as_mut() {
            f.write_all(&h.to_le_bytes()).map_err(|e| IoError::Write {
                path: path.clone(),
                error: e,
            })?;
            self.ids_len += 8;
        }
        Ok(())
    }

    /// Writes one document's results: its output to `out` (if any), or, for a rejected document
    /// or a blank line, `passthrough` (if given); its change-log lines; its counts. Returns the
    /// bytes written to `out`. With `pending`, the output (or passthrough) and the change-log
    /// lines are held there instead, for the caller to write in order ([`Pending::flush`]).
    fn write(
        &mut self,
        result: DocResult,
        out: Option<&mut dyn Write>,
        passthrough: Option<&[u8]>,
        mut pending: Option<&mut Pending>,
    ) -> Result<u64, IoError> {
        let mut n = 0;
        match result {
            DocResult::Written {
                out: bytes,
                changes,
                stats,
                id,
            } => {
                if let Some(w) = self.changes.as_mut() {
                    self.changes_len += changes.len() as u64;
                    match pending.as_deref_mut() {
                        Some(p) => p.changes.push(changes),
                        None => w.write_all(&changes).map_err(IoError::Stream)?,
                    }
                }
                if let Some(p) = pending {
                    n = bytes.len() as u64;
                    p.out.push(bytes);
                } else if let Some(o) = out {
                    o.write_all(&bytes).map_err(IoError::Stream)?;
                    n = bytes.len() as u64;
                }
                if let Some(stats) = stats {
                    self.report.add_written(&stats);
                }
                if let Some(id) = id {
                    self.note_id(&id)?;
                }
            }
            DocResult::Rejected { reject, bytes_in } => {
                n = pass_through(out, passthrough, pending)?;
                self.reject(&reject, bytes_in)?;
            }
            DocResult::Blank => {
                n = pass_through(out, passthrough, pending)?;
                self.report.blank_lines += 1;
            }
        }
        Ok(n)
    }

    fn advance(&self, docs: u64, bytes: u64) {
        if let Some(p) = &self.progress {
            p.advance(docs, bytes);
        }
    }

    fn stopped(&self) -> bool {
        self.stop.as_ref().is_some_and(|s| s.load(Ordering::SeqCst))
    }

    /// Records (when checkpointing) that sources before `source`, and `lines` lines of it, are
    /// done, with `out_len` bytes of its output: flushes the logs, then replaces the progress
    /// file.
    fn checkpoint(&mut self, source: usize, lines: u64, out_len: u64) -> Result<(), IoError> {
        let Some(spec) = &self.checkpoint else {
            return Ok(());
        };
        for f in [self.changes.as_mut(), self.rejects.as_mut()]
            .into_iter()
            .flatten()
        {
            f.flush().map_err(IoError::Stream)?;
        }
        if let Some((f, path)) = self.ids.as_mut() {
            f.flush().map_err(|e| IoError::Write {
                path: path.clone(),
                error: e,
            })?;
        }
        let cp = Checkpoint {
            fingerprint: spec.fingerprint.clone(),
            source,
            lines,
            out_len,
            changes_len: self.changes_len,
            rejects_len: self.rejects_len,
            ids_len: self.ids_len,
            report: self.report.clone(),
        };
        let bytes = serde_json::to_vec(&cp).expect("serializable");
        write_atomic(&spec.path, &bytes).map_err(|e| IoError::Write {
            path: spec.path.clone(),
            error: e,
        })
    }
}

/// Opens the ids file of a checkpointed run: empty, or (resuming) cut to `keep` bytes, whose
/// hashes are loaded into `seen`.
#[allow(clippy::type_complexity)]
fn open_ids(
    path: &Path,
    keep: Option<u64>,
    seen: &mut HashSet<u64>,
) -> Result<std::io::BufWriter<std::fs::File>, Error> {
    let werr = |e| {
        Error::Io(IoError::Write {
            path: path.to_path_buf(),
            error: e,
        })
    };
    let file = match keep {
        None => std::fs::File::create(path).map_err(werr)?,
        Some(n) => {
            let bytes = std::fs::read(path)
                .map_err(|e| Error::Resume(format!("{}: {e}", path.display())))?;
            if (bytes.len() as u64) < n {
                return Err(Error::Resume(format!(
                    "{} is shorter than the checkpoint says",
                    path.display()
                )));
            }
            for c in bytes[..n as usize].chunks_exact(8) {
                seen.insert(u64::from_le_bytes(c.try_into().expect("8 bytes")));
            }
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(werr)?;
            f.set_len(n).map_err(werr)?;
            std::io::Seek::seek(&mut f, std::io::SeekFrom::End(0)).map_err(werr)?;
            f
        }
    };
    Ok(std::io::BufWriter::new(file))
}

/// Runs `cleaner` over `sources` into `sink` and returns the report (its time and throughput
/// set). Output is in input order whatever `options.threads` is.
///
/// With [`Options::checkpoint`] (directory target, no stdin), progress is recorded after every
/// chunk; with [`Options::resume`], the run carries on from a checkpoint: the sink's change log
/// and rejects file must then be the kept files, already cut to the checkpoint's lengths
/// ([`AtomicFile::resumable`]).
pub fn run(
    cleaner: &Cleaner,
    sources: &[Source],
    options: &Options,
    sink: &mut Sink<'_>,
) -> Result<Report, Error> {
    let start = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        // Named so that a profile can tell them from the reading and writing threads.
        .thread_name(|i| format!("textmend-clean-{i}"))
        .build()?;
    let Sink {
        target,
        changes,
        rejects,
    } = sink;
    if let Target::Dir(dir) = target {
        create_dir(dir)?;
        check_outputs(dir, sources, options.compress)?;
    }
    let checkpointing = matches!(target, Target::Dir(_))
        && !sources.iter().any(|s| matches!(s, Source::Stdin { .. }));
    let spec = options.checkpoint.clone().filter(|_| checkpointing);
    let resume = match (&spec, &options.resume) {
        (Some(spec), Some(r)) => {
            if r.fingerprint != spec.fingerprint {
                return Err(Error::Resume(
                    "the checkpoint is of another run (inputs, options or configuration changed); \
                     run without --resume"
                        .into(),
                ));
            }
            if r.source > sources.len() {
                return Err(Error::Resume(
                    "the checkpoint is past the last input".into(),
                ));
            }
            Some(r.clone())
        }
        (None, Some(_)) => {
            return Err(Error::Resume(
                "only a run into a directory from files can be resumed".into(),
            ))
        }
        _ => None,
    };
    let mut seen = HashSet::new();
    let ids = match &spec {
        Some(spec) => {
            let path = ids_path(&spec.path);
            let f = open_ids(&path, resume.as_ref().map(|r| r.ids_len), &mut seen)?;
            Some((f, path))
        }
        None => None,
    };
    let mut w = Writer {
        changes: changes.as_deref_mut(),
        rejects: rejects.as_deref_mut(),
        report: resume
            .as_ref()
            .map(|r| r.report.clone())
            .unwrap_or_else(Report::new),
        progress: options.progress.clone(),
        changes_len: resume.as_ref().map_or(0, |r| r.changes_len),
        rejects_len: resume.as_ref().map_or(0, |r| r.rejects_len),
        seen,
        id_cap: MAX_TRACKED_IDS,
        ids,
        ids_len: resume.as_ref().map_or(0, |r| r.ids_len),
        checkpoint: spec,
        stop: options.stop.clone(),
    };
    let mut i = resume.as_ref().map_or(0, |r| r.source);
    // Where to pick up inside the first source (a JSONL file cut off mid-way).
    let mut within = resume
        .as_ref()
        .filter(|r| r.lines > 0)
        .map(|r| (r.lines, r.out_len));
    while i < sources.len() {
        match &sources[i] {
            Source::File {
                format: Format::Txt,
                ..
            } => {
                // A batch of consecutive text files, bounded by count and size. The sizes are
                // looked up on the pool (one lookup per file adds up on one thread).
                let is_txt = |s: &Source| {
                    matches!(
                        s,
                        Source::File {
                            format: Format::Txt,
                            ..
                        }
                    )
                };
                let run = sources[i..]
                    .iter()
                    .take(options.chunk_docs.max(1))
                    .take_while(|s| is_txt(s))
                    .count();
                let size = |s: &Source| match s {
                    Source::File { path, .. } => {
                        std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
                    }
                    Source::Stdin { .. } => 0,
                };
                let mut j = i;
                let mut bytes = 0u64;
                'batch: while j < i + run {
                    // The next few hundred sizes at a time, so that a batch the size bound cuts
                    // short looks up few sizes it does not use.
                    let window = &sources[j..(j + 512).min(i + run)];
                    let sizes: Vec<u64> = pool.install(|| window.par_iter().map(size).collect());
                    for n in sizes {
                        if j > i && bytes >= options.chunk_bytes as u64 {
                            break 'batch;
                        }
                        bytes += n;
                        j += 1;
                    }
                }
                run_txt_batch(cleaner, &sources[i..j], &pool, target, &mut w)?;
                w.checkpoint(j, 0, 0)?;
                i = j;
            }
            Source::File {
                path,
                format: Format::Jsonl,
                ..
            } => {
                // Small files are read into one chunk and cleaned together; a big one (or one
                // resumed mid-way) is streamed a chunk at a time.
                let from = within.take();
                let batch = from
                    .is_none()
                    .then(|| read_jsonl_batch(sources, i, options))
                    .filter(|b| !b.files.is_empty());
                if let Some(batch) = batch {
                    i += batch.files.len();
                    run_jsonl_batch(cleaner, sources, batch, options, &pool, target, &mut w)?;
                } else {
                    run_jsonl_file(
                        cleaner, i, path, from, options, &pool, target, &mut w, sources,
                    )?;
                    i += 1;
                }
                w.checkpoint(i, 0, 0)?;
            }
            Source::Stdin { format } => {
                run_stdin(cleaner, *format, options, &pool, target, &mut w)?;
                i += 1;
            }
        }
        if w.stopped() && i < sources.len() {
            return Err(Error::Interrupted);
        }
    }
    if let Target::Stream(s) = target {
        s.flush().map_err(IoError::Stream)?;
    }
    for f in [w.changes.as_mut(), w.rejects.as_mut()]
        .into_iter()
        .flatten()
    {
        f.flush().map_err(IoError::Stream)?;
    }
    let mut report = w.report;
    report.finish(start.elapsed());
    Ok(report)
}

fn stream<'t>(target: &'t mut Target<'_>) -> Option<&'t mut dyn Write> {
    match target {
        Target::Stream(s) => Some(&mut **s),
        Target::Dir(_) => None,
    }
}

/// Cleans a batch of text files in parts: each part's outputs are written while the next part is
/// cleaned, so creating the files overlaps the cleaning even with one thread. The calling thread
/// writes them in order, from the front; pool threads that have finished cleaning the next part
/// help from the back (see [`TxtWrites`]), so that many cleaning threads are not held up by one
/// thread creating files.
fn run_txt_batch(
    cleaner: &Cleaner,
    batch: &[Source],
    pool: &rayon::ThreadPool,
    target: &mut Target,
    w: &mut Writer,
) -> Result<(), IoError> {
    let per_part = batch.len().div_ceil(BATCH_PARTS).max(1);
    let helpers = pool.current_num_threads();
    let mut pending: Option<(&[Source], Vec<TxtResult>, Counted)> = None;
    for part in batch.chunks(per_part).map(Some).chain([None]) {
        let mut results = Vec::new();
        let mut counted = Counted::default();
        let (sources, mut done, done_counted) = match pending.take() {
            Some((s, d, c)) => (Some(s), Some(d), Some(c)),
            None => (None, None, None),
        };
        let writes = match (&*target, sources, done.as_mut()) {
            (Target::Dir(dir), Some(sources), Some(done)) => TxtWrites::new(dir, sources, done),
            _ => TxtWrites::default(),
        };
        pool.in_place_scope(|scope| {
            if let Some(part) = part {
                let (results, counted, writes) = (&mut results, &mut counted, &writes);
                scope.spawn(move |_| {
                    *results = part
                        .par_iter()
                        .map(|s| clean_txt_file(cleaner, s))
                        .collect::<Vec<_>>();
                    *counted = Counted {
                        bytes: results.par_iter().map(|(r, _)| r.bytes_in()).sum(),
                        report: tally_written(results.par_iter_mut().map(|(r, _)| r)),
                    };
                    if writes.left() {
                        (0..helpers).into_par_iter().for_each(|_| writes.help());
                    }
                });
            }
            match (sources, done, done_counted) {
                (Some(sources), Some(results), Some(counted)) => {
                    write_txt_results(sources, results, counted, &writes, target, w)
                }
                _ => Ok(()),
            }
        })?;
        pending = part.map(|p| (p, results, counted));
    }
    Ok(())
}

/// The output files of one part of a text batch, written by the calling thread in order from the
/// front and by pool threads from the back. Each file is claimed once; the calling thread waits for
/// a file a helper claimed before it moves past it, so errors are still reported in input order.
#[derive(Default)]
struct TxtWrites {
    /// Per file: where to write what (`None`: nothing to write, e.g. a rejected file).
    jobs: Vec<Option<(PathBuf, bool, Vec<u8>)>>,
    slots: Vec<WriteSlot>,
    /// Helpers take the file before this index next.
    back: std::sync::atomic::AtomicUsize,
}

#[derive(Default)]
struct WriteSlot {
    claimed: AtomicBool,
    done: AtomicBool,
    error: std::sync::Mutex<Option<IoError>>,
}

impl TxtWrites {
    /// The writes of `results` (of `sources`) into `dir`; the cleaned texts move out of `results`.
    fn new(dir: &Path, sources: &[Source], results: &mut [TxtResult]) -> Self {
        let jobs: Vec<_> = sources
            .iter()
            .zip(results.iter_mut())
            .map(|(source, (r, _))| match (r, source) {
                (DocResult::Written { out, .. }, Source::File { rel, .. }) => {
                    // The output directory itself exists (`run` made it); only a sub-folder may
                    // not.
                    let nested = rel.parent().is_some_and(|p| !p.as_os_str().is_empty());
                    Some((dir.join(rel), nested, std::mem::take(out)))
                }
                _ => None,
            })
            .collect();
        TxtWrites {
            slots: jobs.iter().map(|_| WriteSlot::default()).collect(),
            back: jobs.len().into(),
            jobs,
        }
    }

    /// Whether some file may be left for a helper.
    fn left(&self) -> bool {
        let b = self.back.load(Ordering::Relaxed);
        b > 0 && !self.slots[b - 1].claimed.load(Ordering::Relaxed)
    }

    /// Claims file `i` for the calling thread; false when another thread has it.
    fn claim(&self, i: usize) -> bool {
        !self.slots[i].claimed.swap(true, Ordering::AcqRel)
    }

    /// Writes file `i` (claimed by this thread).
    fn write(&self, i: usize) {
        let slot = &self.slots[i];
        if let Some((dest, nested, bytes)) = &self.jobs[i] {
            let written = match dest.parent().filter(|_| *nested) {
                Some(parent) => create_dir(parent),
                None => Ok(()),
            }
            .and_then(|()| {
                write_atomic(dest, bytes).map_err(|e| IoError::Write {
                    path: dest.clone(),
                    error: e,
                })
            });
            if let Err(e) = written {
                *slot.error.lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
            }
        }
        slot.done.store(true, Ordering::Release);
    }

    /// A pool thread: writes files from the back until it meets one the calling thread took.
    fn help(&self) {
        while let Ok(b) = self
            .back
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |b| b.checked_sub(1))
        {
            if !self.claim(b - 1) {
                return;
            }
            self.write(b - 1);
        }
    }

    /// The calling thread: file `i` written, by itself or by a helper (waited for).
    fn finish(&self, i: usize) -> Result<(), IoError> {
        if self.claim(i) {
            self.write(i);
        } else {
            while !self.slots[i].done.load(Ordering::Acquire) {
                std::thread::yield_now();
            }
        }
        match self.slots[i]
            .error
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
        {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// What the pool counted of a text batch's part: its input bytes and its written documents'
/// counts (see [`tally_written`]).
#[derive(Default)]
struct Counted {
    bytes: u64,
    report: Report,
}

impl DocResult {
    /// The input bytes of a document (0 for a blank line, or a written one already counted).
    fn bytes_in(&self) -> u64 {
        match self {
            DocResult::Written { stats, .. } => stats.as_ref().map_or(0, |s| s.bytes_in),
            DocResult::Rejected { bytes_in, .. } => *bytes_in,
            DocResult::Blank => 0,
        }
    }
}

/// Writes the results of text files `sources` in order: into a directory, each cleaned text as
/// its own file (atomically, through `writes`); into the stream, one after another. The part's
/// change-log lines go to the change log in one vectored write, on a thread of their own beside
/// the files when they are many (see [`Pending::SPLIT_BYTES`]).
fn write_txt_results(
    sources: &[Source],
    mut results: Vec<TxtResult>,
    counted: Counted,
    writes: &TxtWrites,
    target: &mut Target,
    w: &mut Writer,
) -> Result<(), IoError> {
    let logs: Vec<Vec<u8>> = match w.changes {
        Some(_) => results
            .iter_mut()
            .filter_map(|(r, _)| match r {
                DocResult::Written { changes, .. } => Some(std::mem::take(changes)),
                _ => None,
            })
            .collect(),
        None => Vec::new(),
    };
    let logged: usize = logs.iter().map(Vec::len).sum();
    // The change log is lent to the writing of `logs` while the files are written.
    let mut log = w.changes.take();
    let written = match log.as_deref_mut() {
        Some(l) => write_log_beside(
            l,
            &logs,
            logged >= Pending::SPLIT_BYTES,
            || write_txt_files(results, writes, target, w),
            IoError::Stream,
        ),
        None => write_txt_files(results, writes, target, w),
    };
    w.changes = log;
    written?;
    w.changes_len += logged as u64;
    w.report.merge_written(counted.report);
    w.advance(sources.len() as u64, counted.bytes);
    Ok(())
}

/// Writes the files of `results` in order (waiting for those a helper took), with their logs'
/// other lines and counts.
fn write_txt_files(
    results: Vec<TxtResult>,
    writes: &TxtWrites,
    target: &mut Target,
    w: &mut Writer,
) -> Result<(), IoError> {
    for (i, (r, orig)) in results.into_iter().enumerate() {
        if i < writes.slots.len() {
            writes.finish(i)?;
        }
        w.write(r, stream(target), orig.as_deref(), None)?;
    }
    Ok(())
}

/// Lines read from a stream: one buffer and the line ranges in it.
struct Chunk {
    buf: Vec<u8>,
    /// (start, end) without the line terminator.
    lines: Vec<(usize, usize)>,
    /// Line number of the first line (1-based).
    first: usize,
}

/// Reads the next chunk, into the buffers of `spare` (a chunk already written) if given: a buffer
/// of [`Options::chunk_bytes`] used again costs no fresh pages.
fn read_chunk(
    r: &mut (dyn BufRead + Send),
    next_line: &mut usize,
    o: &Options,
    spare: Option<Chunk>,
) -> (Chunk, Option<std::io::Error>) {
    let mut c = match spare {
        Some(mut c) => {
            c.buf.clear();
            c.lines.clear();
            c.first = *next_line;
            c
        }
        None => Chunk {
            buf: Vec::with_capacity(o.chunk_bytes.min(64 << 20) + 4096),
            lines: Vec::new(),
            first: *next_line,
        },
    };
    match fill_chunk(r, &mut c, next_line, o) {
        Filled::Failed(e) => (c, Some(e)),
        Filled::Full | Filled::End => (c, None),
    }
}

/// Why [`fill_chunk`] stopped.
enum Filled {
    /// The chunk holds [`Options::chunk_bytes`] or [`Options::chunk_docs`].
    Full,
    /// The end of the input.
    End,
    /// A read error (the line it cut is dropped).
    Failed(std::io::Error),
}

/// Appends lines from `r` to `c` until it is full or the input ends.
fn fill_chunk(
    r: &mut (dyn BufRead + Send),
    c: &mut Chunk,
    next_line: &mut usize,
    o: &Options,
) -> Filled {
    while c.buf.len() < o.chunk_bytes && c.lines.len() < o.chunk_docs.max(1) {
        let start = c.buf.len();
        match r.read_until(b'\n', &mut c.buf) {
            Ok(0) => return Filled::End,
            Ok(_) => {
                let mut end = c.buf.len();
                if c.buf[end - 1] == b'\n' {
                    end -= 1;
                    if end > start && c.buf[end - 1] == b'\r' {
                        end -= 1;
                    }
                }
                c.lines.push((start, end));
                *next_line += 1;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                c.buf.truncate(start);
                return Filled::Failed(e);
            }
        }
    }
    Filled::Full
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether a stream opens with a UTF-16 byte-order mark.
fn utf16_bom(head: &[u8]) -> bool {
    head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF])
}

/// Drops a UTF-8 byte-order mark at the start of a stream.
fn skip_bom(reader: &mut (dyn BufRead + Send)) {
    if reader.fill_buf().is_ok_and(|b| b.starts_with(UTF8_BOM)) {
        reader.consume(UTF8_BOM.len());
    }
}

/// Where a JSONL stream starts: from its first line (a UTF-8 BOM there is dropped), or, resuming,
/// after `skip` lines.
fn skip_lines(reader: &mut (dyn BufRead + Send), skip: u64, label: &str) -> Result<(), Error> {
    if skip == 0 {
        skip_bom(reader);
        return Ok(());
    }
    let mut scratch = Vec::new();
    for _ in 0..skip {
        scratch.clear();
        let n = reader
            .read_until(b'\n', &mut scratch)
            .map_err(|e| Error::Resume(format!("{label}: {e}")))?;
        if n == 0 {
            return Err(Error::Resume(format!(
                "{label} has fewer lines than the checkpoint says"
            )));
        }
    }
    Ok(())
}

/// Where a JSONL stream's chunks come from. The first chunk is read on the calling thread; when
/// the input goes on past it, the rest is read on a thread of its own, a chunk ahead, so that the
/// calling thread only writes (with many threads cleaning, its serial work is what could hold
/// them up). The chunks, their line numbers and a read error arrive as [`read_chunk`] reads them
/// inline; a reading thread that stops without handing over the end (it panicked) is a read
/// error, never a silent end of input.
enum Chunks {
    Inline {
        reader: Box<dyn BufRead + Send>,
        next_line: usize,
    },
    Thread {
        rx: std::sync::mpsc::Receiver<(Chunk, Option<std::io::Error>)>,
        /// Chunks written, handed back for their buffers.
        spare: std::sync::mpsc::SyncSender<Chunk>,
        /// The line number of the next chunk's first line.
        next_line: usize,
    },
}

impl Chunks {
    /// Reads the first chunk inline; moves the reading to a thread when the input is longer.
    fn start(
        mut reader: Box<dyn BufRead + Send>,
        mut next_line: usize,
        o: &Options,
    ) -> (Chunks, (Chunk, Option<std::io::Error>)) {
        let first = read_chunk(&mut *reader, &mut next_line, o, None);
        let full = first.1.is_none()
            && (first.0.buf.len() >= o.chunk_bytes || first.0.lines.len() >= o.chunk_docs.max(1));
        let inline = Chunks::Inline { reader, next_line };
        if !full {
            return (inline, first);
        }
        (inline.threaded(o), first)
    }

    /// Moves the reading to a thread (stays inline if no thread can be started).
    fn threaded(self, o: &Options) -> Chunks {
        let Chunks::Inline { reader, next_line } = self else {
            return self;
        };
        let (tx, rx) = std::sync::mpsc::sync_channel(0);
        let (spare, spare_rx) = std::sync::mpsc::sync_channel::<Chunk>(2);
        let limits = Options {
            chunk_bytes: o.chunk_bytes,
            chunk_docs: o.chunk_docs,
            ..Options::default()
        };
        // The reader goes to the thread and comes back if it cannot start.
        let slot = Arc::new(std::sync::Mutex::new(Some(reader)));
        let taken = Arc::clone(&slot);
        let spawned = std::thread::Builder::new()
            .name("textmend-read-chunks".into())
            .spawn(move || {
                let Some(mut reader) = taken.lock().ok().and_then(|mut r| r.take()) else {
                    return;
                };
                drop(taken);
                let mut line = next_line;
                loop {
                    let spare = spare_rx.try_recv().ok();
                    let (chunk, err) = read_chunk(&mut *reader, &mut line, &limits, spare);
                    let end = chunk.lines.is_empty() || err.is_some();
                    // The receiver gone: the run stopped or failed; nothing more is wanted.
                    if tx.send((chunk, err)).is_err() || end {
                        return;
                    }
                }
            });
        match spawned {
            Ok(_) => Chunks::Thread {
                rx,
                spare,
                next_line,
            },
            Err(_) => {
                let reader = slot
                    .lock()
                    .ok()
                    .and_then(|mut r| r.take())
                    .expect("not taken");
                Chunks::Inline { reader, next_line }
            }
        }
    }

    /// The next chunk, into the buffers of `spare` (a chunk already written) where it can.
    fn next(&mut self, spare: Option<Chunk>, o: &Options) -> (Chunk, Option<std::io::Error>) {
        match self {
            Chunks::Inline { reader, next_line } => read_chunk(&mut **reader, next_line, o, spare),
            Chunks::Thread {
                rx,
                spare: back,
                next_line,
            } => {
                if let Some(c) = spare {
                    let _ = back.try_send(c);
                }
                let (chunk, err) = rx.recv().unwrap_or_else(|_| {
                    let chunk = Chunk {
                        buf: Vec::new(),
                        lines: Vec::new(),
                        first: *next_line,
                    };
                    let e = std::io::Error::other("the reading thread stopped");
                    (chunk, Some(e))
                });
                *next_line = chunk.first + chunk.lines.len();
                (chunk, err)
            }
        }
    }
}

/// How a JSONL stream records its progress: as source `source`, starting at line `first` (1-based)
/// with `out_len` bytes already in its output. `None`: no checkpoints inside the stream.
#[derive(Clone, Copy)]
struct StreamPos {
    source: usize,
    first: usize,
    out_len: u64,
}

/// Streams JSONL from `reader` and writes the results in order to `out`, compressed with `c`;
/// with `passthrough`, rejected and blank lines are written through. While the pool cleans chunk
/// k, this thread writes chunk k-1's results (and checkpoints them) and takes chunk k+1 (read on
/// a thread of its own for an input longer than a chunk, see [`Chunks`]), so neither reading nor
/// writing holds the cleaning threads up. A compressed output is written as
/// gzip members or zstd frames ([`member_bytes`]), compressed on the pool.
#[allow(clippy::too_many_arguments)]
fn run_jsonl(
    cleaner: &Cleaner,
    label: &str,
    reader: Box<dyn BufRead + Send>,
    out: &mut dyn Write,
    c: Compression,
    passthrough: bool,
    options: &Options,
    pool: &rayon::ThreadPool,
    w: &mut Writer,
    pos: Option<StreamPos>,
) -> Result<(), Error> {
    // Bytes in the output file so far (compressed bytes for a compressed output).
    let mut out_len = pos.map_or(0, |p| p.out_len);
    // The chunk to clean now (None: the input has ended), and the one cleaned before it, with
    // its results, waiting to be written.
    let (mut chunks, first) = Chunks::start(reader, pos.map_or(1, |p| p.first), options);
    let mut current = Some(first);
    let mut cleaned: Option<(Chunk, Option<std::io::Error>, Vec<DocResult>, Report)> = None;
    let mut plain = Vec::new();
    loop {
        if let Some((chunk, None)) = &current {
            if chunk.lines.is_empty() {
                current = None;
            }
        }
        if current.is_none() && cleaned.is_none() {
            break;
        }
        let mut results = Vec::new();
        let mut tally = Report::default();
        let mut members: Vec<std::io::Result<Vec<u8>>> = Vec::new();
        let mut next = None;
        // A stop is obeyed once a chunk has been written in this call, so every call makes
        // progress.
        let writes = cleaned.is_some();
        // The last line of the chunk written (None: nothing written, or it ended in a read
        // error, which ends the input).
        let mut done: Option<u64> = None;
        plain.clear();
        pool.in_place_scope(|scope| -> Result<(), Error> {
            let mut spare = None;
            if let Some((chunk, _)) = &current {
                let (results, tally) = (&mut results, &mut tally);
                scope.spawn(move |_| {
                    *results = chunk
                        .lines
                        .par_iter()
                        .enumerate()
                        .map(|(k, &(s, e))| {
                            clean_line(cleaner, &chunk.buf[s..e], label, chunk.first + k)
                        })
                        .collect();
                    *tally = tally_written(results.par_iter_mut());
                });
            }
            if let Some((chunk, err, results, counted)) = cleaned.take() {
                let n = results.len() as u64;
                let sink: &mut dyn Write = if c == Compression::None {
                    &mut *out
                } else {
                    &mut plain
                };
                let (written, bytes) =
                    write_lines(w, results, &chunk.buf, &chunk.lines, sink, passthrough)?;
                w.report.merge_written(counted);
                w.advance(n, bytes);
                if c == Compression::None {
                    out_len += written;
                } else {
                    let (plain, members) = (&plain, &mut members);
                    scope.spawn(move |_| {
                        *members = plain
                            .par_chunks(member_bytes(c))
                            .map(|piece| c.compress(piece))
                            .collect();
                    });
                }
                match err {
                    Some(e) => reject_read_error(w, label, chunk.first + chunk.lines.len(), &e)?,
                    None => done = Some((chunk.first + chunk.lines.len() - 1) as u64),
                }
                spare = Some(chunk);
            }
            // A read error ends the input: nothing is read after it; nor after a stop.
            if matches!(&current, Some((_, None))) && !(writes && w.stopped()) {
                next = Some(chunks.next(spare, options));
            }
            Ok(())
        })?;
        for m in members {
            let m = m.map_err(IoError::Stream)?;
            out.write_all(&m).map_err(IoError::Stream)?;
            out_len += m.len() as u64;
        }
        if writes && done.is_none() {
            break; // a read error
        }
        if let (Some(last), Some(p)) = (done, pos) {
            // Whole chunks only, and whole gzip members or zstd frames: the output cut here
            // is a valid file that a resumed run appends to.
            out.flush().map_err(IoError::Stream)?;
            w.checkpoint(p.source, last, out_len)?;
        }
        if writes && w.stopped() {
            // What was written is checkpointed; a chunk cleaned but not written is dropped.
            return Err(Error::Interrupted);
        }
        cleaned = current.map(|(chunk, err)| (chunk, err, results, tally));
        current = next;
    }
    if c != Compression::None && out_len == 0 {
        // An empty output is still a valid compressed file.
        let m = c.compress(&[]).map_err(IoError::Stream)?;
        out.write_all(&m).map_err(IoError::Stream)?;
    }
    Ok(())
}

/// Plain bytes per gzip member or zstd frame of a streamed compressed output. gzip looks back
/// 32 KiB only, so 1 MiB members cost about 3% in size and let several threads compress one
/// chunk; zstd is fast enough on one thread and keeps its longer window over a whole chunk.
fn member_bytes(c: Compression) -> usize {
    match c {
        Compression::Gz => 1 << 20,
        _ => 8 << 20,
    }
}

/// The counts of the written documents among `results`, added up on the pool rather than one
/// document at a time by the thread that writes them (with many threads cleaning, that thread's
/// work is what could hold them up). Their stats are taken, so writing them counts nothing twice.
fn tally_written<'a>(results: impl ParallelIterator<Item = &'a mut DocResult>) -> Report {
    results
        .fold(Report::default, |mut t, r| {
            if let DocResult::Written { stats, .. } = r {
                if let Some(s) = stats.take() {
                    t.add_written(&s);
                }
            }
            t
        })
        .reduce(Report::default, |mut a, b| {
            a.merge_written(b);
            a
        })
}

/// A rejected document's or blank line's own bytes, written through (when given) to `out`, or
/// held in `pending`; returns the bytes.
fn pass_through(
    out: Option<&mut dyn Write>,
    passthrough: Option<&[u8]>,
    pending: Option<&mut Pending>,
) -> Result<u64, IoError> {
    let Some(orig) = passthrough else {
        return Ok(0);
    };
    match (pending, out) {
        (Some(p), _) => p.out.push(orig.to_vec()),
        (None, Some(o)) => o.write_all(orig).map_err(IoError::Stream)?,
        (None, None) => return Ok(0),
    }
    Ok(orig.len() as u64)
}

/// Documents' outputs and change-log lines held by the writing thread, to be written with
/// vectored writes: the files get them straight from the documents' buffers instead of through a
/// copy into a write buffer.
#[derive(Default)]
struct Pending {
    out: Vec<Vec<u8>>,
    changes: Vec<Vec<u8>>,
}

impl Pending {
    /// Below this many bytes of output or of change-log lines, both are written on the calling
    /// thread: a thread of its own for the change log is worth its start only for a large part.
    const SPLIT_BYTES: usize = 1 << 20;

    /// Writes what is held, in order, to `out` and `w`'s change log, and lets it go. A large part's
    /// change-log lines are written on a thread of their own while this thread writes the outputs:
    /// they are twice the outputs' size, and with many threads cleaning, the thread that writes
    /// is what could hold them up.
    fn flush(&mut self, out: &mut dyn Write, w: &mut Writer) -> Result<(), IoError> {
        let Some(c) = w.changes.as_deref_mut() else {
            write_all_vectored(out, &self.out).map_err(IoError::Stream)?;
            self.out.clear();
            self.changes.clear();
            return Ok(());
        };
        let size = |v: &[Vec<u8>]| v.iter().map(Vec::len).sum::<usize>();
        let beside =
            size(&self.changes) >= Pending::SPLIT_BYTES && size(&self.out) >= Pending::SPLIT_BYTES;
        let written = write_log_beside(
            c,
            &self.changes,
            beside,
            || write_all_vectored(out, &self.out),
            |e| e,
        );
        self.out.clear();
        self.changes.clear();
        written.map_err(IoError::Stream)
    }
}

/// Runs `work`, then writes `logs` to the change log `log` if `work` succeeded; with `beside`,
/// `logs` are written on a thread of their own while `work` runs (one after the other when no
/// thread can be started). `work`'s error comes first; a panic on the change-log thread is a
/// write error, never a silent loss.
fn write_log_beside<E>(
    log: &mut (dyn Write + Send),
    logs: &[Vec<u8>],
    beside: bool,
    work: impl FnOnce() -> Result<(), E>,
    err: impl Fn(std::io::Error) -> E,
) -> Result<(), E> {
    let mut work = Some(work);
    if beside {
        let done = std::thread::scope(|s| {
            let thread = std::thread::Builder::new()
                .name("textmend-changes".into())
                .spawn_scoped(s, || write_all_vectored(&mut *log, logs))
                .ok()?;
            let done = (work.take().expect("run once"))();
            let logged = thread
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("the change-log thread stopped")));
            Some(done.and_then(|()| logged.map_err(&err)))
        });
        if let Some(done) = done {
            return done;
        }
    }
    (work.take().expect("run once"))()?;
    write_all_vectored(log, logs).map_err(err)
}

/// Writes `bufs` whole, in order, with as few vectored writes as `w` takes (a file takes them all
/// at once).
fn write_all_vectored(w: &mut dyn Write, bufs: &[Vec<u8>]) -> std::io::Result<()> {
    // The first piece not yet written whole, and how much of it is.
    let (mut i, mut done) = (0, 0);
    loop {
        while bufs.get(i).is_some_and(|b| b.len() == done) {
            (i, done) = (i + 1, 0);
        }
        if i == bufs.len() {
            return Ok(());
        }
        // At most 1024 pieces per call (the usual IOV_MAX).
        let slices: Vec<std::io::IoSlice<'_>> = std::iter::once(&bufs[i][done..])
            .chain(bufs[i + 1..].iter().map(|b| b.as_slice()))
            .filter(|b| !b.is_empty())
            .take(1024)
            .map(std::io::IoSlice::new)
            .collect();
        match w.write_vectored(&slices) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(mut n) => {
                while n > 0 {
                    let left = bufs[i].len() - done;
                    if n < left {
                        done += n;
                        break;
                    }
                    n -= left;
                    (i, done) = (i + 1, 0);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Writes the results of `lines` (ranges in `buf`) in order to `out`; with `passthrough`, a
/// rejected or blank line is written through. Returns the bytes written to `out` and the input
/// bytes.
fn write_lines(
    w: &mut Writer,
    results: impl IntoIterator<Item = DocResult>,
    buf: &[u8],
    lines: &[(usize, usize)],
    out: &mut dyn Write,
    passthrough: bool,
) -> Result<(u64, u64), IoError> {
    let (mut written, mut bytes) = (0, 0);
    let mut line_buf = Vec::new();
    let mut pending = Pending::default();
    for (r, &(s, e)) in results.into_iter().zip(lines) {
        bytes += (e - s) as u64 + 1;
        // A written document's own line is not needed (its output replaces it).
        let pass = if passthrough && !matches!(r, DocResult::Written { .. }) {
            line_buf.clear();
            line_buf.extend_from_slice(&buf[s..e]);
            line_buf.push(b'\n');
            Some(line_buf.as_slice())
        } else {
            None
        };
        written += w.write(r, None, pass, Some(&mut pending))?;
    }
    pending.flush(out, w)?;
    Ok((written, bytes))
}

/// Rejects the rest of an input after a read error at line `line`.
fn reject_read_error(
    w: &mut Writer,
    label: &str,
    line: usize,
    e: &std::io::Error,
) -> Result<(), IoError> {
    let reject = Reject {
        file: label.to_string(),
        line: Some(line),
        reason: format!("read error, rest of the input skipped: {e}"),
        original: None,
    };
    w.reject(&reject, 0)
}

/// Creates a folder and the folders above it, as needed.
fn create_dir(path: &Path) -> Result<(), IoError> {
    std::fs::create_dir_all(path).map_err(|error| IoError::CreateDir {
        path: path.to_path_buf(),
        error,
    })
}

/// Creates the directory of `dest` and opens `dest` atomically; with `pos`, resumable (see
/// [`run_jsonl_to_file`]).
fn create_output(dest: &Path, pos: Option<StreamPos>) -> Result<AtomicFile, Error> {
    let werr = |e| IoError::Write {
        path: dest.to_path_buf(),
        error: e,
    };
    if let Some(parent) = dest.parent() {
        create_dir(parent)?;
    }
    Ok(match pos {
        Some(p) if p.first > 1 => AtomicFile::resumable(dest, Some(p.out_len))
            .map_err(|e| Error::Resume(format!("{}: {e}", dest.display())))?,
        Some(_) => AtomicFile::resumable(dest, None).map_err(werr)?,
        None => AtomicFile::create(dest).map_err(werr)?,
    })
}

/// JSONL into a new file `dest`, atomically. With `pos`, the output is resumable: kept under
/// its partial name (and, resuming, appended to) and checkpointed after every chunk.
#[allow(clippy::too_many_arguments)]
fn run_jsonl_to_file(
    cleaner: &Cleaner,
    label: &str,
    reader: Box<dyn BufRead + Send>,
    dest: &Path,
    c: Compression,
    options: &Options,
    pool: &rayon::ThreadPool,
    w: &mut Writer,
    pos: Option<StreamPos>,
) -> Result<(), Error> {
    let werr = |e| IoError::Write {
        path: dest.to_path_buf(),
        error: e,
    };
    // Compressed by run_jsonl, a member at a time.
    let mut enc = Compression::None
        .writer(create_output(dest, pos)?)
        .map_err(werr)?;
    match run_jsonl(
        cleaner, label, reader, &mut enc, c, false, options, pool, w, pos,
    ) {
        Ok(()) => {}
        Err(Error::Interrupted) if pos.is_some() => {
            // Checkpointed: keep the partial output for --resume.
            enc.finish().and_then(AtomicFile::keep).map_err(werr)?;
            return Err(Error::Interrupted);
        }
        Err(Error::Io(IoError::Stream(e))) => return Err(werr(e).into()),
        Err(e) => return Err(e),
    }
    Ok(enc.finish().and_then(AtomicFile::commit).map_err(werr)?)
}

/// JSONL into the stream target, compressed if asked.
fn run_jsonl_to_stream(
    cleaner: &Cleaner,
    label: &str,
    reader: Box<dyn BufRead + Send>,
    out: &mut dyn Write,
    options: &Options,
    pool: &rayon::ThreadPool,
    w: &mut Writer,
) -> Result<(), Error> {
    let c = options.compress.unwrap_or_default();
    run_jsonl(cleaner, label, reader, out, c, true, options, pool, w, None)
}

/// Consecutive small JSONL files read into one chunk, to be cleaned together.
struct JsonlBatch {
    chunk: Chunk,
    /// For each line of the chunk: its file (an index into `files`) and its line number there.
    at: Vec<(usize, usize)>,
    files: Vec<BatchFile>,
}

struct BatchFile {
    /// An index into the run's sources.
    source: usize,
    label: String,
    /// This file's lines (indices into the chunk's lines), or why the whole file is rejected.
    lines: Result<std::ops::Range<usize>, String>,
    /// The read error that cut the file short, and the line it hit.
    error: Option<(usize, std::io::Error)>,
}

/// Reads whole JSONL files, from `sources[from]` on, into one chunk while they fit in it
/// ([`Options::chunk_bytes`], [`Options::chunk_docs`]). Stops before a source that is not a
/// JSONL file or does not fit in what is left; a file that does not fit in a chunk of its own
/// gives no files at all (the caller streams it, a chunk at a time).
fn read_jsonl_batch(sources: &[Source], from: usize, o: &Options) -> JsonlBatch {
    let mut b = JsonlBatch {
        chunk: Chunk {
            buf: Vec::new(),
            lines: Vec::new(),
            first: 1,
        },
        at: Vec::new(),
        files: Vec::new(),
    };
    for (index, source) in sources.iter().enumerate().skip(from) {
        let Source::File {
            path,
            format: Format::Jsonl,
            ..
        } = source
        else {
            break;
        };
        let room = o.chunk_bytes.saturating_sub(b.chunk.buf.len()) as u64;
        let size = std::fs::metadata(path).ok().map(|m| m.len());
        if b.files.len() >= o.chunk_docs.max(1) || size.is_some_and(|n| n >= room) {
            break;
        }
        // Room for the file (its size on disk: a hint for a compressed one), so the chunk is not
        // grown and copied while it is read.
        b.chunk.buf.reserve(size.unwrap_or(0) as usize);
        let label = source.label();
        let mut reader = match open_jsonl(path) {
            Ok(r) => r,
            Err(reason) => {
                b.files.push(BatchFile {
                    source: index,
                    label,
                    lines: Err(reason),
                    error: None,
                });
                continue;
            }
        };
        skip_bom(&mut *reader);
        let (start, first) = (b.chunk.buf.len(), b.chunk.lines.len());
        let mut next_line = 1;
        let error = match fill_chunk(&mut *reader, &mut b.chunk, &mut next_line, o) {
            Filled::End => None,
            Filled::Failed(e) => Some((next_line, e)),
            Filled::Full if reader.fill_buf().is_ok_and(|rest| rest.is_empty()) => None,
            Filled::Full => {
                // A compressed file bigger than its size says, or too many lines: it starts the
                // next batch, or is streamed.
                b.chunk.buf.truncate(start);
                b.chunk.lines.truncate(first);
                break;
            }
        };
        let end = b.chunk.lines.len();
        let f = b.files.len();
        b.at.extend((first..end).map(|k| (f, k - first + 1)));
        b.files.push(BatchFile {
            source: index,
            label,
            lines: Ok(first..end),
            error,
        });
    }
    b
}

/// How many parts a batch is cleaned in: each part's files are written while the next part is
/// cleaned (creating many small files can take as long as cleaning them).
const BATCH_PARTS: usize = 8;

/// A part's results and the counts of its written documents.
type Tallied = (Vec<DocResult>, Report);

/// Cleans the lines of a [`JsonlBatch`] in parallel, and writes each file's results in order:
/// into a directory, one output per file (atomically, as [`run_jsonl_to_file`]); into the
/// stream, one after another (as [`run_jsonl_to_stream`]).
fn run_jsonl_batch(
    cleaner: &Cleaner,
    sources: &[Source],
    batch: JsonlBatch,
    options: &Options,
    pool: &rayon::ThreadPool,
    target: &mut Target,
    w: &mut Writer,
) -> Result<(), Error> {
    let JsonlBatch { chunk, at, files } = batch;
    // A part's results, with the counts of its written documents (tallied on the pool).
    let clean = |lines: std::ops::Range<usize>| -> (Vec<DocResult>, Report) {
        let mut results: Vec<DocResult> = chunk.lines[lines.clone()]
            .par_iter()
            .zip(&at[lines])
            .map(|(&(s, e), &(f, line))| {
                clean_line(cleaner, &chunk.buf[s..e], &files[f].label, line)
            })
            .collect();
        let counted = tally_written(results.par_iter_mut());
        (results, counted)
    };
    // Parts of whole files, of about the same number of lines.
    let per_part = chunk.lines.len().div_ceil(BATCH_PARTS).max(1);
    let mut parts = Vec::new();
    let (mut first_file, mut first_line, mut line) = (0, 0, 0);
    for (f, file) in files.iter().enumerate() {
        if let Ok(r) = &file.lines {
            line = r.end;
        }
        if line - first_line >= per_part || f + 1 == files.len() {
            parts.push((first_file..f + 1, first_line..line));
            (first_file, first_line) = (f + 1, line);
        }
    }
    let (mut docs, mut bytes) = (0, 0);
    let mut pending: Option<(std::ops::Range<usize>, Tallied)> = None;
    let mut write = |fr: std::ops::Range<usize>, (results, counted), w: &mut Writer| {
        let n = write_batch_files(&files[fr], results, &chunk, sources, options, target, w)?;
        w.report.merge_written(counted);
        Ok::<_, Error>(n)
    };
    for (file_range, line_range) in parts {
        let (results, written) = pool.install(|| {
            rayon::join(
                || clean(line_range),
                || pending.take().map(|(fr, done)| write(fr, done, w)),
            )
        });
        if let Some(n) = written.transpose()? {
            docs += n.0;
            bytes += n.1;
        }
        pending = Some((file_range, results));
    }
    if let Some((fr, done)) = pending {
        let n = write(fr, done, w)?;
        docs += n.0;
        bytes += n.1;
    }
    w.advance(docs, bytes);
    Ok(())
}

/// Writes the results of `files` (theirs only, in order); returns the documents and the input
/// bytes written.
fn write_batch_files(
    files: &[BatchFile],
    results: Vec<DocResult>,
    chunk: &Chunk,
    sources: &[Source],
    options: &Options,
    target: &mut Target,
    w: &mut Writer,
) -> Result<(u64, u64), Error> {
    let mut results = results.into_iter();
    let (mut docs, mut bytes) = (0, 0);
    for file in files {
        let lines = match &file.lines {
            Ok(r) => &chunk.lines[r.clone()],
            Err(reason) => {
                reject_whole(w, &file.label, reason)?;
                continue;
            }
        };
        let part = results.by_ref().take(lines.len());
        let write_file = |out: &mut dyn Write, w: &mut Writer, passthrough| {
            let (_, n) = write_lines(w, part, &chunk.buf, lines, out, passthrough)?;
            if let Some((line, e)) = &file.error {
                reject_read_error(w, &file.label, *line, e)?;
            }
            Ok::<u64, IoError>(n)
        };
        bytes += match target {
            Target::Dir(dir) => {
                let source = &sources[file.source];
                let dest = output_path(dir, source, options.compress).expect("a file");
                let c = match (options.compress, source) {
                    (Some(c), _) => c,
                    (None, Source::File { path, .. }) => Compression::from_path(path),
                    (None, Source::Stdin { .. }) => unreachable!("a file"),
                };
                let werr = |e| IoError::Write {
                    path: dest.clone(),
                    error: e,
                };
                let mut enc = c.writer(create_output(&dest, None)?).map_err(werr)?;
                let n = write_file(&mut enc, w, false).map_err(|e| match e {
                    IoError::Stream(e) => werr(e),
                    e => e,
                })?;
                enc.finish().and_then(AtomicFile::commit).map_err(werr)?;
                n
            }
            Target::Stream(s) => match options.compress.unwrap_or_default() {
                Compression::None => write_file(&mut **s, w, true)?,
                c => {
                    let mut enc = c.writer(&mut **s).map_err(IoError::Stream)?;
                    let n = write_file(&mut enc, w, true)?;
                    enc.finish().map_err(IoError::Stream)?;
                    n
                }
            },
        };
        docs += lines.len() as u64;
    }
    Ok((docs, bytes))
}

/// Rejects a whole input that is not a plain file or is UTF-16 (JSONL must be UTF-8); `Ok(true)`
/// when it was rejected.
fn reject_whole(w: &mut Writer, label: &str, reason: &str) -> Result<bool, Error> {
    let reject = Reject {
        file: label.to_string(),
        line: None,
        reason: reason.to_string(),
        original: None,
    };
    w.reject(&reject, 0)?;
    Ok(true)
}

/// Opens a JSONL file for reading, or says why the whole file is rejected (not a plain file,
/// unreadable, UTF-16).
fn open_jsonl(path: &Path) -> Result<Box<dyn BufRead + Send>, String> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err("not a regular file".into());
    }
    let mut reader = std::fs::File::open(path)
        .and_then(|f| Compression::from_path(path).reader(f))
        .map_err(|e| format!("cannot read: {e}"))?;
    if reader.fill_buf().is_ok_and(utf16_bom) {
        return Err("UTF-16 text: JSONL input must be UTF-8".into());
    }
    Ok(reader)
}

#[allow(clippy::too_many_arguments)]
fn run_jsonl_file(
    cleaner: &Cleaner,
    index: usize,
    path: &Path,
    from: Option<(u64, u64)>,
    options: &Options,
    pool: &rayon::ThreadPool,
    target: &mut Target,
    w: &mut Writer,
    sources: &[Source],
) -> Result<(), Error> {
    let source = &sources[index];
    let label = source.label();
    let mut reader = match open_jsonl(path) {
        Ok(r) => r,
        Err(reason) => {
            reject_whole(w, &label, &reason)?;
            return Ok(());
        }
    };
    let input_c = Compression::from_path(path);
    let (skip, out_len) = from.unwrap_or((0, 0));
    skip_lines(&mut *reader, skip, &label)?;
    match target {
        Target::Dir(dir) => {
            let dest = output_path(dir, source, options.compress).expect("a file");
            let c = options.compress.unwrap_or(input_c);
            // Checkpointed after every chunk; a compressed output is cut between members.
            let pos = w.checkpoint.is_some().then_some(StreamPos {
                source: index,
                first: skip as usize + 1,
                out_len,
            });
            run_jsonl_to_file(cleaner, &label, reader, &dest, c, options, pool, w, pos)
        }
        Target::Stream(s) => {
            run_jsonl_to_stream(cleaner, &label, reader, &mut **s, options, pool, w)
        }
    }
}

fn run_stdin(
    cleaner: &Cleaner,
    format: Format,
    options: &Options,
    pool: &rayon::ThreadPool,
    target: &mut Target,
    w: &mut Writer,
) -> Result<(), Error> {
    let stdin_err = |e| IoError::Read {
        path: PathBuf::from("stdin"),
        error: e,
    };
    let mut raw = std::io::BufReader::with_capacity(256 * 1024, std::io::stdin());
    let c = Compression::from_magic(raw.fill_buf().map_err(stdin_err)?);
    let mut reader = c.reader(raw).map_err(stdin_err)?;
    match format {
        Format::Jsonl => {
            if reader.fill_buf().is_ok_and(utf16_bom) {
                reject_whole(w, "stdin", "UTF-16 text: JSONL input must be UTF-8")?;
                return Ok(());
            }
            skip_lines(&mut *reader, 0, "stdin")?;
            match target {
                Target::Stream(s) => {
                    run_jsonl_to_stream(cleaner, "stdin", reader, &mut **s, options, pool, w)
                }
                Target::Dir(dir) => {
                    let c = options.compress.unwrap_or(c);
                    let dest = dir.join(format!("stdin.jsonl{}", c.ext()));
                    run_jsonl_to_file(cleaner, "stdin", reader, &dest, c, options, pool, w, None)
                }
            }
        }
        Format::Txt => {
            let mut bytes = Vec::new();
            reader.read_to_end(&mut bytes).map_err(stdin_err)?;
            let result = match clean_text(cleaner, &bytes, "stdin", "stdin") {
                Ok((cleaned, changes, stats)) => DocResult::Written {
                    out: cleaned.text.into_bytes(),
                    changes,
                    stats: Some(stats),
                    id: None,
                },
                Err(reject) => DocResult::Rejected {
                    reject,
                    bytes_in: bytes.len() as u64,
                },
            };
            match target {
                Target::Stream(s) => {
                    w.write(result, Some(&mut **s), Some(&bytes), None)?;
                }
                Target::Dir(dir) => {
                    let dest = dir.join("stdin.txt");
                    if let DocResult::Written { out, .. } = &result {
                        write_atomic(&dest, out).map_err(|e| IoError::Write {
                            path: dest.clone(),
                            error: e,
                        })?;
                    }
                    w.write(result, None, None, None)?;
                }
            }
            w.advance(1, bytes.len() as u64);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The output check keeps hashes of paths, not paths: with a hash under which every path
    /// collides it still tells apart different outputs and catches the same output twice, also
    /// among paths that share a hash, and a report file's name.
    #[test]
    fn the_output_check_holds_when_every_hash_collides() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("out");
        let file = |rel: &str| Source::File {
            path: t.path().join("in").join(rel),
            rel: PathBuf::from(rel),
            format: Format::from_path(Path::new(rel)),
        };
        let same = |_: &Path| 7u64;
        let fine = [
            file("a.txt"),
            file("b.txt"),
            file("c/a.txt"),
            file("d.jsonl"),
        ];
        check_outputs_hashed(&dir, &fine, None, same).unwrap();
        check_outputs(&dir, &fine, None).unwrap();
        for (sources, first, second) in [
            // The first source's output again.
            (
                vec![file("a.jsonl"), file("b.txt"), file("a.jsonl.gz")],
                "a.jsonl",
                "a.jsonl.gz",
            ),
            // An output that took another path's hash, twice.
            (
                vec![file("a.txt"), file("b.jsonl"), file("b.jsonl.zst")],
                "b.jsonl",
                "b.jsonl.zst",
            ),
        ] {
            for hashed in [true, false] {
                // Plain JSONL outputs: "a.jsonl" and "a.jsonl.gz" both write "a.jsonl".
                let plain = Some(Compression::None);
                let err = if hashed {
                    check_outputs_hashed(&dir, &sources, plain, same)
                } else {
                    check_outputs(&dir, &sources, plain)
                };
                let Err(IoError::Collision {
                    first: f,
                    second: s,
                    ..
                }) = err
                else {
                    panic!("no collision found: {err:?}");
                };
                assert!(f.ends_with(first) && s.ends_with(second), "{f:?} {s:?}");
            }
        }
        let err = check_outputs_hashed(&dir, &[file("a.txt"), file("changes.jsonl")], None, same);
        assert!(
            matches!(&err, Err(IoError::Collision { first, .. }) if first == Path::new("the run's changes.jsonl")),
            "{err:?}"
        );
    }

    #[test]
    fn vectored_writes_survive_short_writes_and_interruptions() {
        /// Takes at most 7 bytes of at most two pieces a call, and is interrupted every third.
        struct Stingy(Vec<u8>, usize);
        impl Write for Stingy {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.write_vectored(&[std::io::IoSlice::new(buf)])
            }
            fn write_vectored(&mut self, bufs: &[std::io::IoSlice<'_>]) -> std::io::Result<usize> {
                self.1 += 1;
                if self.1 % 3 == 0 {
                    return Err(std::io::ErrorKind::Interrupted.into());
                }
                let mut n = 0;
                for b in bufs.iter().take(2) {
                    let k = b.len().min(7 - n);
                    self.0.extend_from_slice(&b[..k]);
                    n += k;
                    if n == 7 {
                        break;
                    }
                }
                Ok(n)
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let bufs: Vec<Vec<u8>> = (0..3000)
            .map(|i| format!("doc {i}: {}\n", "x".repeat(i % 23)).into_bytes())
            .chain([Vec::new(), b"end".to_vec()])
            .collect();
        let mut w = Stingy(Vec::new(), 0);
        write_all_vectored(&mut w, &bufs).unwrap();
        assert_eq!(w.0, bufs.concat());
    }

    #[test]
    fn map_in_parts_keeps_the_order_on_any_thread_count() {
        let items: Vec<usize> = (0..3000).collect();
        let want: Vec<usize> = items.iter().map(|x| x * 3 + 1).collect();
        for threads in [0, 1, 2, 3, 7, 64] {
            assert_eq!(
                super::map_in_parts(&items, threads, |x| x * 3 + 1),
                want,
                "{threads} threads"
            );
        }
        assert!(super::map_in_parts(&[] as &[usize], 4, |x| *x).is_empty());
    }

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    /// (file name, line numbers) of each file in a batch; `None` for a rejected file.
    fn shape(b: &JsonlBatch) -> Vec<(String, Option<Vec<usize>>)> {
        b.files
            .iter()
            .enumerate()
            .map(|(f, file)| {
                let name = Path::new(&file.label).file_name().unwrap();
                let lines = file.lines.as_ref().ok().map(|r| {
                    r.clone()
                        .map(|k| {
                            assert_eq!(b.at[k].0, f);
                            b.at[k].1
                        })
                        .collect()
                });
                (name.to_string_lossy().into_owned(), lines)
            })
            .collect()
    }

    #[test]
    fn the_written_summary_is_what_serde_json_writes() {
        let cleaner = Cleaner::new(crate::Config::default()).unwrap();
        let mut texts = crate::rules::testing::fixture_texts();
        texts.push(String::new());
        texts.push("Plain clean text.".to_string());
        let mut checked = 0;
        for t in &texts {
            let mut c = cleaner.clean(t);
            let want = serde_json::value::to_raw_value(&summary(&c)).unwrap();
            assert_eq!(summary_raw(&c), want.get().as_bytes());
            // Values that need escapes, and numbers of every shape.
            c.metadata
                .insert("q\"uote\\".into(), "line\nbreak \u{1} é".into());
            c.profile.lang_confidence = 1.0 / 3.0;
            c.profile.artifact_score = 1e-7 + checked as f64 * 123.456;
            let want = serde_json::value::to_raw_value(&summary(&c)).unwrap();
            assert_eq!(summary_raw(&c), want.get().as_bytes());
            checked += 1;
        }
        assert!(checked > 20);
    }

    #[test]
    fn small_jsonl_files_share_a_batch_within_its_bounds() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        std::fs::write(d.join("a.jsonl"), "{\"text\":\"a1\"}\n{\"text\":\"a2\"}\n").unwrap();
        std::fs::write(
            d.join("b.jsonl.gz"),
            gz(b"{\"text\":\"b1\"}\n\n{\"text\":\"b3\"}"),
        )
        .unwrap();
        std::fs::write(d.join("c.jsonl"), b"\xFF\xFE{\x00}\x00").unwrap();
        std::fs::write(d.join("d.jsonl"), "\u{FEFF}{\"text\":\"d1\"}\n").unwrap();
        std::fs::write(d.join("e.txt"), "text\n").unwrap();
        std::fs::write(d.join("f.jsonl"), "{\"text\":\"f1\"}\n").unwrap();
        let sources = discover(&[d.to_path_buf()], None, &[]).unwrap();
        let some = |v: &[usize]| Some(v.to_vec());
        // Everything up to the text file; the UTF-16 file is rejected whole; a BOM is dropped.
        let b = read_jsonl_batch(&sources, 0, &Options::default());
        assert_eq!(
            shape(&b),
            vec![
                ("a.jsonl".into(), some(&[1, 2])),
                ("b.jsonl.gz".into(), some(&[1, 2, 3])),
                ("c.jsonl".into(), None),
                ("d.jsonl".into(), some(&[1])),
            ]
        );
        let (s, e) = b.chunk.lines[5];
        assert_eq!(&b.chunk.buf[s..e], b"{\"text\":\"d1\"}");
        assert!(b.files[2].lines.as_ref().unwrap_err().contains("UTF-16"));
        // Four lines at most: b does not fit after a, and starts the next batch.
        let o = Options {
            chunk_docs: 4,
            ..Options::default()
        };
        let b = read_jsonl_batch(&sources, 0, &o);
        assert_eq!(shape(&b), vec![("a.jsonl".into(), some(&[1, 2]))]);
        assert_eq!(b.chunk.lines.len(), 2);
        assert_eq!(b.chunk.buf.len(), 28, "b was read and given back");
        let b = read_jsonl_batch(&sources, 1, &o);
        assert_eq!(shape(&b)[0], ("b.jsonl.gz".into(), some(&[1, 2, 3])));
        // A file as big as a chunk is streamed (no batch), whether its size says so or not.
        let o = Options {
            chunk_bytes: 20,
            ..Options::default()
        };
        assert!(read_jsonl_batch(&sources, 0, &o).files.is_empty());
        assert!(read_jsonl_batch(&sources, 1, &o).files.is_empty());
        // Not a JSONL file: no batch.
        assert!(read_jsonl_batch(&sources, 4, &Options::default())
            .files
            .is_empty());
        assert_eq!(shape(&read_jsonl_batch(&sources, 5, &o)).len(), 1);
    }

    /// A writer that records what it is given and on which thread, and fails once it holds more
    /// than `room` bytes.
    struct Recorder {
        bytes: Vec<u8>,
        room: usize,
        threads: HashSet<String>,
    }

    impl Recorder {
        fn new(room: usize) -> Recorder {
            Recorder {
                bytes: Vec::new(),
                room,
                threads: HashSet::new(),
            }
        }
    }

    impl Write for Recorder {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let name = std::thread::current().name().unwrap_or("").to_string();
            self.threads.insert(name);
            if self.bytes.len() + buf.len() > self.room {
                return Err(std::io::Error::other(format!("full at {}", self.room)));
            }
            self.bytes.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn writer_with_log<'w, 'a>(log: &'w mut (dyn Write + Send + 'a)) -> Writer<'w, 'a> {
        Writer {
            changes: Some(log),
            rejects: None,
            report: Report::new(),
            progress: None,
            changes_len: 0,
            rejects_len: 0,
            seen: HashSet::new(),
            id_cap: MAX_TRACKED_IDS,
            ids: None,
            ids_len: 0,
            checkpoint: None,
            stop: None,
        }
    }

    fn pieces(tag: &str, n: usize) -> Vec<Vec<u8>> {
        (0..n)
            .map(|i| format!("{tag} {i}: {}\n", "y".repeat(180 + i % 61)).into_bytes())
            .collect()
    }

    #[test]
    fn a_large_part_writes_its_change_log_on_a_thread_beside_its_outputs() {
        // 6,000 pieces of about 220 bytes: over Pending::SPLIT_BYTES on each side.
        let (outs, logs) = (pieces("out", 6000), pieces("log", 6000));
        assert!(outs.concat().len() > Pending::SPLIT_BYTES);
        for (n, on_own_thread) in [(6000, true), (100, false)] {
            let (mut out, mut log) = (Recorder::new(usize::MAX), Recorder::new(usize::MAX));
            let mut w = writer_with_log(&mut log);
            let mut p = Pending {
                out: outs[..n].to_vec(),
                changes: logs[..n].to_vec(),
            };
            p.flush(&mut out, &mut w).unwrap();
            assert!(p.out.is_empty() && p.changes.is_empty());
            assert!(out.bytes == outs[..n].concat(), "{n} outputs, in order");
            assert!(
                log.bytes == logs[..n].concat(),
                "{n} change-log lines, in order"
            );
            assert!(!out.threads.contains("textmend-changes"));
            assert_eq!(
                log.threads.contains("textmend-changes"),
                on_own_thread,
                "{n}"
            );
        }
    }

    #[test]
    fn a_failed_write_of_a_large_part_is_an_error_of_the_file_that_failed() {
        let (outs, logs) = (pieces("out", 6000), pieces("log", 6000));
        for (out_room, log_room) in [(500_000, usize::MAX), (usize::MAX, 700_000)] {
            let (mut out, mut log) = (Recorder::new(out_room), Recorder::new(log_room));
            let mut w = writer_with_log(&mut log);
            let mut p = Pending {
                out: outs.clone(),
                changes: logs.clone(),
            };
            let err = p.flush(&mut out, &mut w).unwrap_err();
            let IoError::Stream(e) = err else {
                panic!("a stream error");
            };
            assert_eq!(e.to_string(), format!("full at {}", out_room.min(log_room)));
        }
    }

    /// Reads `data`, then fails: with an error, or by panicking.
    struct Breaking {
        data: std::io::Cursor<Vec<u8>>,
        panic: bool,
    }

    impl Read for Breaking {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.data.read(buf)?;
            match n {
                0 if self.panic => panic!("a reader that breaks"),
                0 => Err(std::io::Error::other("the disk went away")),
                n => Ok(n),
            }
        }
    }

    fn lines_of(n: usize) -> Vec<u8> {
        (1..=n)
            .flat_map(|i| format!("{{\"text\":\"line {i}\"}}\n").into_bytes())
            .collect()
    }

    type Seen = (Vec<(Vec<u8>, usize)>, Option<String>);

    /// The chunks `c` hands over until the input ends or fails: each chunk's bytes and first
    /// line, and the error.
    fn drain(mut c: Chunks, first: (Chunk, Option<std::io::Error>), o: &Options) -> Seen {
        let mut seen = Vec::new();
        let mut next = first;
        loop {
            let (chunk, err) = next;
            if let Some(e) = err {
                seen.push((chunk.buf.clone(), chunk.first));
                return (seen, Some(e.to_string()));
            }
            if chunk.lines.is_empty() {
                return (seen, None);
            }
            seen.push((chunk.buf.clone(), chunk.first));
            next = c.next(Some(chunk), o);
        }
    }

    /// Chunks of three lines (the test lines are shorter than 100 bytes together).
    fn three_lines() -> Options {
        Options {
            chunk_bytes: 100,
            chunk_docs: 3,
            ..Options::default()
        }
    }

    fn breaking(data: Vec<u8>, panic: bool) -> Box<dyn BufRead + Send> {
        Box::new(std::io::BufReader::new(Breaking {
            data: std::io::Cursor::new(data),
            panic,
        }))
    }

    #[test]
    fn chunks_read_on_a_thread_are_the_chunks_read_inline() {
        let o = three_lines();
        let plain = |data: Vec<u8>| -> Box<dyn BufRead + Send> {
            Box::new(std::io::BufReader::new(std::io::Cursor::new(data)))
        };
        let failing = |data: Vec<u8>| breaking(data, false);
        for make in [plain, failing] {
            for n in [0, 2, 3, 4, 40] {
                let (inline, first) = Chunks::start(make(lines_of(n)), 7, &Options::default());
                assert!(matches!(inline, Chunks::Inline { .. }));
                let mut reader = make(lines_of(n));
                let mut line = 7;
                let first_small = read_chunk(&mut *reader, &mut line, &o, None);
                let want = drain(
                    Chunks::Inline {
                        reader,
                        next_line: line,
                    },
                    first_small,
                    &o,
                );
                let (threaded, first) = {
                    drop((inline, first));
                    Chunks::start(make(lines_of(n)), 7, &o)
                };
                assert_eq!(
                    matches!(threaded, Chunks::Thread { .. }),
                    n >= 3,
                    "{n} lines"
                );
                assert_eq!(drain(threaded, first, &o), want, "{n} lines");
            }
        }
    }

    #[test]
    fn a_reading_thread_that_panics_is_a_read_error() {
        let o = three_lines();
        let (c, first) = Chunks::start(breaking(lines_of(10), true), 1, &o);
        let (chunks, err) = drain(c, first, &o);
        let firsts: Vec<usize> = chunks.iter().map(|c| c.1).collect();
        // Lines 1 to 9 in chunks of three, line 10 read but cut by the panic, then the error
        // at the line after the last whole chunk.
        assert_eq!(firsts, [1, 4, 7, 10]);
        let bytes: Vec<u8> = chunks.iter().flat_map(|c| c.0.clone()).collect();
        assert_eq!(bytes, lines_of(9));
        assert_eq!(err.as_deref(), Some("the reading thread stopped"));
    }

    #[test]
    fn ids_past_the_cap_are_counted_as_not_tracked_and_repeats_of_remembered_ones_still_count() {
        let mut log = Vec::new();
        let mut w = writer_with_log(&mut log);
        w.id_cap = 3;
        for id in ["a", "b", "c", "d", "a", "d", "e", "b"] {
            w.note_id(id).unwrap();
        }
        // a, b and c are remembered; d and e are not (d's repeat goes unseen).
        assert_eq!(w.seen.len(), 3);
        assert_eq!(w.report.duplicate_ids, 2);
        assert_eq!(w.report.duplicate_id_examples, ["a", "b"]);
        assert_eq!(w.report.ids_not_tracked, 3);
    }

    #[test]
    fn the_id_cap_fills_a_table_of_a_power_of_two_slots() {
        // The set never grows past the table that holds exactly the cap (2^22 slots).
        let set: HashSet<u64> = HashSet::with_capacity(MAX_TRACKED_IDS);
        assert_eq!(set.capacity(), MAX_TRACKED_IDS);
        let bigger: HashSet<u64> = HashSet::with_capacity(MAX_TRACKED_IDS + 1);
        assert!(bigger.capacity() >= 2 * MAX_TRACKED_IDS);
    }
}
