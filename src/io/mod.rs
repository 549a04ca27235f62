//! Reading and writing corpora: plain-text files, JSONL (optionally gzip or zstd compressed),
//! the change log, the rejects file and the run report.
//!
//! Everything here is independent of the command line so that other front ends (the Python
//! package, other subcommands) write the same formats. [`crate::pipeline`] drives these pieces.

pub mod atomic;
pub mod changes;
pub mod compress;
pub mod json;
pub mod jsonl;
pub mod read_ahead;
pub mod rejects;
pub mod report;
pub mod sniff;

pub use atomic::AtomicFile;
pub use compress::Compression;
pub use rejects::Reject;
pub use report::{DocStats, Report};

use std::path::PathBuf;

/// What a document is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The whole file (or stdin) is one plain-text document.
    Txt,
    /// One JSON object per line.
    Jsonl,
}

impl Format {
    /// The format a file name implies: `.jsonl`, `.ndjson` (optionally `.gz`/`.zst`) are JSONL,
    /// anything else is plain text.
    pub fn from_path(path: &std::path::Path) -> Format {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let base = Compression::strip_ext(&name);
        if base.ends_with(".jsonl") || base.ends_with(".ndjson") {
            Format::Jsonl
        } else {
            Format::Txt
        }
    }
}

/// An error that stops a run (as opposed to a rejected document, which does not). The message
/// includes the I/O error's own (it is not also given as a `source`, so that a chain printed
/// with `{:#}` says it once).
#[derive(Debug, thiserror::Error)]
pub enum IoError {
    #[error("{path}: no such file or directory")]
    NotFound { path: PathBuf },
    #[error("{path}: {error}")]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("cannot write {path}: {error}")]
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("cannot create output directory {path}: {error}")]
    CreateDir {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{first} and {second} would both be written to {out}")]
    Collision {
        first: PathBuf,
        second: PathBuf,
        out: PathBuf,
    },
    #[error("writing output: {0}")]
    Stream(std::io::Error),
}

impl IoError {
    /// The underlying I/O error, if any (used to tell a closed pipe from a real failure).
    pub fn io_kind(&self) -> Option<std::io::ErrorKind> {
        match self {
            IoError::Read { error, .. }
            | IoError::Write { error, .. }
            | IoError::CreateDir { error, .. }
            | IoError::Stream(error) => Some(error.kind()),
            _ => None,
        }
    }
}
