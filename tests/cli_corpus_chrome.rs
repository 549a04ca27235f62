//! `textmend clean --corpus-chrome`: lines repeated across many documents are removed as chrome.

use std::process::Command;

fn textmend(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_textmend"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

const FOOTER: &str = "Scan the code to follow our official account for more stories";

fn corpus(dir: &std::path::Path) {
    let topics = [
        "harbour", "railway", "library", "orchard", "bridge", "museum",
    ];
    for (i, t) in topics.iter().enumerate() {
        let text = format!(
            "The {t} reopened\n\nThe city said the {t} reopened on Monday after {} weeks of repairs.\n\n{FOOTER}\n",
            i + 2
        );
        std::fs::write(dir.join(format!("{t}.txt")), text).unwrap();
    }
}

#[test]
fn repeated_lines_go_only_in_corpus_mode() {
    let input = tempfile::tempdir().unwrap();
    corpus(input.path());
    let inp = input.path().to_str().unwrap();

    let plain = tempfile::tempdir().unwrap();
    let o = textmend(&[
        "clean",
        inp,
        "--out",
        plain.path().to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let kept = std::fs::read_to_string(plain.path().join("museum.txt")).unwrap();
    assert!(
        kept.contains(FOOTER),
        "without corpus mode the footer stays: {kept}"
    );

    let out = tempfile::tempdir().unwrap();
    let o = textmend(&[
        "clean",
        inp,
        "--out",
        out.path().to_str().unwrap(),
        "--corpus-chrome",
        "4",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("corpus chrome: 1 line(s) found in at least 4 of 6 documents"),
        "{stderr}"
    );
    for t in ["harbour", "museum"] {
        let text = std::fs::read_to_string(out.path().join(format!("{t}.txt"))).unwrap();
        assert!(!text.contains(FOOTER), "{t}: {text}");
        assert!(
            text.contains(&format!("the {t} reopened on Monday")),
            "{t}: article kept: {text}"
        );
    }
    let changes = std::fs::read_to_string(out.path().join("changes.jsonl")).unwrap();
    assert!(
        changes.contains("structure/repeated-line"),
        "removal is logged: {changes}"
    );

    // A threshold above the number of documents removes nothing.
    let high = tempfile::tempdir().unwrap();
    let o = textmend(&[
        "clean",
        inp,
        "--out",
        high.path().to_str().unwrap(),
        "--corpus-chrome",
        "7",
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let kept = std::fs::read_to_string(high.path().join("museum.txt")).unwrap();
    assert!(kept.contains(FOOTER));
}

#[test]
fn corpus_mode_needs_files() {
    let o = textmend(&["clean", "-", "--corpus-chrome"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("needs files"));
}
