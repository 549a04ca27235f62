//! Replays every input kept under fixtures/fuzz/ (fuzzer findings, minimized, and a few hand-made
//! hostile inputs) through the same invariant checks the fuzz targets run: replay of the change
//! log, sorted non-overlapping edits on char boundaries, flags inside the output, a settled fix
//! loop, idempotence; under the default config and with the zh_en gate forced open.
//!
//! The checks live in fuzz/src/invariants.rs and are included here, so the fuzzer and this test
//! cannot drift apart. See fuzz/README.md for how inputs get here.

use std::path::{Path, PathBuf};

use textmend::Cleaner;

#[path = "../fuzz/src/invariants.rs"]
mod invariants;

fn kept_inputs() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in rd.flatten() {
            let p = entry.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.file_name().and_then(|n| n.to_str()) != Some("README.md") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    // The fuzzer's kept inputs, and the real and held-out articles: the fuzz smoke run starts
    // from the seeds too, so they must keep every invariant (a settled fix loop included).
    for dir in ["fixtures/fuzz", "fixtures/seeds", "fixtures/holdout/raw"] {
        walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut out);
    }
    out.sort();
    out
}

#[test]
fn every_kept_input_keeps_the_invariants() {
    let inputs = kept_inputs();
    assert!(!inputs.is_empty(), "no inputs under fixtures/fuzz");
    let mut failures = Vec::new();
    for (name, cfg) in invariants::configs() {
        let cleaner = Cleaner::new(cfg).expect("config builds");
        for path in &inputs {
            let bytes = std::fs::read(path).expect("readable fixture");
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                invariants::check(&cleaner, &bytes)
            }));
            match result {
                Ok(Ok(())) => {}
                Ok(Err(e)) => failures.push(format!("{} [{name}]: {e}", path.display())),
                Err(_) => failures.push(format!("{} [{name}]: panicked", path.display())),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
