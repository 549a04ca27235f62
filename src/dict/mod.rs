//! Dictionaries: data files under `dictionaries/`, embedded at compile time, extended by the user.
//!
//! A dictionary is a TSV table named by its path without extension (`zh_en/names`). Lines starting
//! with `#` are comments (each file opens with a header saying what a row means); blank lines are
//! skipped; fields are separated by tabs. Rules read the tables they need when a
//! [`crate::Cleaner`] is built and compile them into maps or automata once.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};

include!(concat!(env!("OUT_DIR"), "/embedded_dicts.rs"));

/// Largest user dictionary accepted, in bytes (a hostile file cannot blow up matching).
pub const MAX_USER_DICT_BYTES: u64 = 16 * 1024 * 1024;

/// A user dictionary's field may be at most this long (a phrase, a name: never a paragraph).
pub const MAX_FIELD_BYTES: usize = 1000;

/// One row of a table, with where it came from (for error messages). An embedded row borrows its
/// line from the binary: parsing the embedded tables allocates nothing per row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The line as written (fields separated by tabs, each trimmed when read).
    text: Cow<'static, str>,
    source: Arc<str>,
    pub line: usize,
}

impl Row {
    /// Field `i`, trimmed of surrounding spaces ("" past the last field).
    pub fn get(&self, i: usize) -> &str {
        field(&self.text, i)
    }

    /// Field `i` of an embedded row, borrowed for the life of the program (`None` for a user's
    /// row), so a set built from embedded words need not copy them.
    pub fn get_static(&self, i: usize) -> Option<&'static str> {
        match &self.text {
            Cow::Borrowed(t) => Some(field(t, i)),
            Cow::Owned(_) => None,
        }
    }

    /// The fields, trimmed.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.text.split('\t').map(str::trim)
    }

    /// How many fields the row has.
    pub fn width(&self) -> usize {
        self.text.split('\t').count()
    }

    /// The file (or embedded table) the row comes from.
    pub fn source(&self) -> &str {
        &self.source
    }
}

/// Field `i` of a tab-separated line, trimmed.
fn field(line: &str, i: usize) -> &str {
    let b = line.as_bytes();
    let tab = |from: usize| b[from..].iter().position(|&c| c == b'\t').map(|k| from + k);
    let mut start = 0;
    for _ in 0..i {
        match tab(start) {
            Some(k) => start = k + 1,
            None => return "",
        }
    }
    line[start..tab(start).unwrap_or(b.len())].trim()
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
            .insert((*name).to_string(), Arc::new(parse_tsv_static(text, name)));
    }
    d
});

/// The last value built from some tables, kept with the tables it was built from, so that every
/// rule (and every cleaner) built from the same tables shares one value instead of building its
/// own. Tables are compared by identity (`Arc::ptr_eq`): the embedded tables are one allocation
/// per process until a user adds rows to them. The tables are held, so their addresses cannot
/// be reused by other tables while they key the memo.
///
/// ```
/// use std::sync::Arc;
/// use textmend::dict::{Dictionaries, Memo};
///
/// static MONTHS: Memo<usize> = Memo::new();
/// let count = |d: &Dictionaries| MONTHS.get(d, ["zh_en/months"], || d.rows("zh_en/months").len());
/// let (a, b) = (count(&Dictionaries::embedded()), count(&Dictionaries::embedded()));
/// assert_eq!(*a, 12);
/// assert!(Arc::ptr_eq(&a, &b), "built once for the same tables");
/// ```
pub struct Memo<T> {
    #[allow(clippy::type_complexity)]
    last: Mutex<Option<(Vec<Option<Arc<Vec<Row>>>>, Arc<T>)>>,
}

impl<T> Memo<T> {
    pub const fn new() -> Self {
        Memo {
            last: Mutex::new(None),
        }
    }

    /// The value built from `tables` of `dicts`: the kept one when the tables are the same as
    /// last time, else `build()`'s (then kept in its place).
    pub fn get<'a>(
        &self,
        dicts: &Dictionaries,
        tables: impl IntoIterator<Item = &'a str>,
        build: impl FnOnce() -> T,
    ) -> Arc<T> {
        let key: Vec<Option<Arc<Vec<Row>>>> = tables
            .into_iter()
            .map(|t| dicts.table(t).cloned())
            .collect();
        let same = |kept: &[Option<Arc<Vec<Row>>>]| {
            kept.len() == key.len()
                && kept.iter().zip(&key).all(|(a, b)| match (a, b) {
                    (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                    (None, None) => true,
                    _ => false,
                })
        };
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((tables, value)) = last.as_ref() {
            if same(tables) {
                return Arc::clone(value);
            }
        }
        let value = Arc::new(build());
        *last = Some((key, Arc::clone(&value)));
        value
    }
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Self::new()
    }
}

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
        let width = self.tables[table].iter().map(Row::width).min();
        let rows = parse_tsv(&text, &path.display().to_string());
        for r in &rows {
            if let Some(w) = width {
                if r.width() < w {
                    return Err(DictError::Bad {
                        path: path.into(),
                        line: r.line,
                        message: format!(
                            "row has {} tab-separated fields, table {table} needs at least {w}",
                            r.width()
                        ),
                    });
                }
            }
            if let Some((i, f)) = r
                .fields()
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
            if r.fields().any(str::is_empty) && r.width() <= 1 {
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
    rows_of(text, source, |l| Cow::Owned(l.to_string()))
}

/// [`parse_tsv`] for text that lives as long as the program (the embedded tables): the rows
/// borrow their lines.
fn parse_tsv_static(text: &'static str, source: &str) -> Vec<Row> {
    rows_of(text, source, Cow::Borrowed)
}

/// The rows of `text`, each line kept as `keep` makes it.
fn rows_of<'t>(
    text: &'t str,
    source: &str,
    keep: impl Fn(&'t str) -> Cow<'static, str>,
) -> Vec<Row> {
    let source: Arc<str> = source.into();
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim_start();
            !t.is_empty() && !t.starts_with('#')
        })
        .map(|(i, l)| Row {
            text: keep(l),
            source: Arc::clone(&source),
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
        assert_eq!(rows[1].fields().collect::<Vec<_>>(), vec!["c", "d", "e"]);
        assert_eq!(rows[1].width(), 3);
        assert_eq!(rows[1].get(1), "d");
        assert_eq!(rows[1].get(3), "", "past the last field");
        let spaced = parse_tsv(" a \t\t c\t", "t");
        assert_eq!(
            spaced[0].fields().collect::<Vec<_>>(),
            vec!["a", "", "c", ""]
        );
        assert_eq!(
            (spaced[0].get(0), spaced[0].get(1), spaced[0].get(2)),
            ("a", "", "c")
        );
        assert_eq!((spaced[0].get(3), spaced[0].get(4)), ("", ""));
        assert_eq!(rows[1].source(), "t");
        assert_eq!(
            rows[1].get_static(0),
            None,
            "parsed text is not the program's"
        );
        assert_eq!(rows[1].line, 6 - 1);
    }

    #[test]
    fn embedded_rows_borrow_their_lines() {
        let d = Dictionaries::embedded();
        let row = &d.rows("en/common_words")[0];
        assert_eq!(row.get_static(0), Some(row.get(0)));
        assert!(!row.get(0).is_empty());
        assert_eq!(row.source(), "en/common_words");
    }

    #[test]
    fn a_memo_builds_once_per_set_of_tables() {
        static MEMO: Memo<usize> = Memo::new();
        let builds = std::cell::Cell::new(0);
        let count = |d: &Dictionaries| {
            MEMO.get(d, ["zh_en/months", "no/such-table"], || {
                builds.set(builds.get() + 1);
                d.rows("zh_en/months").len()
            })
        };
        let a = count(&Dictionaries::embedded());
        let b = count(&Dictionaries::embedded());
        assert!(Arc::ptr_eq(&a, &b), "the same tables share one value");
        assert_eq!(builds.get(), 1);
        let dir = tempfile::tempdir().unwrap();
        let extra = dir.path().join("months.tsv");
        let width = Dictionaries::embedded().rows("zh_en/months")[0].width();
        std::fs::write(&extra, vec!["x"; width].join("\t") + "\n").unwrap();
        let mut user = Dictionaries::embedded();
        user.add_file("zh_en/months", &extra).unwrap();
        let c = count(&user);
        assert_eq!(
            builds.get(),
            2,
            "a table with the user's rows is another table"
        );
        assert_eq!(*c, *a + 1);
        let d = count(&Dictionaries::embedded());
        assert_eq!(builds.get(), 3, "only the last build is kept");
        assert_eq!(*d, *a);
    }

    #[test]
    fn unknown_table_is_an_error() {
        let mut d = Dictionaries::embedded();
        let err = d.add_spec("no/such=whatever.tsv").unwrap_err();
        assert!(err.to_string().contains("TABLE=PATH"));
        assert!(d.add_spec("nonsense").is_err());
    }
}
