//! The catalogue of bad inputs (docs/bad-inputs.md): each one has a defined outcome -- a clear
//! error, or a reject with a reason, never a panic or a silent drop -- and the report's counts
//! reconcile (`read == written + rejected`). Also: exit codes, `--resume` after SIGKILL and
//! Ctrl-C, and user dictionaries that are malformed or huge.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

struct Out {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_textmend"));
    c.env("NO_COLOR", "1");
    c
}

fn textmend(args: &[&str], cwd: &Path) -> Out {
    let out = bin()
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .expect("binary runs");
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

fn json_lines(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// The report, after checking that its counts reconcile.
fn report(out: &Path) -> Value {
    let r: Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let d = &r["documents"];
    assert_eq!(
        d["read"].as_u64().unwrap(),
        d["written"].as_u64().unwrap() + d["rejected"].as_u64().unwrap(),
        "counts reconcile: {d}"
    );
    assert_eq!(
        d["rejected"].as_u64().unwrap() as usize,
        json_lines(&out.join("rejects.jsonl")).len(),
        "one rejects line per rejected document"
    );
    r
}

fn reasons(out: &Path) -> Vec<String> {
    json_lines(&out.join("rejects.jsonl"))
        .iter()
        .map(|r| r["reason"].as_str().unwrap().to_string())
        .collect()
}

/// Every file under `dir`, relative, sorted (hidden ones included).
fn files(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(root.join(rel)).unwrap() {
            let e = e.unwrap();
            let r = rel.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                walk(root, &r, out);
            } else {
                out.push(r);
            }
        }
    }
    let mut v = Vec::new();
    walk(dir, Path::new(""), &mut v);
    v.sort();
    v
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

#[test]
fn invalid_utf8_is_repaired_and_logged_or_rejected_under_strict() {
    let t = tempfile::tempdir().unwrap();
    write(&t.path().join("in/a.txt"), b"Sales rose \xff here.\n");
    write(
        &t.path().join("in/b.jsonl"),
        b"{\"id\":\"x\",\"text\":\"bad \xc3 byte\"}\n",
    );
    let o = textmend(&["clean", "in", "--out", "out", "-q"], t.path());
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        std::fs::read_to_string(t.path().join("out/a.txt")).unwrap(),
        "Sales rose \u{FFFD} here.\n"
    );
    let r = report(&t.path().join("out"));
    assert_eq!(r["edits"]["per_rule"]["generic/invalid-utf8"], 1);
    let o = textmend(
        &["clean", "in", "--out", "strict", "-q", "--strict"],
        t.path(),
    );
    assert_eq!(o.code, 1);
    let rs = reasons(&t.path().join("strict"));
    assert_eq!(rs.len(), 2);
    assert!(rs.iter().all(|r| r.starts_with("invalid UTF-8")), "{rs:?}");
    assert!(!t.path().join("strict/a.txt").exists());
}

fn utf16(text: &str, le: bool) -> Vec<u8> {
    let mut v = if le {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        v.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    v
}

#[test]
fn utf16_with_a_bom_is_decoded_not_mojibake() {
    let t = tempfile::tempdir().unwrap();
    let text = "Sales rose , the firm in 北京 said .\r\n";
    write(&t.path().join("in/le.txt"), utf16(text, true));
    write(&t.path().join("in/be.txt"), utf16(text, false));
    write(
        &t.path().join("in/x.jsonl"),
        utf16("{\"text\":\"a\"}\n", true),
    );
    let o = textmend(&["clean", "in", "--out", "out", "-q"], t.path());
    assert_eq!(o.code, 1, "{}", o.stderr);
    for f in ["le.txt", "be.txt"] {
        assert_eq!(
            std::fs::read_to_string(t.path().join("out").join(f)).unwrap(),
            "Sales rose, the firm in 北京 said.\n"
        );
    }
    let r = report(&t.path().join("out"));
    assert_eq!(r["transcoded"]["utf-16le"], 1);
    assert_eq!(r["transcoded"]["utf-16be"], 1);
    // The BOM's removal is in the change log (against the UTF-8 transcoding).
    let boms = json_lines(&t.path().join("out/changes.jsonl"))
        .into_iter()
        .filter(|e| e["rule"] == "generic/bom")
        .count();
    assert_eq!(boms, 2);
    // A UTF-16 JSONL file is one reject with its reason, and no output.
    assert_eq!(
        reasons(&t.path().join("out")),
        ["UTF-16 text: JSONL input must be UTF-8"]
    );
    assert!(!t.path().join("out/x.jsonl").exists());
    // Strict: an unpaired surrogate rejects the file.
    write(
        &t.path().join("s/bad.txt"),
        [0xFF, 0xFE, b'a', 0, 0x00, 0xD8],
    );
    let o = textmend(&["clean", "s", "--out", "so", "-q", "--strict"], t.path());
    assert_eq!(o.code, 1);
    assert!(reasons(&t.path().join("so"))[0].starts_with("invalid UTF-16"));
}

#[test]
fn utf8_bom_crlf_and_lone_cr() {
    let t = tempfile::tempdir().unwrap();
    write(
        &t.path().join("in/a.txt"),
        b"\xEF\xBB\xBFFirst line\r\nsecond\rthird\n",
    );
    write(
        &t.path().join("in/b.jsonl"),
        b"\xEF\xBB\xBF{\"id\":\"1\",\"text\":\"x\\r\\ny\"}\r\n{\"id\":\"2\",\"text\":\"z\"}\r\n",
    );
    let o = textmend(&["clean", "in", "--out", "out", "-q"], t.path());
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        std::fs::read_to_string(t.path().join("out/a.txt")).unwrap(),
        "First line\nsecond\nthird\n"
    );
    let lines = json_lines(&t.path().join("out/b.jsonl"));
    assert_eq!(lines.len(), 2, "the BOM does not make line 1 invalid JSON");
    assert_eq!(lines[0]["text"], "x\ny");
    let r = report(&t.path().join("out"));
    assert_eq!(r["documents"]["written"], 3);
}

#[test]
fn nul_bytes_are_removed_and_binary_files_rejected() {
    let t = tempfile::tempdir().unwrap();
    write(&t.path().join("in/nul.txt"), b"Sales\0 rose , it said .\n");
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..4000u32).map(|i| (i.wrapping_mul(2654435761) >> 11) as u8));
    write(&t.path().join("in/image.txt"), &png);
    write(&t.path().join("in/zeros.txt"), vec![0u8; 5000]);
    let o = textmend(&["clean", "in", "--out", "out", "-q"], t.path());
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(
        std::fs::read_to_string(t.path().join("out/nul.txt")).unwrap(),
        "Sales rose, it said.\n"
    );
    assert_eq!(
        reasons(&t.path().join("out")),
        ["binary file", "binary file"]
    );
    assert!(!t.path().join("out/image.txt").exists());
    report(&t.path().join("out"));
}

#[test]
fn a_20_mb_single_line_document() {
    let t = tempfile::tempdir().unwrap();
    let words = [
        "Sales", "rose", "the", "company", "said", "in", "Beijing", "on", "Monday",
    ];
    let mut doc = String::with_capacity(20 << 20);
    let mut i = 0usize;
    while doc.len() < 20 << 20 {
        doc.push_str(words[i % words.len()]);
        // An artifact now and then: the fix loop handles thousands of fixes on one line.
        doc.push_str(if i % 97 == 0 { " , " } else { " " });
        i += 1;
    }
    write(&t.path().join("in/long.txt"), &doc);
    let start = Instant::now();
    let o = textmend(&["clean", "in", "--out", "out", "-q"], t.path());
    let took = start.elapsed();
    assert_eq!(o.code, 0, "{}", o.stderr);
    let out = std::fs::read_to_string(t.path().join("out/long.txt")).unwrap();
    assert!(!out.contains(" ,"));
    assert!(out.len() > 20_000_000);
    let r = report(&t.path().join("out"));
    assert!(r["edits"]["total"].as_u64().unwrap() > 10_000);
    eprintln!("20 MB single line, debug build: {took:?}");
}

#[test]
fn empty_documents_are_written_empty() {
    let t = tempfile::tempdir().unwrap();
    write(&t.path().join("in/empty.txt"), b"");
    write(
        &t.path().join("in/e.jsonl"),
        b"{\"id\":\"e\",\"text\":\"\"}\n",
    );
    let o = textmend(&["clean", "in", "--out", "out", "-q"], t.path());
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(std::fs::read(t.path().join("out/empty.txt")).unwrap(), b"");
    let l = json_lines(&t.path().join("out/e.jsonl"));
    assert_eq!(l[0]["text"], "");
    assert_eq!(report(&t.path().join("out"))["documents"]["written"], 2);
}

#[test]
fn a_hundred_thousand_tiny_documents() {
    let t = tempfile::tempdir().unwrap();
    let mut s = String::new();
    for i in 0..100_000 {
        s.push_str(&format!("{{\"id\":\"{i}\",\"text\":\"a , b\"}}\n"));
    }
    write(&t.path().join("in/tiny.jsonl"), &s);
    let o = textmend(&["clean", "in", "--out", "out", "-q"], t.path());
    assert_eq!(o.code, 0, "{}", o.stderr);
    let r = report(&t.path().join("out"));
    assert_eq!(r["documents"]["written"], 100_000);
    assert!(r.get("duplicate_ids").is_none());
    let out = std::fs::read_to_string(t.path().join("out/tiny.jsonl")).unwrap();
    assert_eq!(out.lines().count(), 100_000);
    assert!(out.lines().all(|l| l.contains("\"text\":\"a, b\"")));
}

#[test]
fn malformed_jsonl_lines_are_rejected_with_reasons_and_blank_lines_counted() {
    let t = tempfile::tempdir().unwrap();
    write(
        &t.path().join("in/m.jsonl"),
        concat!(
            "{\"id\":\"1\",\"text\":\"fine\"}\n",
            "{\"id\":\"2\",\"body\":\"no text field\"}\n",
            "\n",
            "{\"id\":\"3\",\"text\":42}\n",
            "   \n",
            "{\"id\":\"4\",\"text\":[\"a\"]}\n",
            "not json at all\n",
            "[1,2,3]\n",
            "{\"id\":\"5\",\"text\":\"fine too\"}\n",
            "{\"id\":\"6\",\"text\":\"cut mid-str",
        ),
    );
    let o = textmend(&["clean", "in", "--out", "out", "-q"], t.path());
    assert_eq!(o.code, 1, "{}", o.stderr);
    let r = report(&t.path().join("out"));
    assert_eq!(r["documents"]["read"], 8);
    assert_eq!(r["documents"]["written"], 2);
    assert_eq!(r["blank_lines"], 2);
    let rej = json_lines(&t.path().join("out/rejects.jsonl"));
    let got: Vec<(u64, &str)> = rej
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(got[0], (2, "missing field \"text\""));
    assert_eq!(got[1], (4, "field \"text\" is a number, not a string"));
    assert_eq!(got[2], (6, "field \"text\" is an array, not a string"));
    assert_eq!(got[3].0, 7);
    assert!(got[3].1.starts_with("invalid JSON"));
    assert_eq!(got[4], (8, "not a JSON object"));
    assert_eq!(got[5].0, 10);
    assert!(got[5].1.starts_with("invalid JSON: EOF"), "{}", got[5].1);
    // The original of a rejected line is kept.
    assert_eq!(rej[5]["original"], "{\"id\":\"6\",\"text\":\"cut mid-str");
}

#[test]
fn duplicate_ids_are_both_written_and_counted() {
    let t = tempfile::tempdir().unwrap();
    write(
        &t.path().join("in/a.jsonl"),
        "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"y\"}\n",
    );
    write(
        &t.path().join("in/b.jsonl"),
        "{\"id\":\"a\",\"text\":\"z\"}\n{\"text\":\"no id\"}\n{\"id\":\"a\",\"text\":\"w\"}\n",
    );
    let o = textmend(&["clean", "in", "--out", "out", "-q"], t.path());
    assert_eq!(o.code, 0, "{}", o.stderr);
    let r = report(&t.path().join("out"));
    assert_eq!(r["documents"]["written"], 5);
    assert_eq!(r["duplicate_ids"], 2);
    assert_eq!(r["duplicate_id_examples"], serde_json::json!(["a", "a"]));
}

#[test]
fn absurd_numbers_are_flagged_not_fatal() {
    let t = tempfile::tempdir().unwrap();
    write(
        &t.path().join("in/n.txt"),
        "The plant makes 99999999999999999999999 Thousands of pieces a year, 1e999999 tons and \
         -0.000000000000000000000000001 % of 18446744073709551616 yuan.\n",
    );
    let o = textmend(&["clean", "in", "--out", "out", "-q"], t.path());
    assert_eq!(o.code, 0, "{}", o.stderr);
    let r = report(&t.path().join("out"));
    assert!(r["flags"]["total"].as_u64().unwrap() >= 1, "{r}");
    let flags: Vec<Value> = json_lines(&t.path().join("out/changes.jsonl"))
        .into_iter()
        .filter(|l| l["type"] == "flag")
        .collect();
    assert!(
        flags.iter().any(|f| f["before"]
            .as_str()
            .unwrap()
            .contains("99999999999999999999999")),
        "{flags:?}"
    );
}

#[test]
#[cfg(unix)]
fn an_output_that_would_overwrite_its_input_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let text = "Sales rose , it said .\n";
    write(&t.path().join("out/a.txt"), text);
    // Directly, and through a link whose target is the output.
    write(&t.path().join("elsewhere/keep.txt"), text);
    std::os::unix::fs::symlink("../out/b.txt", t.path().join("elsewhere/b.txt")).unwrap();
    write(&t.path().join("out/b.txt"), text);
    for input in ["out/a.txt", "elsewhere/b.txt"] {
        let o = textmend(&["clean", input, "--out", "out"], t.path());
        assert_eq!(o.code, 2, "{input}: {}", o.stderr);
        assert!(o.stderr.contains("would both be written"), "{}", o.stderr);
    }
    assert_eq!(
        std::fs::read_to_string(t.path().join("out/a.txt")).unwrap(),
        text
    );
    assert_eq!(
        std::fs::read_to_string(t.path().join("out/b.txt")).unwrap(),
        text
    );
    // In a folder of the output directory, reached through a link in an input directory (the
    // output directory is not a plain list of files, so each output is looked up).
    write(&t.path().join("out/sub/c.txt"), text);
    std::fs::create_dir_all(t.path().join("linked/sub")).unwrap();
    std::os::unix::fs::symlink("../../out/sub/c.txt", t.path().join("linked/sub/c.txt")).unwrap();
    let o = textmend(&["clean", "linked", "--out", "out"], t.path());
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("would both be written"), "{}", o.stderr);
    assert_eq!(
        std::fs::read_to_string(t.path().join("out/sub/c.txt")).unwrap(),
        text
    );
    // A file whose output does not exist yet is written.
    let o = textmend(&["clean", "elsewhere/keep.txt", "--out", "out"], t.path());
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        std::fs::read_to_string(t.path().join("out/keep.txt")).unwrap(),
        "Sales rose, it said.\n"
    );
}

#[test]
#[cfg(unix)]
fn symlink_loops_do_not_hang() {
    let t = tempfile::tempdir().unwrap();
    write(&t.path().join("in/a.txt"), "Sales rose , it said .\n");
    std::os::unix::fs::symlink("..", t.path().join("in/up")).unwrap();
    std::fs::create_dir_all(t.path().join("in/sub")).unwrap();
    std::os::unix::fs::symlink("../sub", t.path().join("in/sub/again")).unwrap();
    std::os::unix::fs::symlink("self.txt", t.path().join("in/self.txt")).unwrap();
    let mut child = bin()
        .args(["clean", "in", "--out", "out"])
        .current_dir(t.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("hangs on a symlink loop");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("not following") && stderr.contains("up"),
        "{stderr}"
    );
    let rs = reasons(&t.path().join("out"));
    assert_eq!(rs.len(), 1);
    assert!(rs[0].starts_with("cannot read:"), "{rs:?}");
    assert!(t.path().join("out/a.txt").exists());
    report(&t.path().join("out"));
}

#[test]
#[cfg(unix)]
fn unreadable_files_are_rejected() {
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().unwrap();
    write(&t.path().join("in/ok.txt"), "fine\n");
    let locked = t.path().join("in/locked.txt");
    write(&locked, "secret\n");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // A named pipe with a text name is not read (it would block).
    let fifo = t.path().join("in/pipe.txt");
    let made_fifo = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let o = textmend(&["clean", "in", "--out", "out", "-q"], t.path());
    let rs = reasons(&t.path().join("out"));
    if made_fifo {
        assert!(rs.iter().any(|r| r == "not a regular file"), "{rs:?}");
    }
    if is_root() {
        eprintln!("running as root: chmod 000 does not stop reads, the unreadable-file assertion is skipped");
    } else {
        assert!(rs.iter().any(|r| r.contains("Permission denied")), "{rs:?}");
    }
    assert_eq!(o.code, if rs.is_empty() { 0 } else { 1 }, "{}", o.stderr);
    assert!(t.path().join("out/ok.txt").exists());
    report(&t.path().join("out"));
}

#[test]
#[cfg(target_os = "linux")]
fn a_full_output_disk_fails_clearly_and_leaves_nothing_incomplete() {
    if !is_root() {
        eprintln!("not root: cannot mount a small tmpfs, skipped");
        return;
    }
    let t = tempfile::tempdir().unwrap();
    let mnt = t.path().join("small");
    std::fs::create_dir_all(&mnt).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&mnt)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("cannot mount a tmpfs here, skipped");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _guard = Unmount(mnt.clone());
    let mut s = String::new();
    for i in 0..5000 {
        s.push_str(&format!(
            "{{\"id\":\"{i}\",\"text\":\"Sales rose , it said . {i}\"}}\n"
        ));
    }
    write(&t.path().join("in/a.jsonl"), &s);
    for i in 0..20 {
        write(
            &t.path().join(format!("in/t{i:02}.txt")),
            "Prices fell ; costs rose .\n".repeat(200),
        );
    }
    let o = textmend(&["clean", "in", "--out", "small/out", "-q"], t.path());
    assert_eq!(o.code, 2, "{}", o.stderr);
    let msg = o.stderr.trim_end();
    assert_eq!(msg.lines().count(), 1, "one line: {msg}");
    assert!(
        msg.starts_with("textmend: cannot write small/out/"),
        "{msg}"
    );
    assert!(msg.contains("No space left on device"), "{msg}");
    // No temporary or partial file, no log or report under a final name.
    let left = files(&mnt.join("out"));
    for f in &left {
        let name = f.file_name().unwrap().to_string_lossy();
        assert!(!name.starts_with('.'), "left behind: {f:?}");
        assert!(
            name.ends_with(".txt"),
            "only complete text outputs may stay: {f:?}"
        );
        let want = "Prices fell; costs rose.\n".repeat(200);
        assert_eq!(
            std::fs::read_to_string(mnt.join("out").join(f)).unwrap(),
            want
        );
    }
}

/// A compressed input long enough to be decoded on a thread of its own (more than 4 MiB), cut
/// off mid-stream: every whole line before the cut is cleaned and written, in order, and the
/// rest is one reject naming the read error; the output is still a valid gzip file.
#[test]
fn a_long_gzip_stream_cut_short_keeps_every_line_before_the_cut() {
    use std::io::{BufRead, Read, Write};
    let t = tempfile::tempdir().unwrap();
    let pad = "x".repeat(4000);
    let mut jsonl = String::new();
    for k in 0..2500 {
        jsonl.push_str(&format!(
            "{{\"id\":\"d{k}\",\"pad\":\"{pad}\",\"text\":\"Sales rose , line {k} .\"}}\n"
        ));
    }
    assert!(jsonl.len() > 8 << 20);
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(jsonl.as_bytes()).unwrap();
    let whole = enc.finish().unwrap();
    let cut = &whole[..whole.len() * 3 / 4];
    write(&t.path().join("in/big.jsonl.gz"), cut);
    // The lines a decoder gets whole before the stream fails.
    let mut dec = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(cut));
    let mut before = Vec::new();
    let err = dec
        .read_to_end(&mut before)
        .expect_err("a cut stream fails");
    let whole_lines = before.iter().filter(|&&b| b == b'\n').count();
    assert!(
        before.len() > 5 << 20,
        "{} bytes before the cut ({err})",
        before.len()
    );

    let o = textmend(
        &["clean", "in", "--out", "out", "-q", "--threads", "2"],
        t.path(),
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    let r = report(&t.path().join("out"));
    assert_eq!(r["documents"]["written"], whole_lines as u64);
    assert_eq!(r["documents"]["rejected"], 1);
    assert!(reasons(&t.path().join("out"))[0].starts_with("read error"));
    let out = std::fs::read(t.path().join("out/big.jsonl.gz")).unwrap();
    let mut lines = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(&out[..])).lines();
    for k in 0..whole_lines {
        let line: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
        assert_eq!(line["id"], format!("d{k}"));
        assert_eq!(line["text"], format!("Sales rose, line {k}."));
    }
    assert!(lines.next().is_none());
}

#[test]
fn exit_codes() {
    let t = tempfile::tempdir().unwrap();
    write(&t.path().join("good/a.txt"), "fine\n");
    write(&t.path().join("mixed/a.txt"), "fine\n");
    write(&t.path().join("mixed/b.jsonl"), "{oops\n");
    let o = textmend(&["clean", "good", "--out", "o0", "-q"], t.path());
    assert_eq!(o.code, 0, "{}", o.stderr);
    let o = textmend(&["clean", "mixed", "--out", "o1", "-q"], t.path());
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(t.path().join("o1/a.txt").exists());
    for args in [
        &["clean", "missing", "--out", "o2"][..],
        &["clean", "good", "--out", "o2", "--dict", "nope=x.tsv"],
        &["clean", "good"],
    ] {
        let o = textmend(args, t.path());
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        assert_eq!(o.stderr.trim_end().lines().count(), 1, "{}", o.stderr);
        assert!(o.stderr.starts_with("textmend: "), "{}", o.stderr);
    }
    let help = textmend(&["--help"], t.path());
    let help = String::from_utf8_lossy(&help.stdout);
    for line in [
        "0  every document",
        "1  some documents were rejected",
        "2  fatal error",
        "130",
    ] {
        assert!(help.contains(line), "--help lacks {line:?}");
    }
}

/// A corpus big enough that a debug build takes a few seconds: JSONL (with a repeated id, a
/// blank line and a bad line), a compressed JSONL file and many text files.
fn resume_corpus(dir: &Path) {
    let mut s = String::new();
    for i in 0..6000 {
        s.push_str(&format!(
            "{{\"id\":\"{}\",\"text\":\"Sales rose , it said . Doc {i}\"}}\n",
            i % 5000
        ));
        if i == 3000 {
            s.push_str("\n{bad line\n");
        }
    }
    write(&dir.join("a.jsonl"), &s);
    let mut enc = flate2_free_gzip(&s[..s.len() / 3]);
    write(&dir.join("b.jsonl.gz"), std::mem::take(&mut enc));
    for i in 0..300 {
        write(
            &dir.join(format!("t/{i:04}.txt")),
            format!("Doc {i} rose , it said .\nPrices fell ; costs rose .\n"),
        );
    }
}

/// A gzip stream made by the `gzip` tool (the test crate has no gzip dependency of its own).
fn flate2_free_gzip(text: &str) -> Vec<u8> {
    use std::io::Write;
    let mut child = Command::new("gzip")
        .arg("-c")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("gzip");
    let mut stdin = child.stdin.take().unwrap();
    let text = text.as_bytes().to_vec();
    let h = std::thread::spawn(move || stdin.write_all(&text));
    let out = child.wait_with_output().unwrap();
    h.join().unwrap().unwrap();
    out.stdout
}

/// All output bytes, with the report's time fields removed.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            if f == Path::new("report.json") {
                let mut v: Value = serde_json::from_slice(&bytes).unwrap();
                v.as_object_mut().unwrap().remove("elapsed_seconds");
                v.as_object_mut().unwrap().remove("mb_per_s");
                (f, serde_json::to_vec_pretty(&v).unwrap())
            } else {
                (f, bytes)
            }
        })
        .collect()
}

/// Starts a run, signals it once it has written a checkpoint past the first source, and waits.
#[cfg(unix)]
fn interrupt(cwd: &Path, signal: &str) -> Option<i32> {
    let args = [
        "clean",
        "in",
        "--out",
        "part",
        "-q",
        "--chunk-docs",
        "200",
        "-j",
        "2",
    ];
    let mut child = bin().args(args).current_dir(cwd).spawn().unwrap();
    let progress = cwd.join("part/.textmend-progress.json");
    let start = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s.code();
        }
        if progress.exists() || start.elapsed() > Duration::from_secs(120) {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(300));
    Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    child.wait().unwrap().code()
}

#[test]
#[cfg(unix)]
fn resume_after_sigkill_gives_the_same_bytes() {
    let t = tempfile::tempdir().unwrap();
    resume_corpus(&t.path().join("in"));
    let full = textmend(
        &["clean", "in", "--out", "full", "-q", "--chunk-docs", "200"],
        t.path(),
    );
    assert_eq!(full.code, 1, "{}", full.stderr);
    let code = interrupt(t.path(), "-KILL");
    let finished_early = code.is_some();
    let left = files(&t.path().join("part"));
    // Nothing incomplete under a final name: a final JSONL output is complete if present.
    for f in &left {
        let name = f.file_name().unwrap().to_string_lossy();
        if !name.starts_with('.') && name.ends_with(".jsonl") {
            assert_eq!(
                std::fs::read(t.path().join("part").join(f)).unwrap(),
                std::fs::read(t.path().join("full").join(f)).unwrap()
            );
        }
    }
    // What a kill in the middle of writing a file leaves (the checkpoint's, a text output's):
    // the resumed run clears them.
    let part = t.path().join("part");
    std::fs::create_dir_all(part.join("t")).unwrap();
    std::fs::write(part.join("..textmend-progress.json.tmp-4242424-20"), "{").unwrap();
    std::fs::write(part.join("t").join(".0001.txt.tmp-4242424-21"), "Doc").unwrap();
    resume_matches_uninterrupted(t.path());
    if finished_early {
        eprintln!("the run finished before it could be killed; resume was a no-op");
    }
    // A resume with other options is refused.
    let t2 = tempfile::tempdir().unwrap();
    resume_corpus(&t2.path().join("in"));
    if interrupt(t2.path(), "-KILL").is_none() {
        let o = textmend(
            &[
                "clean",
                "in",
                "--out",
                "part",
                "-q",
                "--resume",
                "--disable",
                "generic/spacing",
            ],
            t2.path(),
        );
        assert_eq!(o.code, 2);
        assert!(o.stderr.contains("cannot resume"), "{}", o.stderr);
    }
}

#[test]
#[cfg(unix)]
fn ctrl_c_stops_cleanly_and_resume_finishes() {
    let t = tempfile::tempdir().unwrap();
    resume_corpus(&t.path().join("in"));
    let full = textmend(
        &["clean", "in", "--out", "full", "-q", "--chunk-docs", "200"],
        t.path(),
    );
    assert_eq!(full.code, 1);
    let code = interrupt(t.path(), "-INT");
    if code == Some(130) {
        // Only hidden partial files and complete outputs.
        for f in files(&t.path().join("part")) {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                name.ends_with(".partial")
                    || name.starts_with(".textmend-progress")
                    || std::fs::read(t.path().join("part").join(&f)).unwrap()
                        == std::fs::read(t.path().join("full").join(&f)).unwrap(),
                "incomplete {f:?}"
            );
            assert!(!name.contains(".tmp-"), "temporary file left: {f:?}");
        }
        assert!(!t.path().join("part/report.json").exists());
    } else {
        eprintln!("the run ended ({code:?}) before Ctrl-C; nothing to check");
    }
    resume_matches_uninterrupted(t.path());
}

#[test]
fn malformed_dictionaries_are_clear_errors() {
    let t = tempfile::tempdir().unwrap();
    write(&t.path().join("in/a.txt"), "fine\n");
    // Too few columns: zh_en/names rows have three fields (the third may be empty).
    write(
        &t.path().join("names.tsv"),
        "# my names\nGood one\tGood One\t\nonly two\tfields\n",
    );
    let o = refused_dict(t.path(), "names.tsv");
    assert!(o.stderr.contains("names.tsv:3:"), "{}", o.stderr);
    assert!(o.stderr.contains("fields"), "{}", o.stderr);
    // An absurdly long phrase.
    write(
        &t.path().join("long.tsv"),
        format!("{}\tX\t\n", "word ".repeat(400)),
    );
    let o = refused_dict(t.path(), "long.tsv");
    assert!(
        o.stderr.contains("long.tsv:1:") && o.stderr.contains("limit is 1000"),
        "{}",
        o.stderr
    );
    // Larger than the limit.
    let big = "a\tb\t\n".repeat(16 * 1024 * 1024 / 5 + 1);
    write(&t.path().join("big.tsv"), big);
    let o = refused_dict(t.path(), "big.tsv");
    assert!(
        o.stderr.contains("big.tsv: dictionary is larger than"),
        "{}",
        o.stderr
    );
    // Not UTF-8.
    write(&t.path().join("latin1.tsv"), b"caf\xe9\tCafe\t\n");
    let o = refused_dict(t.path(), "latin1.tsv");
    assert!(o.stderr.contains("latin1.tsv"), "{}", o.stderr);
}

#[test]
fn a_dictionary_of_many_rows_builds_fast() {
    // Just under the 16 MB limit: about 400,000 distinct names.
    let mut s = String::with_capacity(16 << 20);
    let mut i = 0u64;
    while s.len() < (16 << 20) - 64 {
        s.push_str(&format!("The xname{i:07} group\tXname{i:07} Group\t\n"));
        i += 1;
    }
    let t = tempfile::tempdir().unwrap();
    write(&t.path().join("many.tsv"), &s);
    let spec = format!("zh_en/names={}", t.path().join("many.tsv").display());
    let start = Instant::now();
    let cleaner = textmend::Cleaner::new(textmend::Config {
        dicts: vec![spec],
        ..textmend::Config::default()
    })
    .unwrap();
    let took = start.elapsed();
    eprintln!("{i} dictionary rows: cleaner built in {took:?}");
    assert!(took < Duration::from_secs(60), "{took:?}");
    let c = cleaner.clean("Output rose , said The xname0000042 group .\n");
    assert!(!c.text.contains(" ,"));
    let start = Instant::now();
    let doc = "The xname0000042 group and The xname0399999 group said . ".repeat(2000);
    cleaner.clean(&doc);
    eprintln!("a 120 KB document against it: {:?}", start.elapsed());
}

/// Resumes the interrupted run in `dir/part` and checks every output byte against the
/// uninterrupted run in `dir/full` (exit 1: the corpus has rejected lines on purpose).
fn resume_matches_uninterrupted(dir: &Path) {
    let args = [
        "clean",
        "in",
        "--out",
        "part",
        "-q",
        "--chunk-docs",
        "200",
        "--resume",
    ];
    let o = textmend(&args, dir);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(snapshot(&dir.join("part")), snapshot(&dir.join("full")));
}

/// Cleans `in` with `--dict zh_en/names=FILE`; the dictionary must be refused (exit 2).
fn refused_dict(dir: &Path, file: &str) -> Out {
    let spec = format!("zh_en/names={file}");
    let o = textmend(&["clean", "in", "--out", "o", "--dict", &spec], dir);
    assert_eq!(o.code, 2, "{file}: {}", o.stderr);
    o
}

/// Text outputs are written by the calling thread in input order and, when cleaning runs ahead,
/// by pool threads from the back of each part: a file that cannot be written is still the one
/// the error names, and every file before it is written whole.
#[test]
fn a_text_output_that_cannot_be_written_is_named_and_those_before_it_are_written() {
    let t = tempfile::tempdir().unwrap();
    let n = 600;
    let bad = 437;
    for i in 0..n {
        write(
            &t.path().join(format!("in/t{i:04}.txt")),
            format!("Sales rose , it said . {i}\n"),
        );
    }
    for threads in ["1", "2", "4"] {
        let out = format!("out{threads}");
        // A folder where the output should go: renaming the finished file onto it fails.
        std::fs::create_dir_all(t.path().join(format!("{out}/t{bad:04}.txt/x"))).unwrap();
        let o = textmend(
            &["clean", "in", "--out", &out, "-q", "--threads", threads],
            t.path(),
        );
        assert_eq!(o.code, 2, "{threads} threads: {}", o.stderr);
        assert!(
            o.stderr
                .starts_with(&format!("textmend: cannot write {out}/t{bad:04}.txt")),
            "{threads} threads: {}",
            o.stderr
        );
        for i in 0..bad {
            assert_eq!(
                std::fs::read_to_string(t.path().join(format!("{out}/t{i:04}.txt"))).unwrap(),
                format!("Sales rose, it said. {i}\n"),
                "{threads} threads, file {i}"
            );
        }
        let stray = files(&t.path().join(&out))
            .into_iter()
            .filter(|f| f.file_name().unwrap().to_string_lossy().contains(".tmp-"))
            .count();
        assert_eq!(stray, 0, "{threads} threads: temporary files left");
    }
}
