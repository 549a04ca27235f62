//! Subcommands, one file each, and what they share: configuration flags, errors and exit codes.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use textmend::Config;

pub mod clean;
pub mod diff;
mod input;
pub mod rules;
pub mod scan;

pub const EXIT_OK: u8 = 0;
pub const EXIT_REJECTS: u8 = 1;
pub const EXIT_FATAL: u8 = 2;

const AFTER_HELP: &str = "\
Examples:
  textmend clean fixtures/seeds --out out/       clean every .txt file under a directory
  textmend clean corpus.jsonl.zst --out out/     clean a JSONL corpus (gz/zst kept)
  textmend clean - < in.jsonl > out.jsonl        stream JSONL: one line out per line in
  textmend clean --input-format txt - < a.txt    clean one plain text from stdin
  textmend diff fixtures/seeds | less -R         preview the changes (add --color always)
  textmend diff corpus.jsonl --rule zh_en --limit 20   only what the zh_en pack changes
  textmend diff corpus/ --html review.html       a self-contained review page
  textmend scan corpus.jsonl.zst --min-score 2   per-document counts (TSV), nothing rewritten
  textmend rules --format json                   list every rule

Exit status:
  0  every document was cleaned and written (diff, scan: every document was read)
  1  some documents were rejected (the others were written; see rejects.jsonl, report.json;
     diff and scan report them on stderr as file:line: reason)
  2  fatal error: bad arguments or configuration, missing input, output not writable
  A closed stdout (broken pipe) exits 0 quietly.";

/// Repairs scraped, machine-translated news into clean, normalized articles, with a replayable
/// change log.
#[derive(Parser, Debug)]
#[command(name = "textmend", version, about, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// Clean .txt files, JSONL corpora (.jsonl, .jsonl.gz, .jsonl.zst) or stdin.
    Clean(clean::CleanArgs),
    /// Preview what clean would change: a word diff annotated with rule ids, or an HTML review
    /// page (--html FILE). Nothing is rewritten.
    Diff(diff::DiffCommand),
    /// Detection only: one record per document (language, artifact score, edits and flags per
    /// kind) as TSV or JSONL. Nothing is rewritten.
    Scan(scan::ScanCommand),
    /// List every rule: id, kind, default, description and an example.
    Rules(rules::RulesArgs),
}

/// Flags that build the configuration; they override `textmend.toml` (or `--config FILE`).
#[derive(Args, Debug, Default)]
pub struct ConfigArgs {
    /// Configuration file [default: textmend.toml in the current directory, if present].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Turn on a rule or pack (also rules that are off by default). Repeatable.
    #[arg(long, value_name = "ID")]
    pub enable: Vec<String>,
    /// Turn off a rule or pack. Repeatable.
    #[arg(long, value_name = "ID")]
    pub disable: Vec<String>,
    /// Run only these rules or packs. Repeatable.
    #[arg(long, value_name = "ID")]
    pub only: Vec<String>,
    /// Add a dictionary file to a table, e.g. zh_en/names=my-names.tsv. Repeatable.
    #[arg(long, value_name = "TABLE=PATH")]
    pub dict: Vec<String>,
    /// Apply fixes at least this sure; the rest are flagged.
    #[arg(long, value_name = "LEVEL", value_parser = ["certain", "likely"])]
    pub min_confidence: Option<String>,
    /// Artifact score (signals per 100 words) from which the zh_en pack runs.
    #[arg(long, value_name = "X")]
    pub zh_en_min_score: Option<f64>,
    /// Force the document language (ISO 639-1, e.g. en); skips identification.
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    /// Candidate languages for identification, e.g. en,zh.
    #[arg(long, value_name = "A,B,..", value_delimiter = ',')]
    pub langs: Vec<String>,
    /// Reject documents with invalid UTF-8 instead of repairing them.
    #[arg(long)]
    pub strict: bool,
    /// JSONL field holding the text [default: text].
    #[arg(long, value_name = "NAME")]
    pub text_field: Option<String>,
    /// JSONL field holding the document id [default: id].
    #[arg(long, value_name = "NAME")]
    pub id_field: Option<String>,
}

impl ConfigArgs {
    /// The file's configuration with the flags applied.
    pub fn build(&self) -> Result<Config> {
        let mut cfg = match &self.config {
            Some(p) => Config::from_file(p)?,
            None => {
                let p = PathBuf::from("textmend.toml");
                if p.is_file() {
                    Config::from_file(&p)?
                } else {
                    Config::default()
                }
            }
        };
        for id in &self.enable {
            cfg.disable.retain(|x| x != id);
            if !cfg.enable.contains(id) {
                cfg.enable.push(id.clone());
            }
        }
        for id in &self.disable {
            cfg.enable.retain(|x| x != id);
            if !cfg.disable.contains(id) {
                cfg.disable.push(id.clone());
            }
        }
        if !self.only.is_empty() {
            cfg.only = self.only.clone();
        }
        cfg.dicts.extend(self.dict.iter().cloned());
        if let Some(c) = &self.min_confidence {
            cfg.min_confidence = textmend::Confidence::parse(c).context("--min-confidence")?;
        }
        if let Some(x) = self.zh_en_min_score {
            cfg.zh_en_min_score = x;
        }
        if let Some(l) = &self.lang {
            cfg.lang = Some(l.clone());
        }
        if !self.langs.is_empty() {
            cfg.langs = self.langs.clone();
        }
        cfg.strict |= self.strict;
        if let Some(f) = &self.text_field {
            cfg.text_field = f.clone();
        }
        if let Some(f) = &self.id_field {
            cfg.id_field = f.clone();
        }
        cfg.validate()?;
        Ok(cfg)
    }
}

/// Whether colour may be used on stderr.
pub fn color_stderr() -> bool {
    std::env::var_os("NO_COLOR").map_or(true, |v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// True when the error is a closed stdout (reader went away): not a failure.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<textmend::pipeline::Error>()
                .and_then(|p| p.io_kind())
                == Some(std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<textmend::io::IoError>()
                .and_then(|p| p.io_kind())
                == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// Parses the arguments, runs the subcommand, and turns the outcome into an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Clean(args) => clean::run(args),
        Command::Diff(args) => diff::main(args),
        Command::Scan(args) => scan::main(args),
        Command::Rules(args) => rules::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let msg = format!("{e:#}").replace('\n', " ");
            if color_stderr() {
                eprintln!("\x1b[1;31mtextmend:\x1b[0m {msg}");
            } else {
                eprintln!("textmend: {msg}");
            }
            ExitCode::from(EXIT_FATAL)
        }
    }
}
