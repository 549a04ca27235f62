//! End-to-end tests of the `textmend` binary: files in, files out, change log replay, report
//! counts, JSONL pass-through, compression, streaming, rejects, exit codes, determinism.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

const DIRTY: &str = "Sales rose , the company said .\nProfits fell ; costs rose .\n";

struct Out {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

fn textmend(args: &[&str], cwd: &Path, stdin: Option<&[u8]>) -> Out {
    let mut child = Command::new(env!("CARGO_BIN_EXE_textmend"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let out = child.wait_with_output().unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn json_lines(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

fn report(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap()
}

/// Applies a document's edit lines (sorted by start) to its original bytes.
fn replay(original: &[u8], edits: &[&Value]) -> Vec<u8> {
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
                e["after"].as_str().unwrap(),
            )
        })
        .collect();
    edits.sort_by_key(|e| (e.0, e.1));
    let mut out = Vec::new();
    let mut pos = 0;
    for (s, e, after) in edits {
        assert!(
            s >= pos && e <= original.len() && s <= e,
            "edits overlap or out of range"
        );
        out.extend_from_slice(&original[pos..s]);
        out.extend_from_slice(after.as_bytes());
        pos = e;
    }
    out.extend_from_slice(&original[pos..]);
    out
}

/// Edit lines of the change log, by document.
fn edits_by_doc(changes: &[Value]) -> BTreeMap<String, Vec<&Value>> {
    let mut m: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for c in changes {
        match c["type"].as_str() {
            Some("edit") => m
                .entry(c["doc"].as_str().unwrap().to_string())
                .or_default()
                .push(c),
            Some("flag") => assert!(c["message"].is_string(), "{c}"),
            other => panic!("unknown line type {other:?}"),
        }
    }
    m
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            v.extend(files_under(&p));
        } else {
            v.push(p);
        }
    }
    v.sort();
    v
}

fn assert_reconciles(r: &Value) {
    let d = &r["documents"];
    assert_eq!(
        d["read"].as_u64().unwrap(),
        d["written"].as_u64().unwrap() + d["rejected"].as_u64().unwrap(),
        "{r}"
    );
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut s = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_end(&mut s)
        .unwrap();
    s
}

#[test]
fn text_directory_keeps_relative_paths_and_the_change_log_replays() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    write(&input.join("a.txt"), DIRTY);
    write(
        &input.join("sub/deeper/b.txt"),
        "Clean text stays as it is.\n",
    );
    write(&input.join("sub/c.txt"), "One , two .\r\nThree .\n");
    write(&input.join("notes.md"), "not an input ,\n");
    write(&input.join(".hidden.txt"), "skipped ,\n");
    let r = textmend(&["clean", "in", "--out", "out", "--quiet"], t.path(), None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "--quiet prints nothing: {}", r.stderr);
    let out = t.path().join("out");
    let names: Vec<String> = files_under(&out)
        .iter()
        .map(|p| {
            p.strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    assert_eq!(
        names,
        [
            "a.txt",
            "changes.jsonl",
            "rejects.jsonl",
            "report.json",
            "sub/c.txt",
            "sub/deeper/b.txt"
        ]
    );
    assert_eq!(
        std::fs::read(out.join("sub/deeper/b.txt")).unwrap(),
        b"Clean text stays as it is.\n"
    );
    assert_ne!(std::fs::read(out.join("a.txt")).unwrap(), DIRTY.as_bytes());

    let changes = json_lines(&std::fs::read(out.join("changes.jsonl")).unwrap());
    let by_doc = edits_by_doc(&changes);
    assert!(
        by_doc.contains_key("a.txt") && by_doc.contains_key("sub/c.txt"),
        "{by_doc:?}"
    );
    for doc in ["a.txt", "sub/c.txt", "sub/deeper/b.txt"] {
        let original = std::fs::read(input.join(doc)).unwrap();
        let edits = by_doc.get(doc).cloned().unwrap_or_default();
        assert_eq!(
            replay(&original, &edits),
            std::fs::read(out.join(doc)).unwrap(),
            "{doc}"
        );
        for e in &edits {
            let (s, end) = (
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(e["before"].as_str().unwrap().as_bytes(), &original[s..end]);
            for key in ["rule", "kind", "confidence"] {
                assert!(e[key].is_string(), "{key} in {e}");
            }
        }
    }
    let rep = report(&out);
    assert_reconciles(&rep);
    assert_eq!(rep["documents"]["read"], 3);
    assert_eq!(rep["documents"]["rejected"], 0);
    let per_rule: u64 = rep["edits"]["per_rule"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    let edit_lines = changes.iter().filter(|c| c["type"] == "edit").count() as u64;
    assert_eq!(per_rule, edit_lines);
    assert_eq!(rep["edits"]["total"], edit_lines);
    assert_eq!(
        rep["languages"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum::<u64>(),
        3
    );
    assert_eq!(rep["textmend_version"], env!("CARGO_PKG_VERSION"));
    assert!(rep["elapsed_seconds"].is_number() && rep["mb_per_s"].is_number());
}

#[test]
fn seeds_replay() {
    let t = tempfile::tempdir().unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds");
    let r = textmend(
        &["clean", seeds.to_str().unwrap(), "--out", "out", "--json"],
        t.path(),
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rep: Value = serde_json::from_slice(&r.stdout).expect("--json prints the report");
    assert_reconciles(&rep);
    let out = t.path().join("out");
    let changes = json_lines(&std::fs::read(out.join("changes.jsonl")).unwrap());
    let by_doc = edits_by_doc(&changes);
    let mut n = 0;
    for e in std::fs::read_dir(&seeds).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        let edits = by_doc.get(&name).cloned().unwrap_or_default();
        assert_eq!(
            replay(&std::fs::read(&p).unwrap(), &edits),
            std::fs::read(out.join(&name)).unwrap(),
            "{name}"
        );
        n += 1;
    }
    assert_eq!(rep["documents"]["written"], n);
}

#[test]
fn jsonl_fields_pass_through_in_order() {
    let t = tempfile::tempdir().unwrap();
    let lines = [
        r#"{"id":"doc-1","url":"http://x/1","text":"Sales rose , it said .","score":1.10,"big":12345678901234567890,"tags":["a", "b"]}"#,
        r#"{"text":"No id here , at all .","metadata":{"source":"wire"}}"#,
        r#"{"id":7,"metadata":"plain","text":"Fine."}"#,
    ];
    write(&t.path().join("corpus.jsonl"), lines.join("\n") + "\n");
    let r = textmend(
        &["clean", "corpus.jsonl", "-o", "out", "-q"],
        t.path(),
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = std::fs::read_to_string(t.path().join("out/corpus.jsonl")).unwrap();
    let outs: Vec<&str> = out.lines().collect();
    assert_eq!(outs.len(), 3);
    // Untouched fields keep their bytes and order.
    assert!(
        outs[0].starts_with(r#"{"id":"doc-1","url":"http://x/1","text":""#),
        "{}",
        outs[0]
    );
    assert!(
        outs[0].contains(
            r#","score":1.10,"big":12345678901234567890,"tags":["a", "b"],"metadata":{"textmend":{"#
        ),
        "{}",
        outs[0]
    );
    let v: Vec<Value> = outs
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let tm = &v[0]["metadata"]["textmend"];
    for key in [
        "lang",
        "lang_confidence",
        "artifact_score",
        "edits",
        "flags",
        "extracted",
    ] {
        assert!(!tm[key].is_null(), "{key} missing in {tm}");
    }
    let keys: Vec<&String> = tm.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "lang",
            "lang_confidence",
            "artifact_score",
            "edits",
            "flags",
            "extracted"
        ]
    );
    assert_eq!(v[1]["metadata"]["source"], "wire");
    assert!(v[1]["metadata"]["textmend"].is_object());
    assert_eq!(v[2]["metadata"], "plain");
    assert!(
        v[2]["textmend"].is_object(),
        "non-object metadata: summary goes top level"
    );

    let changes = json_lines(&std::fs::read(t.path().join("out/changes.jsonl")).unwrap());
    let by_doc = edits_by_doc(&changes);
    assert!(by_doc.contains_key("doc-1"));
    assert!(
        by_doc.contains_key("corpus.jsonl:2"),
        "missing id -> <file>:<line>: {:?}",
        by_doc.keys()
    );
    for (i, line) in lines.iter().enumerate() {
        let inp: Value = serde_json::from_str(line).unwrap();
        let doc = match &inp["id"] {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => format!("corpus.jsonl:{}", i + 1),
        };
        let edits = by_doc.get(&doc).cloned().unwrap_or_default();
        let replayed = replay(inp["text"].as_str().unwrap().as_bytes(), &edits);
        assert_eq!(replayed, v[i]["text"].as_str().unwrap().as_bytes());
    }
}

#[test]
fn gz_and_zst_round_trip() {
    let t = tempfile::tempdir().unwrap();
    let plain: String = (0..40)
        .map(|i| format!("{{\"id\":{i},\"text\":\"Item {i} rose , it said .\"}}\n"))
        .collect();
    write(&t.path().join("plain/c.jsonl"), &plain);
    write(&t.path().join("gz/c.jsonl.gz"), gz(plain.as_bytes()));
    write(
        &t.path().join("zst/c.jsonl.zst"),
        zstd::encode_all(plain.as_bytes(), 3).unwrap(),
    );
    for d in ["plain", "gz", "zst"] {
        let r = textmend(
            &["clean", d, "--out", &format!("out-{d}"), "-q"],
            t.path(),
            None,
        );
        assert_eq!(r.code, 0, "{d}: {}", r.stderr);
    }
    let expect = std::fs::read(t.path().join("out-plain/c.jsonl")).unwrap();
    assert_eq!(expect.iter().filter(|&&b| b == b'\n').count(), 40);
    assert_eq!(
        gunzip(&std::fs::read(t.path().join("out-gz/c.jsonl.gz")).unwrap()),
        expect
    );
    assert_eq!(
        zstd::decode_all(&std::fs::read(t.path().join("out-zst/c.jsonl.zst")).unwrap()[..])
            .unwrap(),
        expect
    );
    for d in ["plain", "gz", "zst"] {
        let a = std::fs::read(t.path().join(format!("out-{d}/changes.jsonl"))).unwrap();
        assert_eq!(
            a,
            std::fs::read(t.path().join("out-plain/changes.jsonl")).unwrap(),
            "{d}"
        );
    }
    // --compress changes the output's compression and extension.
    let r = textmend(
        &[
            "clean",
            "gz/c.jsonl.gz",
            "--out",
            "re",
            "--compress",
            "zst",
            "-q",
        ],
        t.path(),
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        zstd::decode_all(&std::fs::read(t.path().join("re/c.jsonl.zst")).unwrap()[..]).unwrap(),
        expect
    );
    let r = textmend(
        &[
            "clean",
            "zst/c.jsonl.zst",
            "--out",
            "re2",
            "--compress",
            "none",
            "-q",
        ],
        t.path(),
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read(t.path().join("re2/c.jsonl")).unwrap(), expect);
    // Compressed stdin is recognised; stdout can be compressed too.
    let r = textmend(
        &["clean", "-", "--compress", "gz"],
        t.path(),
        Some(&gz(plain.as_bytes())),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(gunzip(&r.stdout), expect);
}

/// The number of gzip members in `bytes` (each is decoded to find where the next starts).
fn gzip_members(bytes: &[u8]) -> usize {
    let mut rest = bytes;
    let mut n = 0;
    while !rest.is_empty() {
        let mut d = flate2::bufread::GzDecoder::new(rest);
        std::io::copy(&mut d, &mut std::io::sink()).unwrap();
        rest = d.into_inner();
        n += 1;
    }
    n
}

/// A compressed output bigger than one member is written as several members (compressed on the
/// pool): any gzip or zstd reader gets the whole text back, and the bytes do not depend on the
/// thread count.
#[test]
fn large_compressed_outputs_are_members_that_decode_to_the_whole_text() {
    let t = tempfile::tempdir().unwrap();
    // About 2.6 MB of output, streamed in chunks of 500 documents (a file that fits in one
    // chunk is cleaned with its neighbours instead).
    let para = "The plant makes parts for cars and ships them by rail to the port. ";
    let plain: String = (0..1300)
        .map(|i| format!("{{\"id\":{i},\"text\":\"{i} {}\"}}\n", para.repeat(30)))
        .collect();
    write(&t.path().join("in/c.jsonl"), &plain);
    let mut outputs = Vec::new();
    for (c, threads) in [("none", "2"), ("gz", "1"), ("gz", "3"), ("zst", "2")] {
        let out = format!("out-{c}-{threads}");
        let r = textmend(
            &[
                "clean",
                "in",
                "--out",
                &out,
                "--compress",
                c,
                "-q",
                "--threads",
                threads,
                "--chunk-docs",
                "500",
            ],
            t.path(),
            None,
        );
        assert_eq!(r.code, 0, "{c}: {}", r.stderr);
        let name = match c {
            "none" => "c.jsonl",
            "gz" => "c.jsonl.gz",
            _ => "c.jsonl.zst",
        };
        outputs.push(std::fs::read(t.path().join(&out).join(name)).unwrap());
    }
    let expect = &outputs[0];
    assert!(expect.len() > 2_500_000, "{}", expect.len());
    assert_eq!(expect.iter().filter(|&&b| b == b'\n').count(), 1300);
    assert_eq!(&gunzip(&outputs[1]), expect);
    assert_eq!(
        outputs[1], outputs[2],
        "gzip bytes differ between 1 and 3 threads"
    );
    // At least one member per chunk; a chunk of over 1 MiB of output has two.
    let members = gzip_members(&outputs[1]);
    assert!((3..=6).contains(&members), "{members} members");
    assert_eq!(&zstd::decode_all(&outputs[3][..]).unwrap(), expect);
    // An empty input still gives a valid (empty) compressed file.
    write(&t.path().join("empty/e.jsonl"), "");
    for c in ["gz", "zst"] {
        let r = textmend(
            &[
                "clean",
                "empty",
                "--out",
                &format!("e-{c}"),
                "--compress",
                c,
                "-q",
            ],
            t.path(),
            None,
        );
        assert_eq!(r.code, 0, "{c}: {}", r.stderr);
    }
    assert_eq!(
        gunzip(&std::fs::read(t.path().join("e-gz/e.jsonl.gz")).unwrap()),
        b""
    );
    assert_eq!(
        zstd::decode_all(&std::fs::read(t.path().join("e-zst/e.jsonl.zst")).unwrap()[..]).unwrap(),
        b""
    );
}

#[test]
fn stdin_streams_one_line_out_per_line_in() {
    let t = tempfile::tempdir().unwrap();
    let input = concat!(
        "{\"id\":\"a\",\"text\":\"Sales rose , it said .\"}\n",
        "{not json\n",
        "\n",
        "{\"id\":\"b\",\"body\":\"no text field\"}\n",
        "{\"id\":\"c\",\"text\":\"Costs fell .\"}"
    );
    let r = textmend(
        &[
            "clean",
            "-",
            "--changes",
            "ch.jsonl",
            "--rejects",
            "rej.jsonl",
            "--report",
            "rep.json",
        ],
        t.path(),
        Some(input.as_bytes()),
    );
    assert_eq!(r.code, 1, "rejects -> exit 1: {}", r.stderr);
    let out = String::from_utf8(r.stdout).unwrap();
    let outs: Vec<&str> = out.split_terminator('\n').collect();
    let ins: Vec<&str> = input.split('\n').collect();
    assert_eq!(outs.len(), ins.len(), "{out}");
    assert_eq!(outs[1], ins[1], "malformed line written through");
    assert_eq!(outs[2], "");
    assert_eq!(outs[3], ins[3]);
    assert!(outs[0].contains("\"id\":\"a\"") && outs[4].contains("\"id\":\"c\""));
    let rejects = json_lines(&std::fs::read(t.path().join("rej.jsonl")).unwrap());
    let lines: Vec<u64> = rejects
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [2, 4]);
    assert_eq!(rejects[0]["original"], "{not json");
    assert_eq!(rejects[0]["file"], "stdin");
    let rep: Value =
        serde_json::from_slice(&std::fs::read(t.path().join("rep.json")).unwrap()).unwrap();
    assert_eq!(rep["documents"]["read"], 4);
    assert_eq!(rep["documents"]["written"], 2);
    assert_eq!(rep["documents"]["rejected"], 2);
    let changes = json_lines(&std::fs::read(t.path().join("ch.jsonl")).unwrap());
    assert!(changes.iter().all(|c| c["doc"] == "a" || c["doc"] == "c"));
    assert!(!changes.is_empty());
}

#[test]
fn stdin_plain_text() {
    let t = tempfile::tempdir().unwrap();
    let r = textmend(
        &["clean", "-", "--input-format", "txt", "-q"],
        t.path(),
        Some(DIRTY.as_bytes()),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = String::from_utf8(r.stdout).unwrap();
    assert!(!out.contains(" ,") && !out.contains(" ."), "{out}");
    assert!(out.starts_with("Sales rose"));
}

#[test]
fn bad_lines_are_rejected_with_line_numbers() {
    let t = tempfile::tempdir().unwrap();
    let input = concat!(
        "{\"id\":1,\"text\":\"Good , line.\"}\n",
        "{\"id\":2,\"body\":\"missing text\"}\n",
        "{\"id\":3,\"text\":42}\n",
        "{\"id\":4,\"text\":\"unterminated\n",
        "[1,2,3]\n",
        "{\"id\":6,\"text\":\"Also good.\"}\n"
    );
    write(&t.path().join("in/data.jsonl"), input);
    let r = textmend(&["clean", "in", "--out", "out"], t.path(), None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("4 rejected"), "{}", r.stderr);
    let out = t.path().join("out");
    let rep = report(&out);
    assert_reconciles(&rep);
    assert_eq!(rep["documents"]["read"], 6);
    assert_eq!(rep["documents"]["written"], 2);
    let listed: Vec<(u64, String)> = rep["rejects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(listed.iter().map(|l| l.0).collect::<Vec<_>>(), [2, 3, 4, 5]);
    assert!(listed[0].1.contains("missing field \"text\""), "{listed:?}");
    assert!(listed[1].1.contains("not a string"), "{listed:?}");
    assert!(listed[2].1.starts_with("invalid JSON"), "{listed:?}");
    assert!(listed[3].1.contains("not a JSON object"), "{listed:?}");
    assert!(rep["rejects"][0]["file"]
        .as_str()
        .unwrap()
        .ends_with("data.jsonl"));
    let rejects = json_lines(&std::fs::read(out.join("rejects.jsonl")).unwrap());
    assert_eq!(rejects.len(), 4);
    assert_eq!(rejects[1]["original"], "{\"id\":3,\"text\":42}");
    let written = std::fs::read_to_string(out.join("data.jsonl")).unwrap();
    assert_eq!(written.lines().count(), 2);
}

#[test]
fn unreadable_and_invalid_utf8_files_are_rejected() {
    let t = tempfile::tempdir().unwrap();
    write(&t.path().join("in/good.txt"), DIRTY);
    write(
        &t.path().join("in/bad.txt"),
        b"first line\nsecond \xff line\n",
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        t.path().join("in/missing-target"),
        t.path().join("in/dangling.txt"),
    )
    .unwrap();
    let r = textmend(
        &["clean", "in", "--out", "out", "--strict", "-q"],
        t.path(),
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let rep = report(&t.path().join("out"));
    assert_reconciles(&rep);
    let rejects = rep["rejects"].as_array().unwrap();
    let bad = rejects
        .iter()
        .find(|r| r["file"].as_str().unwrap().ends_with("bad.txt"))
        .expect("bad.txt rejected");
    assert_eq!(bad["line"], 2);
    assert!(bad["reason"].as_str().unwrap().contains("UTF-8"));
    assert!(!t.path().join("out/bad.txt").exists());
    #[cfg(unix)]
    {
        let d = rejects
            .iter()
            .find(|r| r["file"].as_str().unwrap().ends_with("dangling.txt"))
            .expect("dangling rejected");
        assert!(d["reason"].as_str().unwrap().starts_with("cannot read"));
        assert_eq!(rep["documents"]["rejected"], 2);
    }
    // Without --strict the bytes are repaired (and the repair is in the change log).
    let r = textmend(
        &["clean", "in/bad.txt", "--out", "out2", "-q"],
        t.path(),
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(t.path().join("out2/bad.txt")).unwrap(),
        "first line\nsecond \u{FFFD} line\n"
    );
    let changes = json_lines(&std::fs::read(t.path().join("out2/changes.jsonl")).unwrap());
    let by_doc = edits_by_doc(&changes);
    assert_eq!(
        replay(b"first line\nsecond \xff line\n", &by_doc["bad.txt"]),
        std::fs::read(t.path().join("out2/bad.txt")).unwrap()
    );
}

fn assert_one_line_error(r: &Out, needle: &str) {
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "one line: {:?}", r.stderr);
    assert!(r.stderr.starts_with("textmend: "), "{:?}", r.stderr);
    assert!(r.stderr.contains(needle), "{needle:?} in {:?}", r.stderr);
}

#[test]
fn fatal_errors_exit_2_with_one_line() {
    let t = tempfile::tempdir().unwrap();
    write(&t.path().join("in/a.txt"), DIRTY);
    let r = textmend(&["clean", "no-such-dir", "--out", "out"], t.path(), None);
    assert_one_line_error(&r, "no-such-dir");
    assert!(
        !t.path().join("out").exists(),
        "nothing written for a missing input"
    );

    write(&t.path().join("a-file"), "x");
    let r = textmend(&["clean", "in", "--out", "a-file/out"], t.path(), None);
    assert_one_line_error(&r, "a-file/out");

    let r = textmend(
        &["clean", "in", "--out", "out", "--disable", "nope/rule"],
        t.path(),
        None,
    );
    assert_one_line_error(&r, "nope/rule");

    let r = textmend(
        &["clean", "in", "--out", "out", "--dict", "bad-spec"],
        t.path(),
        None,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);

    let r = textmend(&["clean", "in"], t.path(), None);
    assert_one_line_error(&r, "--out");

    // No temporary files are left behind anywhere.
    for p in files_under(t.path()) {
        assert!(
            !p.file_name().unwrap().to_string_lossy().starts_with('.'),
            "left over: {}",
            p.display()
        );
    }
}

#[test]
fn unknown_config_key_names_file_and_line() {
    let t = tempfile::tempdir().unwrap();
    write(&t.path().join("in/a.txt"), DIRTY);
    write(
        &t.path().join("textmend.toml"),
        "disable = []\nbogus_key = 1\n",
    );
    let r = textmend(&["clean", "in", "--out", "out"], t.path(), None);
    assert_one_line_error(&r, "textmend.toml:2:");
    assert!(r.stderr.contains("bogus_key"), "{}", r.stderr);

    write(
        &t.path().join("other.toml"),
        "min_confidence = \"sometimes\"\n",
    );
    let r = textmend(
        &["clean", "in", "--out", "out", "--config", "other.toml"],
        t.path(),
        None,
    );
    assert_one_line_error(&r, "other.toml:1:");
}

#[test]
fn config_file_applies_and_flags_override() {
    let t = tempfile::tempdir().unwrap();
    write(&t.path().join("in/a.txt"), DIRTY);
    write(
        &t.path().join("textmend.toml"),
        "disable = [\"generic/spacing\"]\n",
    );
    let r = textmend(&["clean", "in", "--out", "off", "-q"], t.path(), None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let off = std::fs::read_to_string(t.path().join("off/a.txt")).unwrap();
    assert!(
        off.contains("rose , the"),
        "config disabled the rule: {off}"
    );
    let r = textmend(
        &[
            "clean",
            "in",
            "--out",
            "on",
            "-q",
            "--enable",
            "generic/spacing",
        ],
        t.path(),
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let on = std::fs::read_to_string(t.path().join("on/a.txt")).unwrap();
    assert!(on.contains("rose, the"), "flag re-enabled the rule: {on}");
}

#[test]
fn same_bytes_for_any_thread_count() {
    let t = tempfile::tempdir().unwrap();
    let mut jsonl = String::new();
    for i in 0..120 {
        let text = match i % 4 {
            0 => format!("Item {i} rose , it said .\\nMore text ; here ."),
            1 => format!("Plain sentence number {i}."),
            2 => "{broken".to_string(),
            _ => format!("Costs fell {i} % , analysts said ."),
        };
        if i % 4 == 2 {
            jsonl.push_str("{broken\n");
        } else {
            jsonl.push_str(&format!("{{\"id\":\"d{i}\",\"text\":\"{text}\"}}\n"));
        }
    }
    write(&t.path().join("in/corpus.jsonl"), &jsonl);
    for i in 0..30 {
        write(
            &t.path().join(format!("in/txt/{i:03}.txt")),
            format!("Doc {i} , with spaces .\n").repeat(i + 1),
        );
    }
    let mut outs = Vec::new();
    for n in ["1", "2", "3"] {
        let dir = format!("out{n}");
        let r = textmend(
            &[
                "clean",
                "in",
                "--out",
                &dir,
                "--threads",
                n,
                "--chunk-docs",
                "7",
                "-q",
            ],
            t.path(),
            None,
        );
        assert_eq!(r.code, 1, "{}", r.stderr);
        let root = t.path().join(&dir);
        let files: Vec<(PathBuf, Vec<u8>)> = files_under(&root)
            .into_iter()
            .filter(|p| !p.ends_with("report.json"))
            .map(|p| {
                (
                    p.strip_prefix(&root).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect();
        let mut rep = report(&root);
        rep["elapsed_seconds"] = Value::Null;
        rep["mb_per_s"] = Value::Null;
        outs.push((files, rep));
        let s = textmend(
            &["clean", "-", "--threads", n, "--chunk-docs", "5", "-q"],
            t.path(),
            Some(jsonl.as_bytes()),
        );
        outs.last_mut()
            .unwrap()
            .0
            .push((PathBuf::from("stdout"), s.stdout));
    }
    assert_eq!(
        outs[0].0.len(),
        34,
        "{:?}",
        outs[0].0.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert_eq!(outs[0], outs[1]);
    assert_eq!(outs[0], outs[2]);
}

#[test]
fn rules_lists_every_rule() {
    let t = tempfile::tempdir().unwrap();
    let r = textmend(&["rules"], t.path(), None);
    assert_eq!(r.code, 0);
    let text = String::from_utf8(r.stdout).unwrap();
    assert!(text.contains("generic/spacing"), "{text}");
    assert!(text.contains(" -> "));
    let r = textmend(&["rules", "--format", "json"], t.path(), None);
    assert_eq!(r.code, 0);
    let v: Value = serde_json::from_slice(&r.stdout).unwrap();
    let rules = v.as_array().unwrap();
    assert!(!rules.is_empty());
    for rule in rules {
        assert!(rule["id"].as_str().unwrap().contains('/'));
        for key in ["kind", "description"] {
            assert!(rule[key].is_string(), "{rule}");
        }
        assert!(rule["default_on"].is_boolean());
        assert!(rule["example"]["before"].is_string() && rule["example"]["after"].is_string());
    }
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    // The byte-level stage's ids appear in change logs, so they are listed too.
    for id in [
        "generic/bom",
        "generic/invalid-utf8",
        "generic/line-endings",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
}

#[test]
fn help_and_version() {
    let t = tempfile::tempdir().unwrap();
    let r = textmend(&["--help"], t.path(), None);
    assert_eq!(r.code, 0);
    let help = String::from_utf8(r.stdout).unwrap();
    assert!(
        help.contains("Exit status") && help.contains("Examples"),
        "{help}"
    );
    let r = textmend(&["clean", "--help"], t.path(), None);
    let help = String::from_utf8(r.stdout).unwrap();
    assert!(
        help.contains("--threads") && help.contains("--input-format"),
        "{help}"
    );
    let r = textmend(&["--version"], t.path(), None);
    assert_eq!(
        String::from_utf8(r.stdout).unwrap().trim(),
        format!("textmend {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn closed_stdout_exits_quietly() {
    let t = tempfile::tempdir().unwrap();
    let line = "{\"text\":\"Sales rose , it said . Sales rose , it said .\"}\n";
    let input = line.repeat(50_000);
    let mut child = Command::new(env!("CARGO_BIN_EXE_textmend"))
        .args(["clean", "-", "-q"])
        .current_dir(t.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
