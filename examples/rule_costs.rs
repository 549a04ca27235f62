//! Where the time goes: per-rule `check` cost, profiling cost and the whole fix loop, over the
//! texts of a JSONL corpus, single-threaded.
//!
//!     cargo run --release --example rule_costs -- corpus.jsonl
//!
//! Prints MB/s for each stage on the input texts (first pass only for per-rule figures).

use std::time::Instant;

use textmend::rules::DocView;
use textmend::{Cleaner, Config, Profile};

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: rule_costs CORPUS.jsonl");
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

    let t = Instant::now();
    let profiles: Vec<Profile> = texts.iter().map(|x| Profile::compute(x, &cfg)).collect();
    let prof_s = t.elapsed().as_secs_f64();

    // The confirming pass: each rule again on the cleaned texts (what the last pass reads).
    let cleaned: Vec<String> = texts.iter().map(|x| cleaner.clean(x).text).collect();
    let cleaned_profiles: Vec<Profile> =
        cleaned.iter().map(|x| Profile::compute(x, &cfg)).collect();
    let time_rule = |rule: &dyn textmend::rules::Rule, texts: &[String], profiles: &[Profile]| {
        let t = Instant::now();
        let mut n = 0;
        for (x, p) in texts.iter().zip(profiles) {
            let view = DocView::first_pass(x, p, &cfg);
            let mut out = Vec::new();
            rule.check(&view, &mut out);
            n += out.len();
        }
        (t.elapsed().as_secs_f64(), n)
    };
    let mut costs: Vec<(String, f64, usize, f64, usize)> = Vec::new();
    for rule in cleaner.rules() {
        let (s, n) = time_rule(rule, &texts, &profiles);
        let (s2, n2) = time_rule(rule, &cleaned, &cleaned_profiles);
        costs.push((rule.id().to_string(), s, n, s2, n2));
    }
    let t = Instant::now();
    let mut passes = 0;
    for x in &texts {
        passes += cleaner.clean(x).passes;
    }
    let total_s = t.elapsed().as_secs_f64();

    println!(
        "{mb:.1} MB, {} documents, {:.2} passes per document",
        texts.len(),
        passes as f64 / texts.len() as f64
    );
    println!(
        "{:32} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "stage", "seconds", "MB/s", "findings", "on clean", "findings"
    );
    println!(
        "{:32} {:9.3} {:9.1}",
        "whole clean (all passes)",
        total_s,
        mb / total_s
    );
    println!(
        "{:32} {:9.3} {:9.1}",
        "Profile::compute (once)",
        prof_s,
        mb / prof_s
    );
    costs.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (a, b): (f64, f64) = costs
        .iter()
        .fold((0.0, 0.0), |(a, b), c| (a + c.1, b + c.3));
    println!(
        "{:32} {a:9.3} {:9.1} {:>9} {b:9.3}",
        "all rules",
        mb / a,
        ""
    );
    for (id, s, n, s2, n2) in costs {
        println!("{id:32} {s:9.3} {:9.1} {n:9} {s2:9.3} {n2:9}", mb / s);
    }
}
