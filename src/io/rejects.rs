//! Rejected documents: what was refused, where, and why.
//!
//! The rejects file holds one JSON line per reject: `{"file","line","reason","original"}`, where
//! `line` is the 1-based line number (for JSONL, or of the first invalid byte of a text file;
//! `null` for a file that could not be read at all) and `original` the rejected line as read
//! (lossily decoded if it was not UTF-8; absent for whole files, whose path is `file`).

use serde::{Deserialize, Serialize};

/// One rejected document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reject {
    pub file: String,
    pub line: Option<usize>,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
}

impl Reject {
    /// The line for the rejects file (with its newline).
    pub fn to_line(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec(self).expect("serializable");
        v.push(b'\n');
        v
    }

    /// The entry for the report (without the original line).
    pub fn summary(&self) -> Reject {
        Reject {
            original: None,
            ..self.clone()
        }
    }
}
