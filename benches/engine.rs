//! Micro-benchmarks of the hot stages over a JSONL corpus, single-threaded, harness-less:
//!
//!     cargo bench --bench engine -- CORPUS.jsonl [REPEATS]
//!
//! Prints MB/s of the profile's parts (script scan, language identification, artifact score) and
//! of the whole clean. Without a corpus argument (as under `cargo test --all-targets`) it exits at
//! once.

use textmend::lang::{detect, script, Candidates};
use textmend::{Cleaner, Config};

/// CPU seconds of this thread (the machine is shared: wall time counts other people's work).
fn cpu_now() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// Best of `reps` runs of `f`, in thread CPU seconds.
fn time<F: FnMut()>(reps: usize, mut f: F) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..reps {
        let t = cpu_now();
        f();
        best = best.min(cpu_now() - t);
    }
    best
}

fn main() {
    let Some(path) = std::env::args().skip(1).find(|a| !a.starts_with('-')) else {
        eprintln!("usage: cargo bench --bench engine -- CORPUS.jsonl [REPEATS] (no corpus: nothing to do)");
        return;
    };
    let reps: usize = std::env::args()
        .skip(2)
        .find_map(|a| a.parse().ok())
        .unwrap_or(3);
    let texts: Vec<String> = std::fs::read_to_string(&path)
        .expect("read corpus")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["text"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let mb = texts.iter().map(|t| t.len()).sum::<usize>() as f64 / 1e6;
    let cleaner = Cleaner::new(Config::default()).unwrap();
    let cfg = cleaner.config().clone();
    let scans: Vec<_> = texts.iter().map(|t| script::scan(t).census).collect();
    let mut rows: Vec<(&str, f64)> = Vec::new();
    rows.push((
        "script scan",
        time(reps, || {
            for t in &texts {
                std::hint::black_box(script::scan(t));
            }
        }),
    ));
    rows.push((
        "language identification",
        time(reps, || {
            for (t, c) in texts.iter().zip(&scans) {
                std::hint::black_box(detect::identify(t, c, Candidates::from_codes(&cfg.langs)));
            }
        }),
    ));
    rows.push((
        "artifact score",
        time(reps, || {
            for t in &texts {
                std::hint::black_box(textmend::rules::score::artifact_score(t));
            }
        }),
    ));
    rows.push((
        "Profile::compute",
        time(reps, || {
            for t in &texts {
                std::hint::black_box(textmend::Profile::compute(t, &cfg));
            }
        }),
    ));
    rows.push((
        "whole clean",
        time(reps, || {
            for t in &texts {
                std::hint::black_box(cleaner.clean(t));
            }
        }),
    ));
    println!(
        "{mb:.1} MB, {} documents, best of {reps}, thread CPU time",
        texts.len()
    );
    for (name, s) in rows {
        println!("{name:28} {s:8.3} s {:9.1} MB/s", mb / s);
    }
}
