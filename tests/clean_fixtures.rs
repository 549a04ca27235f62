//! No damage and seed coverage, with the default cleaner (every default rule of every pack).
//!
//! - every file in `fixtures/clean/` is clean text: it comes back byte-identical, with no edit;
//! - no cleaned seed (`fixtures/seeds/`) keeps a spacing or CJK-punctuation artifact that the
//!   generic rules are responsible for.

use std::fs;
use std::path::{Path, PathBuf};

use textmend::{Cleaner, Config};

fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut v: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    v
}

/// Up to 40 bytes of context on each side of `at`, on char boundaries.
fn context(s: &str, at: usize, len: usize) -> &str {
    let mut a = at.saturating_sub(40);
    while !s.is_char_boundary(a) {
        a -= 1;
    }
    let mut z = (at + len + 40).min(s.len());
    while !s.is_char_boundary(z) {
        z += 1;
    }
    &s[a..z]
}

#[test]
fn clean_fixtures_come_back_byte_identical() {
    let cleaner = Cleaner::new(Config::default()).unwrap();
    let paths = files("fixtures/clean", "txt");
    assert!(
        paths.len() >= 9,
        "expected the clean fixtures, found {}",
        paths.len()
    );
    let mut failures = Vec::new();
    for path in &paths {
        let input = fs::read(path).unwrap();
        let out = cleaner.clean_bytes(&input);
        if out.text.as_bytes() != input.as_slice() || !out.edits.is_empty() {
            let text = String::from_utf8_lossy(&input);
            let detail: Vec<String> = out
                .edits
                .iter()
                .take(10)
                .map(|e| {
                    format!(
                        "  {} {:?} -> {:?} in {:?}",
                        e.rule,
                        &text[e.span.start..e.span.end],
                        e.replacement,
                        context(&text, e.span.start, e.span.len())
                    )
                })
                .collect();
            failures.push(format!(
                "{}: {} edit(s)\n{}",
                path.display(),
                out.edits.len(),
                detail.join("\n")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "clean text was changed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn seeds_lose_spacing_and_cjk_punctuation_artifacts() {
    const ARTIFACTS: &[&str] = &[" , ", " . ", " 、 ", "“ ", " ”", "( ", " )", "《", "》"];
    let cleaner = Cleaner::new(Config::default()).unwrap();
    let mut failures = Vec::new();
    for path in files("fixtures/seeds", "txt") {
        let input = fs::read(&path).unwrap();
        let out = cleaner.clean_bytes(&input);
        for a in ARTIFACTS {
            for (at, _) in out.text.match_indices(a) {
                failures.push(format!(
                    "{}: {a:?} in {:?}",
                    path.display(),
                    context(&out.text, at, a.len())
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "artifacts left in cleaned seeds:\n{}",
        failures.join("\n")
    );
}
