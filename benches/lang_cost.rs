//! What language identification costs next to cleaning.
//!
//! Times, over every text of a JSONL corpus (field "text"), median of several runs:
//! - identification alone: [`detect::identify`] given the census (function words, lingua sample);
//! - the line scan (census, per-line scripts, CJK zones) it is given;
//! - `Profile::compute` (identification plus the per-line profile and the artifact score);
//! - `Cleaner::clean` (which computes the profile once per fix-loop pass).
//!
//! Then the same over the fixtures/lang documents, where lingua does run (non-English Latin text).
//!
//!     cargo bench --bench lang_cost -- CORPUS.jsonl [RUNS]
//!
//! bench/lang_cost.sh makes a corpus and runs it.

use std::time::{Duration, Instant};

use textmend::lang::{detect, script, Candidates};
use textmend::{Cleaner, Config, Profile};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn report(label: &str, texts: &[String], runs: usize) {
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let cfg = Config::default();
    let cleaner = Cleaner::new(cfg.clone()).expect("default config");
    let cands = Candidates::from_codes(&[]);
    // Profile::compute takes the census from the line scan; identification proper starts there.
    let censuses: Vec<script::ScriptCensus> =
        texts.iter().map(|t| script::ScriptCensus::of(t)).collect();
    let mut methods = std::collections::BTreeMap::new();
    let mut passes = 0usize;
    for t in texts {
        *methods
            .entry(Profile::compute(t, &cfg).lang_method)
            .or_insert(0usize) += 1;
        passes += cleaner.clean(t).passes;
    }
    let per_doc_passes = passes as f64 / texts.len() as f64;
    // Interleaved, so that load from other processes hits every measurement alike; the share
    // reported is the median of the per-run shares.
    let (mut ident, mut scan, mut score, mut profile, mut clean) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut share = vec![];
    for _ in 0..runs {
        ident.push(time(1, || {
            for (t, census) in texts.iter().zip(&censuses) {
                std::hint::black_box(detect::identify(t, census, cands));
            }
        }));
        scan.push(time(1, || {
            for t in texts {
                std::hint::black_box(script::scan(t));
            }
        }));
        score.push(time(1, || {
            for t in texts {
                std::hint::black_box(textmend::rules::score::artifact_score(t));
            }
        }));
        profile.push(time(1, || {
            for t in texts {
                std::hint::black_box(Profile::compute(t, &cfg));
            }
        }));
        clean.push(time(1, || {
            for t in texts {
                std::hint::black_box(cleaner.clean(t));
            }
        }));
        // Cleaner::clean profiles the text once per pass.
        let c = clean.last().unwrap().as_secs_f64();
        share.push((
            per_doc_passes * ident.last().unwrap().as_secs_f64() / c,
            per_doc_passes
                * (ident.last().unwrap().as_secs_f64() + scan.last().unwrap().as_secs_f64())
                / c,
        ));
    }
    let (ident, scan, score, profile, clean) = (
        median(ident),
        median(scan),
        median(score),
        median(profile),
        median(clean),
    );
    let mut s0: Vec<f64> = share.iter().map(|s| s.0).collect();
    let mut s1: Vec<f64> = share.iter().map(|s| s.1).collect();
    s0.sort_by(f64::total_cmp);
    s1.sort_by(f64::total_cmp);
    let mbs = |d: Duration| bytes as f64 / 1e6 / d.as_secs_f64();
    let pct = |d: Duration| 100.0 * d.as_secs_f64() / clean.as_secs_f64();
    println!("== {label}: {} documents, {:.2} MB, {runs} runs (median), {:.2} fix-loop passes per document", texts.len(), bytes as f64 / 1e6, passes as f64 / texts.len() as f64);
    println!("   decided by: {methods:?}");
    println!(
        "   identification (identify, per call): {:>8.1} ms  {:>7.1} MB/s  {:>5.1}% of clean",
        ident.as_secs_f64() * 1e3,
        mbs(ident),
        pct(ident)
    );
    println!(
        "   line scan + CJK zones (script::scan): {:>8.1} ms  {:>7.1} MB/s  {:>5.1}% of clean",
        scan.as_secs_f64() * 1e3,
        mbs(scan),
        pct(scan)
    );
    println!(
        "   artifact score (rules::score):      {:>8.1} ms  {:>7.1} MB/s  {:>5.1}% of clean",
        score.as_secs_f64() * 1e3,
        mbs(score),
        pct(score)
    );
    println!(
        "   Profile::compute (one call):        {:>8.1} ms  {:>7.1} MB/s  {:>5.1}% of clean",
        profile.as_secs_f64() * 1e3,
        mbs(profile),
        pct(profile)
    );
    println!(
        "   Cleaner::clean:                     {:>8.1} ms  {:>7.1} MB/s",
        clean.as_secs_f64() * 1e3,
        mbs(clean)
    );
    println!(
        "   share of clean time (x passes per document; median of per-run ratios): identification {:.1}%, identification + line scan {:.1}%",
        100.0 * s0[s0.len() / 2],
        100.0 * s1[s1.len() / 2]
    );
}

/// lingua alone on the non-English Latin-script fixtures, by sample size and accuracy mode.
fn lingua_modes(dir: &std::path::Path) {
    use lingua::Language::*;
    let langs = [
        English, German, French, Spanish, Portuguese, Italian, Vietnamese,
    ];
    let high = lingua::LanguageDetectorBuilder::from_languages(&langs).build();
    let low = lingua::LanguageDetectorBuilder::from_languages(&langs)
        .with_low_accuracy_mode()
        .build();
    let docs: Vec<(String, String)> = [
        "de__bakery",
        "es__water",
        "fr__festival",
        "it__museum",
        "pt__school",
        "vi__bridge",
    ]
    .iter()
    .map(|n| {
        (
            n[..2].to_string(),
            std::fs::read_to_string(dir.join(format!("{n}.txt"))).unwrap(),
        )
    })
    .collect();
    for (name, det) in [("high accuracy", &high), ("low accuracy", &low)] {
        for budget in [256usize, 512, 1024] {
            let samples: Vec<(String, String)> = docs
                .iter()
                .map(|(l, t)| (l.clone(), detect::sample(t, budget)))
                .collect();
            let mut right = 0;
            for (l, s) in &samples {
                let top = det.compute_language_confidence_values(s.as_str())[0].0;
                right += (top.iso_code_639_1().to_string() == *l) as usize;
            }
            let reps = 20;
            let d = time(3, || {
                for _ in 0..reps {
                    for (_, s) in &samples {
                        std::hint::black_box(det.compute_language_confidence_values(s.as_str()));
                    }
                }
            });
            let per = d.as_secs_f64() * 1e3 / (reps * samples.len()) as f64;
            println!("   lingua {name}, sample {budget:>4} B: {per:.2} ms per document, {right}/{} right", samples.len());
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let Some(path) = args.first().cloned() else {
        // `cargo test --all-targets` runs benches with no arguments: nothing to measure then.
        eprintln!("usage: cargo bench --bench lang_cost -- CORPUS.jsonl [RUNS] (no corpus given: nothing measured)");
        return;
    };
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);

    // lingua loads its models on first use; time that once, before anything else touches them.
    let t = Instant::now();
    detect::warm_up();
    println!(
        "lingua model load on first use (7 Latin-script languages): {:.0} ms",
        t.elapsed().as_secs_f64() * 1e3
    );

    let data = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let texts: Vec<String> = data
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("JSONL")["text"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    let name = std::path::Path::new(&path)
        .file_name()
        .map_or(path.clone(), |n| n.to_string_lossy().to_string());
    report(&format!("synthetic corpus {name}"), &texts, runs);

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/lang");
    let mut fx: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    fx.sort();
    let many: Vec<String> = (0..100).flat_map(|_| fx.iter().cloned()).collect();
    lingua_modes(&dir);
    report(
        "fixtures/lang x100 (12 languages, lingua runs on the 5 non-English Latin ones)",
        &many,
        runs,
    );
}
