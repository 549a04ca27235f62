//! `textmend clean`: files or directories into an output directory, or stdin to stdout.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use textmend::io::{AtomicFile, Compression, Format, Report};
use textmend::pipeline::{
    self, Checkpoint, CheckpointSpec, Options, Progress, Sink, Source, Target,
};
use textmend::Cleaner;

use super::{ConfigArgs, EXIT_OK, EXIT_REJECTS};

/// Exit status after Ctrl-C (128 + SIGINT, as a shell reports a process killed by it).
pub const EXIT_INTERRUPTED: u8 = 130;

/// The progress file of a run into a directory (see [`pipeline::Checkpoint`]).
pub const PROGRESS_FILE: &str = ".textmend-progress.json";

#[derive(Args, Debug)]
pub struct CleanArgs {
    /// Files or directories to clean (directories: every .txt, .jsonl, .jsonl.gz, .jsonl.zst
    /// under them, recursively), or - for stdin.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output directory: cleaned files keep their relative paths; changes.jsonl, rejects.jsonl
    /// and report.json go beside them. Without it, the input must be - and output goes to stdout.
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write the change log here [default: DIR/changes.jsonl; none when streaming].
    #[arg(long, value_name = "FILE")]
    pub changes: Option<PathBuf>,
    /// Write rejected documents here [default: DIR/rejects.jsonl; none when streaming].
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Write the report here [default: DIR/report.json; none when streaming].
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// How to read named files and stdin [default: by extension; stdin: jsonl].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
    /// Compression of JSONL outputs [default: as the input; stdout: none].
    #[arg(long, value_enum, value_name = "C")]
    pub compress: Option<CompressArg>,
    /// Cleaning threads [default: one per core]; reading and writing run on up to three more.
    /// Output is the same for any number.
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// No progress bar, no summary.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print the report as JSON on stdout instead of the summary.
    #[arg(long)]
    pub json: bool,
    /// Finish an interrupted run into --out DIR (Ctrl-C, kill, power loss): done outputs are
    /// kept, the rest is written, and every output ends as an uninterrupted run writes it. Same
    /// inputs and options as the first run; without a checkpoint in DIR, starts from scratch.
    #[arg(long)]
    pub resume: bool,
    /// Documents per chunk (memory and parallelism grain).
    /// Corpus mode: a first pass counts lines across documents, and a line found in at least N
    /// documents (default 5) is removed as page chrome (`structure/repeated-line`). Needs files.
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "5")]
    pub corpus_chrome: Option<usize>,
    #[arg(long, value_name = "N", default_value_t = 8192, hide = true)]
    pub chunk_docs: usize,
    /// Megabytes per chunk.
    #[arg(long, value_name = "MB", default_value_t = 8, hide = true)]
    pub chunk_mb: usize,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    Txt,
    Jsonl,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CompressArg {
    None,
    Gz,
    Zst,
}

/// The progress bar, fed by the pipeline after each chunk.
struct Bar {
    bar: ProgressBar,
    docs: AtomicU64,
}

impl Progress for Bar {
    fn advance(&self, docs: u64, bytes: u64) {
        let d = self.docs.fetch_add(docs, Ordering::Relaxed) + docs;
        self.bar.inc(bytes);
        self.bar.set_message(format!("{d} documents"));
    }
}

fn progress_bar(total: Option<u64>) -> Arc<Bar> {
    let color = super::color_stderr();
    let bar_tpl = if color {
        "{wide_bar:.cyan/blue}"
    } else {
        "{wide_bar}"
    };
    let (bar, tpl) = match total {
        Some(t) => (
            ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr()),
            format!("[{{elapsed_precise}}] {bar_tpl} {{bytes}}/{{total_bytes}} {{bytes_per_sec}} ETA {{eta}} {{msg}}"),
        ),
        None => (
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
            "{spinner} [{elapsed_precise}] {bytes} {bytes_per_sec} {msg}".to_string(),
        ),
    };
    if let Ok(style) = ProgressStyle::with_template(&tpl) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    Arc::new(Bar {
        bar,
        docs: AtomicU64::new(0),
    })
}

/// Opens an output file atomically, with the path in the error.
fn create(path: &Path) -> Result<AtomicFile> {
    AtomicFile::create(path).with_context(|| format!("cannot write {}", path.display()))
}

/// The first pass of corpus mode: counts normalized lines across every document of the input (in
/// bounded memory) and hands the lines found in at least `min_docs` documents to the cleaner.
/// Unusable documents are skipped here; the cleaning pass reports them.
fn with_corpus_chrome(cleaner: Cleaner, args: &CleanArgs, min_docs: usize) -> Result<Cleaner> {
    let sources = super::input::discover(&args.inputs, args.input_format)?;
    let skipped = std::cell::Cell::new(0);
    let mut counter = textmend::corpus_chrome::CorpusChromeCounter::new(min_docs);
    let docs = super::input::Documents::new(&sources, cleaner.config(), &skipped).quiet();
    for doc in docs {
        let (_, bytes) = doc?;
        counter.add_document(&String::from_utf8_lossy(&bytes));
    }
    let n_docs = counter.documents();
    let set = counter.finish();
    if !args.quiet {
        eprintln!(
            "textmend: corpus chrome: {} line(s) found in at least {} of {n_docs} documents",
            set.len(),
            min_docs.max(2)
        );
    }
    Ok(cleaner.with_corpus_chrome(set))
}

pub fn run(args: CleanArgs) -> Result<u8> {
    let config = args.config.build()?;
    let mut cleaner = Cleaner::new(config)?;

    let stdin = args.inputs.iter().any(|p| p.as_os_str() == "-");
    if stdin && args.inputs.len() > 1 {
        bail!("- (stdin) cannot be combined with other inputs");
    }
    if let Some(min_docs) = args.corpus_chrome {
        if stdin {
            bail!("--corpus-chrome reads the input twice, so it needs files, not - (stdin)");
        }
        cleaner = with_corpus_chrome(cleaner, &args, min_docs)?;
    }
    if args.out.is_none() && !stdin {
        bail!("--out DIR is required unless the input is - (stdin)");
    }
    if args.out.is_none() && args.json {
        bail!("--json prints the report on stdout, which carries the cleaned text here; use --report FILE");
    }
    let format = args.input_format.map(|f| match f {
        InputFormat::Txt => Format::Txt,
        InputFormat::Jsonl => Format::Jsonl,
    });
    let exclude: Vec<PathBuf> = args.out.iter().cloned().collect();
    let (sources, skipped) = pipeline::discover_noting(&args.inputs, format, &exclude)?;
    if !args.quiet {
        for p in &skipped {
            eprintln!(
                "textmend: note: not following {}, a link to a directory",
                p.display()
            );
        }
    }
    if args.resume && args.out.is_none() {
        bail!("--resume needs --out DIR (a stream cannot be resumed)");
    }

    // Outputs: created before any work, so an unwritable place fails first.
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create output directory {}", dir.display()))?;
    }
    let in_dir = |name: &str, flag: &Option<PathBuf>| -> Option<PathBuf> {
        flag.clone()
            .or_else(|| args.out.as_ref().map(|d| d.join(name)))
    };
    let changes_path = in_dir("changes.jsonl", &args.changes);
    let rejects_path = in_dir("rejects.jsonl", &args.rejects);
    let report_path = in_dir("report.json", &args.report);

    // Checkpoints (directory output from files): the logs are written under fixed temporary
    // names, kept when the run is interrupted, and cut back to the checkpoint on --resume.
    let progress_path = args
        .out
        .as_ref()
        .filter(|_| !stdin)
        .map(|d| d.join(PROGRESS_FILE));
    let fingerprint = fingerprint(&args, &cleaner, &sources);
    let resume = match (&progress_path, args.resume) {
        (Some(p), true) if p.exists() => Some(Checkpoint::load(p)?),
        (Some(_), true) => {
            if !args.quiet {
                eprintln!(
                    "textmend: note: no checkpoint to resume from; starting from the beginning"
                );
            }
            None
        }
        _ => None,
    };
    if let Some(r) = &resume {
        if r.fingerprint != fingerprint {
            bail!(
                "cannot resume: the checkpoint in {} is of another run (inputs, options or \
                 configuration changed); run without --resume",
                progress_path.as_ref().unwrap().display()
            );
        }
    }
    // A run killed while it wrote a file leaves that file's temporary behind: --resume clears
    // them, so the output directory ends as an uninterrupted run leaves it.
    if let (true, Some(out)) = (args.resume, args.out.as_ref().filter(|d| d.is_dir())) {
        textmend::io::atomic::remove_stale_temps(out)
            .with_context(|| format!("cannot clear temporary files in {}", out.display()))?;
    }
    let open = |path: &Option<PathBuf>, keep: Option<u64>| -> Result<Option<AtomicFile>> {
        let Some(p) = path else { return Ok(None) };
        let f = if progress_path.is_some() {
            AtomicFile::resumable(p, keep).with_context(|| {
                if keep.is_some() {
                    format!("cannot resume {}", p.display())
                } else {
                    format!("cannot write {}", p.display())
                }
            })?
        } else {
            create(p)?
        };
        Ok(Some(f))
    };
    let mut changes = open(&changes_path, resume.as_ref().map(|r| r.changes_len))?;
    let mut rejects = open(&rejects_path, resume.as_ref().map(|r| r.rejects_len))?;
    // The report is written at the end; opening it now only checks that it can be (so that a
    // run killed part-way leaves no temporary file of it).
    drop(report_path.as_deref().map(create).transpose()?);

    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let progress = show_progress.then(|| {
        let total = sources
            .iter()
            .map(|s| match s {
                Source::File { path, .. } if Compression::from_path(path) == Compression::None => {
                    std::fs::metadata(path).ok().map(|m| m.len())
                }
                _ => None,
            })
            .sum::<Option<u64>>();
        progress_bar(total)
    });
    let options = Options {
        threads: args.threads.unwrap_or(0),
        chunk_bytes: args.chunk_mb.max(1) << 20,
        chunk_docs: args.chunk_docs.max(1),
        compress: args.compress.map(|c| match c {
            CompressArg::None => Compression::None,
            CompressArg::Gz => Compression::Gz,
            CompressArg::Zst => Compression::Zst,
        }),
        progress: progress.clone().map(|p| p as Arc<dyn Progress>),
        checkpoint: progress_path.clone().map(|path| CheckpointSpec {
            path,
            fingerprint: fingerprint.clone(),
        }),
        resume,
        stop: Some(stop_on_ctrl_c()),
    };

    let mut stdout = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout());
    let target = match &args.out {
        Some(dir) => Target::Dir(dir.clone()),
        None => Target::Stream(&mut stdout),
    };
    let mut sink = Sink {
        target,
        changes: changes.as_mut().map(|f| f as &mut (dyn Write + Send)),
        rejects: rejects.as_mut().map(|f| f as &mut (dyn Write + Send)),
    };
    let result = pipeline::run(&cleaner, &sources, &options, &mut sink);
    drop(sink);
    if let Some(p) = &progress {
        p.bar.finish_and_clear();
    }
    let report = match result {
        Ok(r) => r,
        Err(pipeline::Error::Interrupted) => {
            // The checkpoint is written: keep what --resume needs, drop the rest.
            for f in [changes, rejects].into_iter().flatten() {
                if progress_path.is_some() {
                    f.keep().context("cannot keep the partial logs")?;
                }
            }
            let hint = match &args.out {
                Some(_) if progress_path.is_some() => {
                    " (no partial file under a final name); run again with --resume to finish"
                }
                _ => "",
            };
            eprintln!("textmend: interrupted{hint}");
            return Ok(EXIT_INTERRUPTED);
        }
        Err(e) => {
            // Nothing half-written is left: the temporary files go with their handles.
            drop((changes, rejects));
            remove_progress(progress_path.as_deref());
            return Err(e.into());
        }
    };

    for (f, p) in [(changes, &changes_path), (rejects, &rejects_path)] {
        if let (Some(f), Some(p)) = (f, p) {
            f.commit()
                .with_context(|| format!("cannot write {}", p.display()))?;
        }
    }
    if let Some(p) = &report_path {
        textmend::io::atomic::write_atomic(p, report.to_json().as_bytes())
            .with_context(|| format!("cannot write {}", p.display()))?;
    }
    remove_progress(progress_path.as_deref());
    if args.json {
        let mut out = std::io::stdout().lock();
        out.write_all(report.to_json().as_bytes())?;
        out.flush()?;
    } else if !args.quiet {
        eprintln!(
            "{}",
            summary(&report, args.out.as_deref(), rejects_path.as_deref())
        );
    }
    Ok(if report.documents.rejected > 0 {
        EXIT_REJECTS
    } else {
        EXIT_OK
    })
}

/// Removes a run's progress file and its ids file.
fn remove_progress(path: Option<&Path>) {
    if let Some(p) = path {
        let _ = std::fs::remove_file(pipeline::ids_path(p));
        let _ = std::fs::remove_file(p);
    }
}

/// What a checkpoint must match to be resumed: the version, the configuration, the options that
/// change the output, and every input's path, size and modification time.
fn fingerprint(args: &CleanArgs, cleaner: &Cleaner, sources: &[Source]) -> String {
    let s = format!(
        "{} {:?} {:?} {:?} {:?} {:?} {:?}",
        env!("CARGO_PKG_VERSION"),
        cleaner.config(),
        args.compress,
        args.input_format,
        args.changes,
        args.rejects,
        args.report
    );
    // One lookup per input: many small files make it a long serial step, so the lookups are
    // shared among the run's threads. Each input is kept as a hash of its entry (a few bytes
    // each, however many inputs there are), and the hashes go into the fingerprint in order.
    let threads = args
        .threads
        .filter(|&n| n > 0)
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(1);
    let entries = textmend::pipeline::map_in_parts(sources, threads, |src| match src {
        Source::File { path, .. } => {
            let meta = std::fs::metadata(path).ok();
            fnv1a(
                fnv1a(FNV_START, path.as_os_str().as_encoded_bytes()),
                format!(
                    ":{:?}:{:?}",
                    meta.as_ref().map(|m| m.len()),
                    meta.and_then(|m| m.modified().ok())
                )
                .as_bytes(),
            )
        }
        Source::Stdin { .. } => FNV_START,
    });
    let mut h = fnv1a(FNV_START, s.as_bytes());
    for e in entries {
        h = fnv1a(h, &e.to_le_bytes());
    }
    format!("{h:016x}")
}

/// FNV-1a, 64 bits: its starting state.
const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a, 64 bits: the state `h` after `bytes`.
fn fnv1a(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

static STOP: std::sync::OnceLock<Arc<AtomicBool>> = std::sync::OnceLock::new();

/// A flag set by the first Ctrl-C (SIGINT, also SIGTERM); the run stops after its current chunk.
/// A second one kills the process at once (the default action is restored).
fn stop_on_ctrl_c() -> Arc<AtomicBool> {
    let flag = STOP
        .get_or_init(|| Arc::new(AtomicBool::new(false)))
        .clone();
    #[cfg(unix)]
    {
        extern "C" fn handler(sig: libc::c_int) {
            if let Some(s) = STOP.get() {
                s.store(true, Ordering::SeqCst);
            }
            // SAFETY: signal() is async-signal-safe; restoring the default action lets a
            // second signal end the process.
            unsafe {
                libc::signal(sig, libc::SIG_DFL);
            }
        }
        // SAFETY: installs a handler that only stores to an atomic and calls signal().
        unsafe {
            libc::signal(libc::SIGINT, handler as *const () as libc::sighandler_t);
            libc::signal(libc::SIGTERM, handler as *const () as libc::sighandler_t);
        }
    }
    flag
}

/// The one-paragraph summary printed on stderr.
fn summary(r: &Report, out: Option<&Path>, rejects: Option<&Path>) -> String {
    let d = &r.documents;
    let mut s = format!(
        "textmend: {} document{} read, {} written, {} rejected; {} in {:.2} s ({:.1} MB/s).",
        d.read,
        if d.read == 1 { "" } else { "s" },
        d.written,
        d.rejected,
        human_bytes(r.bytes_in),
        r.elapsed_seconds,
        r.mb_per_s
    );
    let mut kinds: Vec<(&String, &u64)> = r.edits.per_kind.iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
    s.push_str(&format!(
        " {} edit{}",
        r.edits.total,
        if r.edits.total == 1 { "" } else { "s" }
    ));
    if !list.is_empty() {
        s.push_str(&format!(" ({})", list.join(", ")));
    }
    s.push_str(&format!(
        ", {} flag{}.",
        r.flags.total,
        if r.flags.total == 1 { "" } else { "s" }
    ));
    if let Some(dir) = out {
        s.push_str(&format!(" Output in {}.", dir.display()));
    }
    if d.rejected > 0 {
        match rejects {
            Some(p) => s.push_str(&format!(" Rejects listed in {}.", p.display())),
            None => s.push_str(" Use --rejects FILE to keep the rejected lines' reasons."),
        }
    }
    s
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1_000_000_000 => format!("{:.2} GB", n as f64 / 1e9),
        n if n >= 1_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        n if n >= 1_000 => format!("{:.1} KB", n as f64 / 1e3),
        n => format!("{n} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(extra: &[&str]) -> CleanArgs {
        let mut argv = vec!["textmend", "clean", "in", "--out", "out"];
        argv.extend_from_slice(extra);
        match super::super::Cli::parse_from(argv).command {
            super::super::Command::Clean(a) => a,
            other => panic!("{other:?}"),
        }
    }

    /// The resume fingerprint follows every input's path, size and order, and the options; it
    /// is the same for the same run.
    #[test]
    fn the_fingerprint_follows_inputs_and_options() {
        let t = tempfile::tempdir().unwrap();
        let file = |name: &str, text: &str| {
            let path = t.path().join(name);
            std::fs::write(&path, text).unwrap();
            Source::File {
                rel: PathBuf::from(name),
                format: Format::Txt,
                path,
            }
        };
        let cleaner = Cleaner::new(textmend::Config::default()).unwrap();
        let (a, b) = (file("a.txt", "one"), file("b.txt", "two"));
        let print = |args: &CleanArgs, sources: &[Source]| fingerprint(args, &cleaner, sources);
        let base = print(&args(&[]), &[a.clone(), b.clone()]);
        assert_eq!(base, print(&args(&[]), &[a.clone(), b.clone()]));
        assert_ne!(base, print(&args(&[]), &[b.clone(), a.clone()]), "order");
        assert_ne!(
            base,
            print(&args(&[]), std::slice::from_ref(&a)),
            "an input less"
        );
        assert_ne!(
            base,
            print(&args(&["--compress", "gz"]), &[a.clone(), b.clone()])
        );
        // Many inputs (hashed on several threads) give one value too.
        let many: Vec<Source> = (0..600).map(|i| file(&format!("m{i}.txt"), "x")).collect();
        assert_eq!(
            print(&args(&["-j", "4"]), &many),
            print(&args(&["-j", "4"]), &many)
        );
        let one = print(&args(&["-j", "4"]), &many);
        std::fs::write(t.path().join("b.txt"), "two, and more").unwrap();
        assert_ne!(base, print(&args(&[]), &[a, b]), "an input's size");
        std::fs::write(t.path().join("m599.txt"), "xy").unwrap();
        assert_ne!(
            one,
            print(&args(&["-j", "4"]), &many),
            "the last of many inputs"
        );
    }
}
