//! Many small inputs: a directory of small JSONL files (some gzip-compressed), text files and bad
//! files is cleaned in batches of files. The outputs must not depend on the thread count or the
//! chunk size, must match cleaning each file alone, and a bad file must be rejected without
//! stopping the others. Also: an interrupted run over many small files resumes to the same bytes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use serde_json::Value;
use textmend::pipeline::{self, Checkpoint, CheckpointSpec, Options, Sink, Source, Target};
use textmend::{Cleaner, Config};

fn textmend(args: &[&str], cwd: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_textmend"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn json_lines(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

/// Every file under `dir` (relative, sorted) with its bytes; the report without its time fields.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
                continue;
            }
            let rel = p.strip_prefix(root).unwrap().to_path_buf();
            let mut bytes = std::fs::read(&p).unwrap();
            if rel == Path::new("report.json") {
                let mut v: Value = serde_json::from_slice(&bytes).unwrap();
                v.as_object_mut().unwrap().remove("elapsed_seconds");
                v.as_object_mut().unwrap().remove("mb_per_s");
                bytes = serde_json::to_vec_pretty(&v).unwrap();
            }
            out.push((rel, bytes));
        }
    }
    let mut v = Vec::new();
    walk(dir, dir, &mut v);
    v.sort();
    v
}

/// One JSONL document line.
fn doc(id: Option<&str>, i: usize) -> String {
    let text = match i % 4 {
        0 => format!("Sales rose {i} % , the company said .\\nProfits fell ; costs rose ."),
        1 => format!("Plain sentence number {i}."),
        2 => format!("Output in the district rose , officials said on day {i} ."),
        _ => format!("Costs fell {i} % , analysts said ."),
    };
    match id {
        Some(id) => format!("{{\"id\":\"{id}\",\"text\":\"{text}\",\"n\":{i}}}\n"),
        None => format!("{{\"text\":\"{text}\",\"n\":{i}}}\n"),
    }
}

/// Bad inputs among the good ones, and what their rejects say.
const BAD: &[(&str, &str)] = &[
    ("j/041-utf16.jsonl", "UTF-16"),
    ("j/043-truncated.jsonl.gz", "read error"),
    #[cfg(unix)]
    ("j/042-dangling.jsonl", "cannot read"),
];

/// A directory of small JSONL files (every fifth gzip-compressed; with bad lines, blank lines,
/// lines without an id, a repeated id, a BOM, a last line without a newline), a run of text
/// files between them, and bad files. Returns the number of documents it holds (good lines,
/// text files, and one for each bad file).
fn many_small_files(dir: &Path) -> usize {
    let mut docs = 0;
    let mut n = 0;
    for (sub, count) in [("j", 60), ("u", 25)] {
        for k in 0..count {
            let mut s = String::new();
            if k == 23 {
                s.push('\u{FEFF}');
            }
            for l in 0..(k % 4 + 1) {
                let id = match (sub, k, l) {
                    ("j", 30, 0) => Some("j-0-0".to_string()),
                    (_, k, _) if k % 13 == 6 => None,
                    _ => Some(format!("{sub}-{k}-{l}")),
                };
                s.push_str(&doc(id.as_deref(), n));
                n += 1;
                docs += 1;
            }
            if k % 7 == 3 {
                s.push_str("{broken\n");
                docs += 1;
            }
            if k % 11 == 4 {
                s.push('\n');
            }
            if k == 17 {
                s.pop();
            }
            if k % 5 == 0 {
                write(
                    &dir.join(format!("{sub}/{k:03}.jsonl.gz")),
                    gz(s.as_bytes()),
                );
            } else {
                write(&dir.join(format!("{sub}/{k:03}.jsonl")), &s);
            }
        }
        if sub == "j" {
            for k in 0..15 {
                write(
                    &dir.join(format!("t/{k:03}.txt")),
                    format!("Text file {k} rose , it said .\nPrices fell ; costs rose .\n")
                        .repeat(k % 3 + 1),
                );
                docs += 1;
            }
        }
    }
    // UTF-16 JSONL, a truncated gzip stream, a link to nothing.
    let mut utf16 = vec![0xFF, 0xFE];
    for u in doc(Some("x"), 0).encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    write(&dir.join("j/041-utf16.jsonl"), utf16);
    let whole = gz(doc(Some("t"), 1).repeat(40).as_bytes());
    write(
        &dir.join("j/043-truncated.jsonl.gz"),
        &whole[..whole.len() / 2],
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("missing"), dir.join("j/042-dangling.jsonl")).unwrap();
    docs + BAD.len()
}

#[test]
fn same_bytes_for_any_thread_count_and_chunk_size() {
    let t = tempfile::tempdir().unwrap();
    let docs = many_small_files(&t.path().join("in"));
    let mut snaps = Vec::new();
    for chunk in [None, Some("5")] {
        for threads in ["1", "2", "4"] {
            let out = format!("out-{threads}-{}", chunk.unwrap_or("default"));
            let mut args = vec!["clean", "in", "--out", &out, "-q", "--threads", threads];
            if let Some(c) = chunk {
                args.extend(["--chunk-docs", c]);
            }
            let (code, stderr) = textmend(&args, t.path());
            assert_eq!(code, 1, "rejects give exit 1: {stderr}");
            snaps.push((out.clone(), snapshot(&t.path().join(&out))));
        }
    }
    for (name, snap) in &snaps[1..] {
        assert!(snap == &snaps[0].1, "{name} differs from {}", snaps[0].0);
    }
    // Every document is written or rejected, and the report agrees with the files.
    let out = t.path().join(&snaps[0].0);
    let rep: Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let d = &rep["documents"];
    assert_eq!(d["read"], docs as u64, "{rep}");
    assert_eq!(
        d["read"].as_u64().unwrap(),
        d["written"].as_u64().unwrap() + d["rejected"].as_u64().unwrap()
    );
    let mut written = 0;
    for (rel, bytes) in &snaps[0].1 {
        let name = rel.to_string_lossy();
        if name.ends_with(".txt") {
            written += 1;
        } else if name.ends_with(".jsonl.gz") {
            let mut s = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&bytes[..]), &mut s)
                .unwrap();
            written += json_lines(&s).len();
        } else if name.starts_with('j') || name.starts_with('u') {
            written += json_lines(bytes).len();
        }
    }
    assert_eq!(d["written"], written as u64);
    let rejects = json_lines(&std::fs::read(out.join("rejects.jsonl")).unwrap());
    assert_eq!(d["rejected"], rejects.len() as u64);
    assert_eq!(rep["duplicate_ids"], 1, "{rep}");
    assert_eq!(rep["blank_lines"], 8, "{rep}");
}

#[test]
fn a_bad_file_among_many_is_rejected_and_the_others_are_written() {
    let t = tempfile::tempdir().unwrap();
    many_small_files(&t.path().join("in"));
    let (code, stderr) = textmend(&["clean", "in", "--out", "out", "-q", "-j", "2"], t.path());
    assert_eq!(code, 1, "{stderr}");
    let rejects = json_lines(&std::fs::read(t.path().join("out/rejects.jsonl")).unwrap());
    for (file, reason) in BAD {
        let r = rejects
            .iter()
            .find(|r| r["file"].as_str().unwrap().ends_with(file))
            .unwrap_or_else(|| panic!("{file} is not rejected: {rejects:?}"));
        assert!(r["reason"].as_str().unwrap().contains(reason), "{r}");
    }
    assert!(!t.path().join("out/j/041-utf16.jsonl").exists());
    // The broken lines are rejected with their file and line number.
    let broken: Vec<(&str, u64)> = rejects
        .iter()
        .filter(|r| r["original"] == "{broken")
        .map(|r| (r["file"].as_str().unwrap(), r["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(broken.len(), 9 + 4, "{broken:?}");
    for ((file, line), (want_file, want_line)) in
        broken
            .iter()
            .zip([("003.jsonl", 5), ("010.jsonl.gz", 4), ("017.jsonl", 3)])
    {
        assert!(file.ends_with(want_file), "{file}");
        assert_eq!(*line, want_line, "{file}");
    }
    // Every good input has its output.
    for dir in ["j", "u", "t"] {
        for e in std::fs::read_dir(t.path().join("in").join(dir)).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            if BAD.iter().any(|(b, _)| b.ends_with(&name)) {
                continue;
            }
            assert!(
                t.path().join("out").join(dir).join(&name).exists(),
                "no output for {dir}/{name}"
            );
        }
    }
}

/// The outputs of a library run: the files of a directory target (or the stream), the change
/// log, the rejects file, and the document counts.
struct Run {
    files: Vec<(PathBuf, Vec<u8>)>,
    changes: Vec<u8>,
    rejects: Vec<u8>,
    counts: (u64, u64, u64),
}

fn run_lib(cleaner: &Cleaner, sources: &[Source], options: &Options, out: Option<&Path>) -> Run {
    let (mut stream, mut changes, mut rejects) = (Vec::new(), Vec::new(), Vec::new());
    let target = match out {
        Some(dir) => Target::Dir(dir.to_path_buf()),
        None => Target::Stream(&mut stream),
    };
    let mut sink = Sink {
        target,
        changes: Some(&mut changes),
        rejects: Some(&mut rejects),
    };
    let report = pipeline::run(cleaner, sources, options, &mut sink).unwrap();
    let d = &report.documents;
    let files = match out {
        Some(dir) => snapshot(dir),
        None => vec![(PathBuf::from("stream"), stream)],
    };
    Run {
        files,
        changes,
        rejects,
        counts: (d.read, d.written, d.rejected),
    }
}

#[test]
fn outputs_match_cleaning_each_file_alone() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    many_small_files(&input);
    // Among them: a file bigger than a chunk (streamed) and a small gzip file that holds more
    // than a chunk (found out only when read).
    let big: String = (0..40).map(|i| doc(Some(&format!("big-{i}")), i)).collect();
    write(&input.join("j/050-big.jsonl"), &big);
    write(&input.join("j/051-bomb.jsonl.gz"), gz(big.as_bytes()));
    let sources = pipeline::discover(std::slice::from_ref(&input), None, &[]).unwrap();
    assert!(sources.len() > 100);
    let cleaner = Cleaner::new(Config::default()).unwrap();
    for compress in [None, Some(textmend::io::Compression::Gz)] {
        for threads in [1, 3] {
            let options = Options {
                threads,
                chunk_bytes: 1500,
                chunk_docs: 9,
                compress,
                ..Options::default()
            };
            // Into a directory: the same files; the logs are the logs of each file in turn.
            let name = format!("together-{threads}-{compress:?}");
            let together = run_lib(&cleaner, &sources, &options, Some(&t.path().join(&name)));
            let (mut changes, mut rejects, mut counts) = (Vec::new(), Vec::new(), (0, 0, 0));
            for (k, s) in sources.iter().enumerate() {
                let dir = t.path().join(format!("alone-{threads}-{compress:?}-{k}"));
                let alone = run_lib(&cleaner, std::slice::from_ref(s), &options, Some(&dir));
                for (rel, bytes) in &alone.files {
                    if !["changes.jsonl", "rejects.jsonl"].contains(&&*rel.to_string_lossy()) {
                        let found = together.files.iter().find(|(r, _)| r == rel);
                        assert_eq!(found.map(|f| &f.1), Some(bytes), "{rel:?} ({name})");
                    }
                }
                changes.extend(alone.changes);
                rejects.extend(alone.rejects);
                counts.0 += alone.counts.0;
                counts.1 += alone.counts.1;
                counts.2 += alone.counts.2;
            }
            assert!(together.changes == changes, "change log ({name})");
            assert!(together.rejects == rejects, "rejects ({name})");
            assert_eq!(together.counts, counts, "{name}");
            // Into a stream: each file's output in turn.
            let together = run_lib(&cleaner, &sources, &options, None);
            let mut stream = Vec::new();
            for s in &sources {
                stream.extend(
                    run_lib(&cleaner, std::slice::from_ref(s), &options, None).files[0]
                        .1
                        .clone(),
                );
            }
            assert!(together.files[0].1 == stream, "stream ({name})");
        }
    }
}

/// Options of a checkpointed run (2 threads, chunks of 10 documents) whose checkpoint is
/// `root/DIR.progress`; with `stop`, the run stops after its first chunk written.
fn resumable(
    root: &Path,
    dir: &str,
    fingerprint: &str,
    stop: bool,
    resume: Option<Checkpoint>,
) -> Options {
    Options {
        threads: 2,
        chunk_docs: 10,
        checkpoint: Some(CheckpointSpec {
            path: root.join(format!("{dir}.progress")),
            fingerprint: fingerprint.into(),
        }),
        stop: Some(Arc::new(AtomicBool::new(stop))),
        resume,
        ..Options::default()
    }
}

#[test]
fn an_interrupted_run_over_many_small_files_resumes_to_the_same_bytes() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    many_small_files(&input);
    let sources = pipeline::discover(&[input], None, &[]).unwrap();
    let cleaner = Cleaner::new(Config::default()).unwrap();
    let options = |dir: &str, stop: bool, resume: Option<Checkpoint>| {
        resumable(t.path(), dir, "many", stop, resume)
    };
    let full = run_lib(
        &cleaner,
        &sources,
        &options("full", false, None),
        Some(&t.path().join("full")),
    );
    // Stopped after its first batch of files, then resumed (possibly several times).
    let part = t.path().join("part");
    let (mut changes, mut rejects) = (Vec::new(), Vec::new());
    let mut resume = None;
    let mut stops = 0;
    loop {
        let stop = stops < 3;
        let mut sink = Sink {
            target: Target::Dir(part.clone()),
            changes: Some(&mut changes),
            rejects: Some(&mut rejects),
        };
        let r = pipeline::run(
            &cleaner,
            &sources,
            &options("part", stop, resume.clone()),
            &mut sink,
        );
        match r {
            Err(pipeline::Error::Interrupted) => {
                stops += 1;
                let cp = Checkpoint::load(&t.path().join("part.progress")).unwrap();
                assert!(cp.source > 0 && cp.source < sources.len(), "{}", cp.source);
                changes.truncate(cp.changes_len as usize);
                rejects.truncate(cp.rejects_len as usize);
                resume = Some(cp);
            }
            Ok(report) => {
                let d = &report.documents;
                assert_eq!((d.read, d.written, d.rejected), full.counts);
                break;
            }
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(stops, 3);
    assert!(snapshot(&part) == full.files, "outputs differ");
    assert!(changes == full.changes, "change logs differ");
    assert!(rejects == full.rejects, "rejects differ");
}

/// A big gzip JSONL file is streamed a chunk at a time into a gzip output of one or more members
/// per chunk. Stopped after each chunk, the checkpoint lies inside the file; the partial output
/// is cut between members and appended to, and the resumed run ends with the bytes of an
/// uninterrupted one, which decompress to the uncompressed run's output.
#[test]
fn an_interrupted_compressed_stream_resumes_mid_file_to_the_same_bytes() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    let text: String = (0..60).map(|i| doc(Some(&format!("d{i}")), i)).collect();
    write(&input.join("big.jsonl.gz"), gz(text.as_bytes()));
    let sources = pipeline::discover(&[input], None, &[]).unwrap();
    let cleaner = Cleaner::new(Config::default()).unwrap();
    let options = |dir: &str, stop: bool, resume: Option<Checkpoint>| {
        resumable(t.path(), dir, "gz", stop, resume)
    };
    let full = run_lib(
        &cleaner,
        &sources,
        &options("full", false, None),
        Some(&t.path().join("full")),
    );
    let plain = run_lib(
        &cleaner,
        &sources,
        &Options {
            compress: Some(textmend::io::Compression::None),
            ..options("plain", false, None)
        },
        Some(&t.path().join("plain")),
    );
    let part = t.path().join("part");
    let (mut changes, mut rejects) = (Vec::new(), Vec::new());
    let mut resume = None;
    let mut lines_at_stops = Vec::new();
    loop {
        let stop = lines_at_stops.len() < 3;
        let mut sink = Sink {
            target: Target::Dir(part.clone()),
            changes: Some(&mut changes),
            rejects: Some(&mut rejects),
        };
        match pipeline::run(
            &cleaner,
            &sources,
            &options("part", stop, resume.clone()),
            &mut sink,
        ) {
            Err(pipeline::Error::Interrupted) => {
                let cp = Checkpoint::load(&t.path().join("part.progress")).unwrap();
                assert_eq!(cp.source, 0, "still inside the one file");
                // The partial output, cut where the checkpoint says, is valid gzip.
                let partial = std::fs::read_dir(&part)
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .find(|p| p.to_string_lossy().contains("big.jsonl.gz"))
                    .expect("a partial output");
                let bytes = std::fs::read(partial).unwrap();
                let cut = &bytes[..cp.out_len as usize];
                let mut got = String::new();
                std::io::Read::read_to_string(
                    &mut flate2::read::MultiGzDecoder::new(cut),
                    &mut got,
                )
                .unwrap();
                assert_eq!(got.lines().count() as u64, cp.lines);
                lines_at_stops.push(cp.lines);
                changes.truncate(cp.changes_len as usize);
                rejects.truncate(cp.rejects_len as usize);
                resume = Some(cp);
            }
            Ok(_) => break,
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(
        lines_at_stops,
        [10, 20, 30],
        "one chunk written per stopped run"
    );
    assert!(snapshot(&part) == full.files, "outputs differ");
    assert!(changes == full.changes, "change logs differ");
    let (gz_out, plain_out) = (&full.files, &plain.files);
    let find = |files: &[(PathBuf, Vec<u8>)], name: &str| {
        files
            .iter()
            .find(|(p, _)| p == Path::new(name))
            .unwrap()
            .1
            .clone()
    };
    let mut unzipped = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::MultiGzDecoder::new(&find(gz_out, "big.jsonl.gz")[..]),
        &mut unzipped,
    )
    .unwrap();
    assert_eq!(unzipped, find(plain_out, "big.jsonl"));
}

/// A text of `lines` lines of made-up words (no two lines alike), with a space before each
/// comma and full stop for generic/spacing to remove: `dense` puts a comma after every word, so
/// that the change log is many times the size of the text.
fn spaced_text(seed: u64, lines: usize, dense: bool) -> String {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut s = String::new();
    for _ in 0..lines {
        for k in 0..16 {
            let len = 2 + next() % 7;
            let word: String = (0..len)
                .map(|_| (b'a' + (next() % 26) as u8) as char)
                .collect();
            s.push_str(&word);
            s.push_str(if dense || k == 10 { " , " } else { " " });
        }
        s.push_str("end .\n");
    }
    s
}

#[test]
fn large_change_logs_are_the_logs_of_each_document_in_turn() {
    // Parts whose change-log lines pass a mebibyte (and, for JSONL, whose outputs do too) are
    // written with the change log on a thread of its own; the log must still come in input
    // order, whole.
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    for i in 0..160 {
        write(
            &input.join(format!("t/{i:03}.txt")),
            spaced_text(i, 24, true),
        );
    }
    let jsonl: String = (0..170)
        .map(|i| {
            let text = spaced_text(1000 + i, 60, false);
            serde_json::json!({"id": format!("d{i}"), "text": text}).to_string() + "\n"
        })
        .collect();
    write(&input.join("all.jsonl"), &jsonl);
    let cleaner = Cleaner::new(Config::default()).unwrap();
    let txt = pipeline::discover(&[input.join("t")], None, &[]).unwrap();
    let one = pipeline::discover(&[input.join("all.jsonl")], None, &[]).unwrap();
    for threads in [1, 3] {
        let options = Options {
            threads,
            ..Options::default()
        };
        // Text files (in eight parts): the change log of each file alone, in turn.
        let dir = t.path().join(format!("txt-{threads}"));
        let together = run_lib(&cleaner, &txt, &options, Some(&dir));
        assert!(
            together.changes.len() > 8 << 20,
            "{} bytes",
            together.changes.len()
        );
        let mut alone = Vec::new();
        for (k, s) in txt.iter().enumerate() {
            let d = t.path().join(format!("alone-{threads}-{k}"));
            alone.extend(run_lib(&cleaner, std::slice::from_ref(s), &options, Some(&d)).changes);
        }
        assert!(together.changes == alone, "text files, {threads} threads");
        // One JSONL: the same as chunks of one document each.
        let dir = t.path().join(format!("jsonl-{threads}"));
        let whole = run_lib(&cleaner, &one, &options, Some(&dir));
        let out = &whole
            .files
            .iter()
            .find(|f| f.0.ends_with("all.jsonl"))
            .unwrap()
            .1;
        assert!(out.len() > 1 << 20, "{} bytes of output", out.len());
        assert!(
            whole.changes.len() > 1 << 20,
            "{} bytes of change log",
            whole.changes.len()
        );
        let small = Options {
            chunk_docs: 1,
            ..options
        };
        let dir = t.path().join(format!("jsonl-small-{threads}"));
        let by_one = run_lib(&cleaner, &one, &small, Some(&dir));
        assert!(
            whole.changes == by_one.changes,
            "JSONL change log, {threads} threads"
        );
        assert_eq!(whole.files, by_one.files, "JSONL output, {threads} threads");
        assert_eq!(whole.counts, (170, 170, 0));
    }
}
