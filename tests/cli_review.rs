//! End-to-end tests of the preview commands: `textmend diff` (terminal diff and HTML page) and
//! `textmend scan`, on the seed articles and on small made-up inputs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the binary in the crate root (so `fixtures/seeds` resolves) with `env` set and stdout
/// piped; `NO_COLOR` is removed unless `env` sets it.
fn run_env(args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Out {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_textmend"));
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("binary runs");
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
        stdout: String::from_utf8(out.stdout).expect("UTF-8 output"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run(args: &[&str]) -> Out {
    run_env(args, &[("NO_COLOR", "1")], None)
}

fn ok(args: &[&str]) -> String {
    let o = run(args);
    assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
    o.stdout
}

fn seed_ids() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds");
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    ids.sort();
    assert!(ids.len() >= 2, "seed articles present");
    ids
}

/// The document headers (`=== id ...`) of a terminal diff.
fn headers(diff: &str) -> Vec<&str> {
    diff.lines().filter(|l| l.starts_with("=== ")).collect()
}

/// The annotation lines (`^ rule (kind, confidence): ...`) of a terminal diff.
fn annotations(diff: &str) -> Vec<&str> {
    diff.lines()
        .filter(|l| l.trim_start().starts_with("^ "))
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn diff_shows_rule_ids_and_a_known_repair() {
    let out = ok(&["diff", "fixtures/seeds"]);
    // A spaced comma repaired by generic/spacing: `"word ," -> "word,"`.
    let prefix = "^ generic/spacing (spacing, certain): \"";
    let comma = annotations(&out).into_iter().find_map(|a| {
        let (before, after) = a
            .trim_start()
            .strip_prefix(prefix)?
            .split_once("\" -> \"")?;
        let word = before.strip_suffix(" ,")?;
        (!word.is_empty() && after == format!("{word},\"")).then(|| word.to_string())
    });
    let word = comma.expect("a spaced comma repaired in the seeds");
    assert!(out.contains(&format!("[-{word} ,-]{{+{word},+}}")), "{out}");
    assert!(out.contains("[-"), "deletions marked without colour");
    assert!(out.contains("{+"), "insertions marked without colour");
    for a in annotations(&out) {
        let rule = a.trim_start()[2..].split(' ').next().unwrap();
        assert!(
            rule.split('+').all(|r| r.contains('/')),
            "an annotation starts with rule ids: {a}"
        );
    }
    let ids = seed_ids();
    for h in headers(&out) {
        let id = h[4..].split_whitespace().next().unwrap();
        assert!(ids.iter().any(|s| s == id), "header names a seed: {h}");
    }
    assert!(!out.contains('\x1b'), "NO_COLOR: no escapes");
}

#[test]
fn rule_and_kind_filters_restrict_the_diff() {
    let all = ok(&["diff", "fixtures/seeds"]);
    let other = annotations(&all)
        .iter()
        .map(|a| {
            a.trim_start()[2..]
                .split([' ', '+'])
                .next()
                .unwrap()
                .to_string()
        })
        .find(|r| !r.contains("generic/spacing"))
        .expect("the seeds need some rule besides generic/spacing");

    let spacing = ok(&["diff", "fixtures/seeds", "--rule", "generic/spacing"]);
    let notes = annotations(&spacing);
    assert!(!notes.is_empty());
    for a in &notes {
        assert!(a.contains("generic/spacing"), "filtered to the rule: {a}");
    }
    assert!(
        !spacing.contains(&format!("^ {other} ")),
        "{other} filtered out"
    );
    assert!(spacing.len() < all.len());

    let only_other = ok(&["diff", "fixtures/seeds", "--rule", &other]);
    assert!(only_other.contains(&other));
    assert!(!only_other.contains("^ generic/spacing ("));

    let spacing_kind = ok(&["diff", "fixtures/seeds", "--kind", "spacing"]);
    for a in annotations(&spacing_kind) {
        assert!(a.contains("(spacing, "), "filtered to the kind: {a}");
    }
    let o = run(&["diff", "fixtures/seeds", "--kind", "no-such-kind"]);
    assert_eq!(o.code, 2, "bad --kind is a usage error");
    let o = run(&["diff", "fixtures/seeds", "--rule", "nope/none"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("nope/none"), "{}", o.stderr);
}

#[test]
fn limit_shows_that_many_documents() {
    let all = ok(&["diff", "fixtures/seeds"]);
    assert!(headers(&all).len() >= 2);
    let one = ok(&["diff", "fixtures/seeds", "--limit", "1"]);
    assert_eq!(headers(&one).len(), 1);
    assert_eq!(headers(&one)[0], headers(&all)[0]);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    // Piped stdout, NO_COLOR unset: auto means no colour.
    let piped = run_env(&["diff", "fixtures/seeds", "--limit", "1"], &[], None);
    assert_eq!(piped.code, 0);
    assert!(!piped.stdout.is_empty());
    assert!(!piped.stdout.contains('\x1b'), "piped output is plain");
    // For a pager: `textmend diff x --color always | less -R`.
    let always = run_env(
        &[
            "diff",
            "fixtures/seeds",
            "--limit",
            "1",
            "--color",
            "always",
        ],
        &[],
        None,
    );
    assert!(always.stdout.contains("\x1b["), "--color always colours");
    let never = run_env(
        &["diff", "fixtures/seeds", "--limit", "1", "--color", "never"],
        &[],
        None,
    );
    assert!(!never.stdout.contains('\x1b'));
}

#[test]
fn html_page_has_every_seed_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("review.html");
    let out = ok(&["diff", "fixtures/seeds", "--html", page.to_str().unwrap()]);
    assert!(out.contains("review.html"), "says where it went: {out}");
    let html = std::fs::read_to_string(&page).unwrap();
    for id in seed_ids() {
        assert!(html.contains(&id), "{id} on the page");
    }
    assert!(html.contains("<del") && html.contains("<ins"));
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "no temporary file left");
}

/// The TSV rows as maps from column name to value.
fn tsv(out: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut lines = out.lines();
    let header: Vec<&str> = lines.next().expect("a header").split('\t').collect();
    lines
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            assert_eq!(cells.len(), header.len(), "{l}");
            header
                .iter()
                .zip(cells)
                .map(|(h, c)| (h.to_string(), c.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn scan_tsv_one_row_per_seed() {
    let out = ok(&["scan", "fixtures/seeds", "--format", "tsv"]);
    assert!(out.starts_with("id\tlang\t"), "header: {out}");
    let rows = tsv(&out);
    let ids = seed_ids();
    assert_eq!(rows.len(), ids.len());
    for (row, id) in rows.iter().zip(&ids) {
        assert_eq!(&row["id"], id);
        assert_eq!(row["lang"], "en");
        let score: f64 = row["artifact_score"].parse().expect("numeric score");
        assert!(score >= 0.0);
        let _: u64 = row["edits"].parse().expect("numeric edit count");
    }
}

#[test]
fn scan_jsonl_and_min_score() {
    let out = ok(&["scan", "fixtures/seeds", "--format", "jsonl"]);
    let recs: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object per line"))
        .collect();
    assert_eq!(recs.len(), seed_ids().len());
    let mut scores: Vec<f64> = recs
        .iter()
        .map(|r| r["artifact_score"].as_f64().unwrap())
        .collect();
    assert!(recs.iter().all(|r| r["lang"] == "en"));
    scores.sort_by(f64::total_cmp);
    scores.dedup();
    assert!(scores.len() >= 2, "the seeds differ in score");
    let threshold = (scores[0] + scores[1]) / 2.0;
    let expected = recs
        .iter()
        .filter(|r| r["artifact_score"].as_f64().unwrap() >= threshold)
        .count();
    assert!(expected < recs.len() && expected > 0);
    let t = format!("{threshold}");
    let kept = tsv(&ok(&["scan", "fixtures/seeds", "--min-score", &t]));
    assert_eq!(kept.len(), expected);
    for row in kept {
        assert!(row["artifact_score"].parse::<f64>().unwrap() >= threshold - 0.001);
    }
}

#[test]
fn scan_of_clean_english_reports_no_edits() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "clean.txt",
        "Rain fell across the region on Tuesday.\n\nFarmers said the harvest would be late, \
         but prices held steady at the market.\n",
    );
    let rows = tsv(&ok(&["scan", p.to_str().unwrap()]));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["id"], "clean.txt");
    assert_eq!(rows[0]["edits"], "0");
    let diff = run(&["diff", p.to_str().unwrap()]);
    assert_eq!((diff.code, diff.stdout.as_str()), (0, ""));
}

#[test]
fn jsonl_inputs_stdin_and_malformed_records() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "c.jsonl",
        "{\"doc\":\"a\",\"body\":\"Sales rose , it said .\"}\n{not json\n\n{\"doc\":\"b\",\"body\":\"Fine.\"}\n",
    );
    let path = p.to_str().unwrap();
    let fields = ["--text-field", "body", "--id-field", "doc"];
    let mut args = vec!["scan", path, "--format", "jsonl"];
    args.extend(fields);
    let o = run(&args);
    assert_eq!(o.code, 1, "a malformed record means exit 1: {}", o.stderr);
    assert!(o.stderr.contains(&format!("{path}:2:")), "{}", o.stderr);
    assert!(o.stderr.contains("1 document rejected"), "{}", o.stderr);
    let ids: Vec<String> = o
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids, ["\"a\"", "\"b\""]);

    let mut args = vec!["diff", path];
    args.extend(fields);
    let o = run(&args);
    assert_eq!(o.code, 1);
    assert!(o.stdout.starts_with("=== a "), "{}", o.stdout);
    assert!(o.stdout.contains("\"rose ,\" -> \"rose,\""), "{}", o.stdout);

    let o = run_env(
        &["diff", "-"],
        &[("NO_COLOR", "1")],
        Some(b"{\"id\":\"s1\",\"text\":\"Sales rose , it said .\"}\n"),
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.starts_with("=== s1 "), "{}", o.stdout);

    let o = run(&["scan", "no/such/dir"]);
    assert_eq!(o.code, 2);
}

#[test]
fn rules_lists_ids() {
    let out = ok(&["rules"]);
    assert!(out.contains("generic/spacing"));
}
