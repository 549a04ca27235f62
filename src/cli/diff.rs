//! `textmend diff`: preview what cleaning would change, as a coloured word diff in the terminal or
//! as a self-contained HTML review page (`--html FILE`). Nothing is written but the preview.
//!
//! [`main`] reads the inputs as `clean` does ([`super::input`]) and hands the documents to [`run`],
//! which takes the cleaner and the documents as `(id, raw bytes)` in input order.

use std::cell::Cell;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use textmend::io::atomic::write_atomic;
use textmend::review::diff::{write_doc, DiffOptions};
use textmend::review::html::{rule_descriptions, ReviewPage};
use textmend::review::{DocRef, Filter};
use textmend::{ArtifactKind, Cleaner};

use super::{input, ConfigArgs, EXIT_OK, EXIT_REJECTS};

/// `textmend diff`: the inputs, the view and the configuration.
#[derive(Debug, Args)]
pub struct DiffCommand {
    #[command(flatten)]
    pub input: input::InputArgs,
    #[command(flatten)]
    pub view: DiffArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Runs `textmend diff` from the command line: the diff (or the page's location) on stdout,
/// rejected documents on stderr. Exit code 1 when some were rejected.
pub fn main(cmd: DiffCommand) -> Result<u8> {
    let config = cmd.config.build()?;
    let cleaner = Cleaner::new(config)?;
    let sources = cmd.input.sources()?;
    let rejected = Cell::new(0);
    let docs = input::Documents::new(&sources, cleaner.config(), &rejected);
    let color = cmd.view.use_color();
    let mut out = io::BufWriter::new(io::stdout().lock());
    let sum = run(&cleaner, docs, &cmd.view, color, &mut out)?;
    drop(out);
    if sum.shown == 0 && cmd.view.html.is_none() {
        eprintln!(
            "textmend: no changes to show in {} document{}",
            sum.read,
            if sum.read == 1 { "" } else { "s" }
        );
    }
    Ok(match rejected.get() {
        0 => EXIT_OK,
        n => {
            eprintln!(
                "textmend: {n} document{} rejected",
                if n == 1 { "" } else { "s" }
            );
            EXIT_REJECTS
        }
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// Show at most N documents (those with a change or flag passing the filters). For --html the
    /// default is 1000.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Only changes made by this rule id (e.g. generic/spacing) or pack (e.g. zh_en); repeatable.
    #[arg(long = "rule", value_name = "ID")]
    pub rules: Vec<String>,
    /// Only changes of this artifact kind (e.g. date, spacing); repeatable.
    #[arg(long = "kind", value_name = "KIND", value_parser = parse_kind)]
    pub kinds: Vec<ArtifactKind>,
    /// Unchanged lines shown around each change.
    #[arg(long, default_value_t = 1, value_name = "LINES")]
    pub context: usize,
    /// Write an HTML review page to FILE instead of printing a diff.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Colour the terminal diff.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

pub fn parse_kind(s: &str) -> Result<ArtifactKind, String> {
    ArtifactKind::parse(s).ok_or_else(|| {
        let all: Vec<&str> = ArtifactKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("unknown kind {s:?}; one of: {}", all.join(", "))
    })
}

impl DiffArgs {
    fn filter(&self) -> Filter {
        Filter {
            rules: self.rules.clone(),
            kinds: self.kinds.clone(),
        }
    }

    /// Colour on for `always`; for `auto` when stdout is a terminal and NO_COLOR is unset or empty.
    pub fn use_color(&self) -> bool {
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").map_or(true, |v| v.is_empty())
            }
        }
    }
}

/// What a run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct DiffSummary {
    pub read: usize,
    pub shown: usize,
}

/// Runs `textmend diff` over `docs`, writing the terminal diff to `out` (or the HTML page to
/// `--html`, with a one-line summary to `out`). A closed pipe (a pager quit early) ends the run
/// quietly.
pub fn run(
    cleaner: &Cleaner,
    docs: impl IntoIterator<Item = Result<(String, Vec<u8>)>>,
    args: &DiffArgs,
    color: bool,
    out: &mut dyn Write,
) -> Result<DiffSummary> {
    for r in &args.rules {
        let known = cleaner
            .rules()
            .any(|x| x.id() == r || x.id().split('/').next() == Some(r.as_str()));
        anyhow::ensure!(
            known,
            "unknown or disabled rule or pack {r:?} (see `textmend rules`)"
        );
    }
    let filter = args.filter();
    let mut sum = DiffSummary::default();
    if let Some(path) = &args.html {
        let limit = args.limit.unwrap_or(1000);
        let mut page = ReviewPage::new(&format!(
            "textmend review ({})",
            path.file_stem().unwrap_or_default().to_string_lossy()
        ))
        .with_descriptions(rule_descriptions(cleaner));
        for doc in docs {
            if page.len() >= limit {
                break;
            }
            let (id, bytes) = doc?;
            sum.read += 1;
            let cleaned = cleaner.clean_bytes(&bytes);
            if !filter.is_empty()
                && filter.edits(&cleaned).is_empty()
                && filter.flags(&cleaned).is_empty()
            {
                continue;
            }
            page.add(&DocRef {
                id: &id,
                input: &bytes,
                cleaned: &cleaned,
            });
            sum.shown += 1;
        }
        let mut html = Vec::new();
        page.write(&mut html)?;
        write_atomic(path, &html).with_context(|| format!("writing {}", path.display()))?;
        ignore_broken_pipe(writeln!(
            out,
            "wrote {} ({} documents, {} bytes)",
            path.display(),
            sum.shown,
            html.len()
        ))?;
        return Ok(sum);
    }
    let opts = DiffOptions {
        color,
        context: args.context,
        filter,
    };
    for doc in docs {
        if args.limit.is_some_and(|n| sum.shown >= n) {
            break;
        }
        let (id, bytes) = doc?;
        sum.read += 1;
        let cleaned = cleaner.clean_bytes(&bytes);
        match write_doc(
            out,
            &DocRef {
                id: &id,
                input: &bytes,
                cleaned: &cleaned,
            },
            &opts,
        ) {
            Ok(true) => sum.shown += 1,
            Ok(false) => {}
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(sum),
            Err(e) => return Err(e.into()),
        }
    }
    ignore_broken_pipe(out.flush())?;
    Ok(sum)
}

fn ignore_broken_pipe(r: io::Result<()>) -> io::Result<()> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        r => r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use textmend::Config;

    fn args() -> DiffArgs {
        DiffArgs {
            limit: None,
            rules: vec![],
            kinds: vec![],
            context: 1,
            html: None,
            color: ColorChoice::Never,
        }
    }

    fn docs(v: &[(&str, &str)]) -> Vec<Result<(String, Vec<u8>)>> {
        v.iter()
            .map(|(i, t)| Ok((i.to_string(), t.as_bytes().to_vec())))
            .collect()
    }

    #[test]
    fn diff_limit_and_filters() {
        let c = Cleaner::new(Config::default()).unwrap();
        let input = docs(&[
            ("a", "Clean.\n"),
            ("b", "Sales rose , ok .\n"),
            ("c", "More , here .\n"),
        ]);
        let mut out = Vec::new();
        let s = run(
            &c,
            input,
            &DiffArgs {
                limit: Some(1),
                ..args()
            },
            false,
            &mut out,
        )
        .unwrap();
        assert_eq!(s, DiffSummary { read: 2, shown: 1 });
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("=== b  "), "{text}");
        assert!(!text.contains("=== c"));

        let input = docs(&[("b", "Sales rose , ok .\n")]);
        let mut out = Vec::new();
        let s = run(
            &c,
            input,
            &DiffArgs {
                kinds: vec![ArtifactKind::Date],
                ..args()
            },
            false,
            &mut out,
        )
        .unwrap();
        assert_eq!(s.shown, 0);
        assert!(out.is_empty());

        let err = run(
            &c,
            docs(&[]),
            &DiffArgs {
                rules: vec!["nope/x".into()],
                ..args()
            },
            false,
            &mut Vec::new(),
        );
        assert!(err
            .unwrap_err()
            .to_string()
            .contains("unknown or disabled rule"));
    }

    #[test]
    fn html_page_is_written() {
        let c = Cleaner::new(Config::default()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.html");
        let input = docs(&[("a", "Clean.\n"), ("b", "Sales rose , ok .\n")]);
        let mut out = Vec::new();
        let s = run(
            &c,
            input,
            &DiffArgs {
                html: Some(path.clone()),
                ..args()
            },
            false,
            &mut out,
        )
        .unwrap();
        assert_eq!(s, DiffSummary { read: 2, shown: 2 });
        let html = std::fs::read_to_string(&path).unwrap();
        assert!(html.contains("<del"));
        assert!(String::from_utf8(out).unwrap().starts_with("wrote "));
    }

    #[test]
    fn kinds_parse_with_a_helpful_error() {
        assert_eq!(parse_kind("date"), Ok(ArtifactKind::Date));
        assert!(parse_kind("dates").unwrap_err().contains("counted-noun"));
    }

    struct Closed;
    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
    }

    #[test]
    fn a_closed_pager_ends_quietly() {
        let c = Cleaner::new(Config::default()).unwrap();
        let s = run(
            &c,
            docs(&[("b", "Sales rose , ok .\n")]),
            &args(),
            false,
            &mut Closed,
        )
        .unwrap();
        assert_eq!(s.shown, 0);
    }
}
