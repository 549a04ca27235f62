//! Documents for the preview commands (`diff`, `scan`), read one at a time from the same inputs as
//! `clean`: the sources come from [`pipeline::discover`], JSONL lines are parsed by
//! [`jsonl::parse_line`] and decompressed by [`Compression`], and ids follow `clean`'s change
//! log (a text file's relative path; a record's id field, else `<file>:<line>`).
//!
//! A document that cannot be used (unreadable file, malformed line, missing text field, invalid
//! UTF-8 under `--strict`) is reported on stderr as `file:line: reason`, counted, and skipped.

use std::cell::Cell;
use std::io::{BufRead, Read};
use std::path::PathBuf;

use anyhow::Result;
use textmend::io::{jsonl, Compression, Format, Reject};
use textmend::pipeline::{self, Source};
use textmend::Config;

use super::clean::InputFormat;

/// At most this many rejects are printed one by one; the rest are only counted.
const PRINT_REJECTS: u64 = 100;

/// The inputs of the preview commands (`diff`, `scan`).
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// Files or directories (directories: every .txt, .jsonl, .jsonl.gz, .jsonl.zst under them,
    /// recursively), or - for JSONL on stdin.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// How to read named files and stdin [default: by extension; stdin: jsonl].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
}

impl InputArgs {
    /// The sources these inputs name (see [`discover`]).
    pub fn sources(&self) -> Result<Vec<Source>> {
        discover(&self.inputs, self.input_format)
    }
}

/// Expands the command line's inputs as `clean` does (no output directory to skip).
pub fn discover(inputs: &[PathBuf], format: Option<InputFormat>) -> Result<Vec<Source>> {
    if inputs.len() > 1 && inputs.iter().any(|p| p.as_os_str() == "-") {
        anyhow::bail!("- (stdin) cannot be combined with other inputs");
    }
    let format = format.map(|f| match f {
        InputFormat::Txt => Format::Txt,
        InputFormat::Jsonl => Format::Jsonl,
    });
    Ok(pipeline::discover(inputs, format, &[])?)
}

/// An open JSONL stream.
struct Lines {
    label: String,
    reader: Box<dyn BufRead + Send>,
    line: usize,
}

/// The documents of `sources` in input order, as `(id, bytes)`: a text file's bytes as read, a
/// JSONL record's decoded text field. Rejected documents are reported and counted in `rejected`.
pub struct Documents<'a> {
    sources: std::slice::Iter<'a, Source>,
    config: &'a Config,
    open: Option<Lines>,
    buf: Vec<u8>,
    rejected: &'a Cell<u64>,
    color: bool,
    silent: bool,
}

impl<'a> Documents<'a> {
    pub fn new(sources: &'a [Source], config: &'a Config, rejected: &'a Cell<u64>) -> Self {
        Documents {
            sources: sources.iter(),
            config,
            open: None,
            buf: Vec::new(),
            rejected,
            color: super::color_stderr(),
            silent: false,
        }
    }

    /// Counts rejects without printing them (for a first pass whose second pass reports them).
    pub fn quiet(mut self) -> Self {
        self.silent = true;
        self
    }

    fn reject(&self, file: &str, line: Option<usize>, reason: &str) {
        let n = self.rejected.get() + 1;
        self.rejected.set(n);
        if self.silent {
            return;
        }
        if n <= PRINT_REJECTS {
            let r = Reject {
                file: file.to_string(),
                line,
                reason: reason.to_string(),
                original: None,
            };
            let at = match r.line {
                Some(l) => format!("{}:{l}", r.file),
                None => r.file.clone(),
            };
            let prefix = if self.color {
                "\x1b[1;33mtextmend: rejected\x1b[0m"
            } else {
                "textmend: rejected"
            };
            eprintln!("{prefix} {at}: {}", r.reason.replace('\n', " "));
        } else if n == PRINT_REJECTS + 1 {
            eprintln!("textmend: more documents rejected; only counting them from here");
        }
    }

    /// The next document of the open JSONL stream; `None` at its end.
    fn next_line(&mut self) -> Option<(String, Vec<u8>)> {
        loop {
            let lines = self.open.as_mut()?;
            self.buf.clear();
            match lines.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => {
                    self.open = None;
                    return None;
                }
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let (label, line) = (lines.label.clone(), lines.line + 1);
                    self.open = None;
                    let reason = format!("read error, rest of the input skipped: {e}");
                    self.reject(&label, Some(line), &reason);
                    return None;
                }
            }
            lines.line += 1;
            let mut end = self.buf.len();
            if self.buf[end - 1] == b'\n' {
                end -= 1;
                if end > 0 && self.buf[end - 1] == b'\r' {
                    end -= 1;
                }
            }
            let line = &self.buf[..end];
            if line.iter().all(u8::is_ascii_whitespace) {
                continue; // not a document
            }
            let cfg = self.config;
            match jsonl::parse_line(line, &cfg.text_field, &cfg.id_field, cfg.strict) {
                Ok(p) => {
                    let id =
                        p.id.unwrap_or_else(|| format!("{}:{}", lines.label, lines.line));
                    return Some((id, p.text.into_bytes()));
                }
                Err(reason) => {
                    let (label, n) = (lines.label.clone(), lines.line);
                    self.reject(&label, Some(n), &reason);
                }
            }
        }
    }

    /// A whole text document, or `None` (rejected) under `--strict` with invalid UTF-8.
    fn text(&self, label: &str, id: String, bytes: Vec<u8>) -> Option<(String, Vec<u8>)> {
        if self.config.strict {
            if let Err(e) = std::str::from_utf8(&bytes) {
                let at = e.valid_up_to();
                let line = memchr::memchr_iter(b'\n', &bytes[..at]).count() + 1;
                let reason = format!("invalid UTF-8 at byte {at}");
                self.reject(label, Some(line), &reason);
                return None;
            }
        }
        Some((id, bytes))
    }
}

impl Iterator for Documents<'_> {
    type Item = Result<(String, Vec<u8>)>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.open.is_some() {
                if let Some(doc) = self.next_line() {
                    return Some(Ok(doc));
                }
                continue;
            }
            let source = self.sources.next()?;
            let label = source.label();
            match source {
                Source::File {
                    path,
                    rel,
                    format: Format::Txt,
                } => match std::fs::read(path) {
                    Ok(bytes) => {
                        let id = rel
                            .to_string_lossy()
                            .replace(std::path::MAIN_SEPARATOR, "/");
                        if let Some(doc) = self.text(&label, id, bytes) {
                            return Some(Ok(doc));
                        }
                    }
                    Err(e) => self.reject(&label, None, &format!("cannot read: {e}")),
                },
                Source::File {
                    path,
                    format: Format::Jsonl,
                    ..
                } => {
                    let c = Compression::from_path(path);
                    match std::fs::File::open(path).and_then(|f| c.reader(f)) {
                        Ok(reader) => {
                            self.open = Some(Lines {
                                label,
                                reader,
                                line: 0,
                            })
                        }
                        Err(e) => self.reject(&label, None, &format!("cannot read: {e}")),
                    }
                }
                Source::Stdin { format } => {
                    let mut raw = std::io::BufReader::with_capacity(256 * 1024, std::io::stdin());
                    let reader = raw
                        .fill_buf()
                        .map(Compression::from_magic)
                        .and_then(|c| c.reader(raw));
                    let mut reader = match reader {
                        Ok(r) => r,
                        Err(e) => return Some(Err(anyhow::anyhow!("reading stdin: {e}"))),
                    };
                    match format {
                        Format::Jsonl => {
                            self.open = Some(Lines {
                                label,
                                reader,
                                line: 0,
                            })
                        }
                        Format::Txt => {
                            let mut bytes = Vec::new();
                            if let Err(e) = reader.read_to_end(&mut bytes) {
                                return Some(Err(anyhow::anyhow!("reading stdin: {e}")));
                            }
                            if let Some(doc) = self.text(&label, label.clone(), bytes) {
                                return Some(Ok(doc));
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn txt_and_jsonl_documents_with_rejects_counted() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("d");
        std::fs::create_dir_all(sub.join("x")).unwrap();
        std::fs::write(sub.join("x/a.txt"), "Hello , world .\n").unwrap();
        std::fs::write(
            sub.join("b.jsonl"),
            "{\"id\":\"r1\",\"text\":\"One .\"}\n\n{\"text\":\"Two .\"}\r\nnot json\n{\"id\":3}\n",
        )
        .unwrap();
        let sources = discover(&[sub], None).unwrap();
        let cfg = Config::default();
        let rejected = Cell::new(0);
        let docs: Vec<(String, Vec<u8>)> = Documents::new(&sources, &cfg, &rejected)
            .collect::<Result<_>>()
            .unwrap();
        let label = sources[0].label();
        let ids: Vec<&str> = docs.iter().map(|(i, _)| i.as_str()).collect();
        assert_eq!(ids, ["r1", &format!("{label}:3"), "x/a.txt"]);
        assert_eq!(docs[0].1, b"One .");
        assert_eq!(docs[1].1, b"Two .");
        assert_eq!(docs[2].1, b"Hello , world .\n");
        assert_eq!(
            rejected.get(),
            2,
            "the non-JSON line and the record without text"
        );
    }

    #[test]
    fn strict_rejects_invalid_utf8_text() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, b"ok\nbad \xff\n").unwrap();
        let sources = discover(&[p], None).unwrap();
        let cfg = Config {
            strict: true,
            ..Config::default()
        };
        let rejected = Cell::new(0);
        assert_eq!(Documents::new(&sources, &cfg, &rejected).count(), 0);
        assert_eq!(rejected.get(), 1);
        let lax = Config::default();
        assert_eq!(Documents::new(&sources, &lax, &rejected).count(), 1);
    }
}
