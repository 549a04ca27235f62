//! Dictionaries: data files under `dictionaries/`, embedded at compile time, extended by the user.
//!
//! A dictionary is a TSV table named by its path without extension (`zh_en/names`). Lines starting
//! with `#` are comments (each file opens with a header saying what a row means); blank lines are
//! skipped; fields are separated by tabs. Rules read the tables they need when a
//! [`crate::Cleaner`] is built and compile them into maps or automata once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

include!(concat!(env!("OUT_DIR"), "/embedded_dicts.rs"));

/// Largest user dictionary accepted, in bytes (a hostile file cannot blow up matching).
pub const MAX_USER_DICT_BYTES: u64 = 16 * 1024 * 1024;

/// A user dictionary's field may be at most this long (a phrase, a name: never a paragraph).
pub const MAX_FIELD_BYTES: usize = 1000;

/// One row of a table, with where it came from (for error messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub fields: Vec<String>,
    pub source: String,
    pub line: usize,
}

impl Row {
    pub fn get(&self, i: usize) -> &str {
        self.fields.get(i).map(String::as_str).unwrap_or("")
    }
}

/// All tables, embedded ones first, then the user's rows appended in the order given.
#[derive(Debug, Clone, Default)]
pub struct Dictionaries {
    tables: BTreeMap<String, Arc<Vec<Row>>>,
}

/// The embedded tables, parsed once per process.
static EMBEDDED_PARSED: LazyLock<Dictionaries> = LazyLock::new(|| {
    let mut d = Dictionaries::default();
    for (name, text) in EMBEDDED {
        d.tables
            .insert((*name).to_string(), Arc::new(parse_tsv(text, name)));
    }
    d
});

/// A problem with a user-supplied dictionary.
#[derive(Debug, thiserror::Error)]
pub enum DictError {
    #[error("{path}: cannot read dictionary: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: dictionary is larger than {max} bytes")]
    TooLarge { path: PathBuf, max: u64 },
    #[error("{path}:{line}: {message}")]
    Bad {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("--dict {spec:?}: expected TABLE=PATH with TABLE one of: {known}")]
    Spec { spec: String, known: String },
}

impl Dictionaries {
    /// The embedded tables only.
    pub fn embedded() -> Self {
        EMBEDDED_PARSED.clone()
    }

    /// Names of all known tables.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.tables.keys().map(String::as_str)
    }

    /// Rows of `table` (empty when unknown).
    /// The shared rows of `table` (embedded tables are one allocation per process until a user
    /// adds rows to them), for caches keyed by identity (`Arc::ptr_eq`).
    pub fn table(&self, table: &str) -> Option<&Arc<Vec<Row>>> {
        self.tables.get(table)
    }

    pub fn rows(&self, table: &str) -> &[Row] {
        self.tables.get(table).map(|v| v.as_slice()).unwrap_or(&[])
    }

    /// Adds a user file to `table`. The table must exist (so a typo is an error, not a silent
    /// no-op), and rows must have as many fields as the table's embedded rows.
    pub fn add_file(&mut self, table: &str, path: &Path) -> Result<(), DictError> {
        if !self.tables.contains_key(table) {
            return Err(DictError::Spec {
                spec: format!("{table}={}", path.display()),
                known: self.names().collect::<Vec<_>>().join(", "),
            });
        }
        let meta = std::fs::metadata(path).map_err(|e| DictError::Io {
            path: path.into(),
            source: e,
        })?;
        if meta.len() > MAX_USER_DICT_BYTES {
            return Err(DictError::TooLarge {
                path: path.into(),
                max: MAX_USER_DICT_BYTES,
            });
        }
        let text = std::fs::read_to_string(path).map_err(|e| DictError::Io {
            path: path.into(),
            source: e,
        })?;
        let width = self.tables[table].iter().map(|r| r.fields.len()).min();
        let rows = parse_tsv(&text, &path.display().to_string());
        for r in &rows {
            if let Some(w) = width {
                if r.fields.len() < w {
                    return Err(DictError::Bad {
                        path: path.into(),
                        line: r.line,
                        message: format!(
                            "row has {} tab-separated fields, table {table} needs at least {w}",
                            r.fields.len()
                        ),
                    });
                }
            }
            if let Some((i, f)) = r
                .fields
                .iter()
                .enumerate()
                .find(|(_, f)| f.len() > MAX_FIELD_BYTES)
            {
                return Err(DictError::Bad {
                    path: path.into(),
                    line: r.line,
                    message: format!(
                        "field {} is {} bytes long; the limit is {MAX_FIELD_BYTES}",
                        i + 1,
                        f.len()
                    ),
                });
            }
            if r.fields.iter().any(|f| f.is_empty()) && r.fields.len() <= 1 {
                return Err(DictError::Bad {
                    path: path.into(),
                    line: r.line,
                    message: "empty row".into(),
                });
            }
        }
        Arc::make_mut(self.tables.get_mut(table).unwrap()).extend(rows);
        Ok(())
    }

    /// Parses a `--dict` argument: `TABLE=PATH`.
    pub fn add_spec(&mut self, spec: &str) -> Result<(), DictError> {
        match spec.split_once('=') {
            Some((t, p)) if !t.is_empty() && !p.is_empty() => self.add_file(t, Path::new(p)),
            _ => Err(DictError::Spec {
                spec: spec.to_string(),
                known: self.names().collect::<Vec<_>>().join(", "),
            }),
        }
    }
}

/// Parses TSV text: `#` comments and blank lines skipped, fields trimmed of surrounding spaces.
pub fn parse_tsv(text: &str, source: &str) -> Vec<Row> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|(i, l)| Row {
            fields: l.split('\t').map(|f| f.trim().to_string()).collect(),
            source: source.to_string(),
            line: i + 1,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_parsing_skips_comments_and_blanks() {
        let rows = parse_tsv("# header\n\na\tb\n  # note\nc\td\te\n", "t");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].fields, vec!["c", "d", "e"]);
        assert_eq!(rows[1].line, 6 - 1);
    }

    #[test]
    fn unknown_table_is_an_error() {
        let mut d = Dictionaries::embedded();
        let err = d.add_spec("no/such=whatever.tsv").unwrap_err();
        assert!(err.to_string().contains("TABLE=PATH"));
        assert!(d.add_spec("nonsense").is_err());
    }
}
