//! `textmend scan`: detection only. One record per document (id, language, artifact score, edits
//! and flags per kind) as TSV or JSONL, for a corpus builder that drops or sorts documents; nothing
//! is rewritten. Each document is cleaned in memory and only the counts are kept (see
//! [`textmend::review::scan`]); documents are processed in parallel chunks and written in input
//! order.
//!
//! [`main`] reads the inputs as `clean` does ([`super::input`]) and hands the documents to [`run`],
//! which takes the cleaner and the documents as `(id, raw bytes)` in input order.

use std::cell::Cell;
use std::io::{self, Write};

use anyhow::Result;
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use textmend::review::scan::{ScanFormat, ScanRecord, ScanWriter};
use textmend::Cleaner;

use super::{input, ConfigArgs, EXIT_OK, EXIT_REJECTS};

/// `textmend scan`: the inputs, the output options and the configuration.
#[derive(Debug, Args)]
pub struct ScanCommand {
    #[command(flatten)]
    pub input: input::InputArgs,
    #[command(flatten)]
    pub scan: ScanArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Runs `textmend scan` from the command line: records on stdout, rejected documents on stderr.
/// Exit code 1 when some were rejected.
pub fn main(cmd: ScanCommand) -> Result<u8> {
    let config = cmd.config.build()?;
    let cleaner = Cleaner::new(config)?;
    let sources = cmd.input.sources()?;
    let rejected = Cell::new(0);
    let docs = input::Documents::new(&sources, cleaner.config(), &rejected);
    run(&cleaner, docs, &cmd.scan, &mut io::stdout().lock())?;
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
pub enum Format {
    Tsv,
    Jsonl,
}

#[derive(Debug, Clone, Args)]
pub struct ScanArgs {
    /// Output format: TSV with a header line, or one JSON object per line.
    #[arg(long, value_enum, default_value_t = Format::Tsv)]
    pub format: Format,
    /// Only documents whose artifact score (MT signals per 100 words) is at least X.
    #[arg(long, value_name = "X")]
    pub min_score: Option<f64>,
}

/// Documents per parallel chunk.
const CHUNK: usize = 256;

/// Runs `textmend scan` over `docs`, writing records to `out`. Returns (written, skipped by
/// --min-score). A closed pipe ends the run quietly.
pub fn run(
    cleaner: &Cleaner,
    docs: impl IntoIterator<Item = Result<(String, Vec<u8>)>>,
    args: &ScanArgs,
    out: &mut dyn Write,
) -> Result<(usize, usize)> {
    let format = match args.format {
        Format::Tsv => ScanFormat::Tsv,
        Format::Jsonl => ScanFormat::Jsonl,
    };
    let mut w = ScanWriter::new(io::BufWriter::new(out), format, args.min_score);
    let mut docs = docs.into_iter();
    let res: io::Result<()> = (|| loop {
        let chunk: Vec<(String, Vec<u8>)> = docs
            .by_ref()
            .take(CHUNK)
            .collect::<Result<_>>()
            .map_err(io::Error::other)?;
        if chunk.is_empty() {
            return Ok(());
        }
        let recs: Vec<ScanRecord> = chunk
            .par_iter()
            .map(|(id, b)| ScanRecord::new(id, b.len(), &cleaner.clean_bytes(b)))
            .collect();
        for r in &recs {
            w.write(r)?;
        }
    })();
    let counts = (w.written, w.skipped);
    match res.and_then(|_| w.finish().map(|_| ())) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(counts),
        Err(e) => match e.into_inner() {
            Some(inner) => Err(anyhow::anyhow!(inner)),
            None => Err(anyhow::anyhow!("writing scan records")),
        },
        Ok(()) => Ok(counts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use textmend::Config;

    fn docs(v: &[(&str, &str)]) -> Vec<Result<(String, Vec<u8>)>> {
        v.iter()
            .map(|(i, t)| Ok((i.to_string(), t.as_bytes().to_vec())))
            .collect()
    }

    #[test]
    fn tsv_and_jsonl_in_input_order() {
        let c = Cleaner::new(Config::default()).unwrap();
        let many: Vec<(String, String)> = (0..600)
            .map(|i| (format!("d{i}"), format!("Doc {i} , here .\n")))
            .collect();
        let input: Vec<Result<(String, Vec<u8>)>> = many
            .iter()
            .map(|(i, t)| Ok((i.clone(), t.as_bytes().to_vec())))
            .collect();
        let mut out = Vec::new();
        let (w, s) = run(
            &c,
            input,
            &ScanArgs {
                format: Format::Tsv,
                min_score: None,
            },
            &mut out,
        )
        .unwrap();
        assert_eq!((w, s), (600, 0));
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], ScanRecord::TSV_HEADER);
        assert_eq!(lines.len(), 601);
        for (i, l) in lines[1..].iter().enumerate() {
            assert!(l.starts_with(&format!("d{i}\t")), "order: {l}");
            assert!(l.ends_with("\t2\t0\tspacing=2\t"), "{l}");
        }
        let mut out = Vec::new();
        run(
            &c,
            docs(&[("a", "x , y\n")]),
            &ScanArgs {
                format: Format::Jsonl,
                min_score: Some(1000.0),
            },
            &mut out,
        )
        .unwrap();
        assert!(out.is_empty(), "filtered out by --min-score");
    }

    #[test]
    fn read_errors_are_reported() {
        let c = Cleaner::new(Config::default()).unwrap();
        let input: Vec<Result<(String, Vec<u8>)>> = vec![Err(anyhow::anyhow!("bad line 3"))];
        let err = run(
            &c,
            input,
            &ScanArgs {
                format: Format::Tsv,
                min_score: None,
            },
            &mut Vec::new(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("bad line 3"), "{err}");
    }
}
