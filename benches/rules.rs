//! Divan micro-benchmarks of the rule engine and the hot rules, on the repository's own fixtures
//! (no corpus argument):
//!
//!     cargo bench --bench rules                 # all benchmarks
//!     cargo bench --bench rules -- rule_check   # a filter, as divan takes it
//!
//! Every benchmark reports bytes of input per second. One iteration processes all the inputs of its
//! set: the MT seed articles (`fixtures/seeds/*.txt`) or the clean articles in ten languages
//! (`fixtures/clean/*.txt`).
//!
//! Under `cargo test --all-targets` cargo runs this binary without `--bench`, and divan then runs
//! each benchmark once as a smoke test (no timing), so CI stays cheap.

use std::sync::LazyLock;

use divan::counter::BytesCount;
use divan::Bencher;
use textmend::rules::DocView;
use textmend::text::edit::{apply, compose, Edit, Span};
use textmend::{Cleaner, Config, Profile};

fn main() {
    divan::main();
}

/// The `*.txt` files of a fixture folder, in name order.
fn read_dir(dir: &str) -> Vec<String> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {dir}: {e}"))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no .txt files in {dir}");
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("read {p:?}: {e}")))
        .collect()
}

static SEEDS: LazyLock<Vec<String>> =
    LazyLock::new(|| read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seeds")));
static CLEAN: LazyLock<Vec<String>> =
    LazyLock::new(|| read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/clean")));
static CLEANER: LazyLock<Cleaner> =
    LazyLock::new(|| Cleaner::new(Config::default()).expect("default config builds"));
/// The first-pass profile of each seed, as the fix loop computes it before running the rules.
static SEED_PROFILES: LazyLock<Vec<Profile>> = LazyLock::new(|| {
    SEEDS
        .iter()
        .map(|t| Profile::compute(t, CLEANER.config()))
        .collect()
});

fn bytes(texts: &[String]) -> BytesCount {
    BytesCount::new(texts.iter().map(|t| t.len()).sum::<usize>())
}

/// The whole fix loop (profile, every rule, choose, apply, compose, repeat) on the MT seeds.
#[divan::bench]
fn clean_seeds(bencher: Bencher) {
    let cleaner = &*CLEANER;
    bencher.counter(bytes(&SEEDS)).bench(|| {
        for t in SEEDS.iter() {
            divan::black_box(cleaner.clean(divan::black_box(t)));
        }
    });
}

/// The no-edit path: clean articles in ten languages, which must come back byte-identical.
#[divan::bench]
fn clean_clean_fixtures(bencher: Bencher) {
    let cleaner = &*CLEANER;
    bencher.counter(bytes(&CLEAN)).bench(|| {
        for t in CLEAN.iter() {
            divan::black_box(cleaner.clean(divan::black_box(t)));
        }
    });
}

/// Language identification, script census and artifact score of each seed.
#[divan::bench]
fn profile_seeds(bencher: Bencher) {
    let cfg = CLEANER.config();
    bencher.counter(bytes(&SEEDS)).bench(|| {
        for t in SEEDS.iter() {
            divan::black_box(Profile::compute(divan::black_box(t), cfg));
        }
    });
}

/// [`profile_seeds`] on the clean articles in ten languages.
#[divan::bench]
fn profile_clean_fixtures(bencher: Bencher) {
    let cfg = CLEANER.config();
    bencher.counter(bytes(&CLEAN)).bench(|| {
        for t in CLEAN.iter() {
            divan::black_box(Profile::compute(divan::black_box(t), cfg));
        }
    });
}

/// One first-pass `check` of one rule over every seed (findings collected, nothing applied).
#[divan::bench(args = [
    "zh_en/case",
    "structure/duplicate-title",
    "structure/dateline",
    "generic/spacing",
    "zh_en/counted-noun",
    "structure/boilerplate",
    "zh_en/names",
    "zh_en/date",
])]
fn rule_check(bencher: Bencher, id: &str) {
    let rule = CLEANER
        .rules()
        .find(|r| r.id() == id)
        .unwrap_or_else(|| panic!("no enabled rule {id}: update the list in benches/rules.rs"));
    let cfg = CLEANER.config();
    let profiles = &*SEED_PROFILES;
    bencher.counter(bytes(&SEEDS)).bench(|| {
        let mut n = 0;
        for (text, profile) in SEEDS.iter().zip(profiles) {
            let view = DocView::first_pass(divan::black_box(text), profile, cfg);
            let mut out = Vec::new();
            rule.check(&view, &mut out);
            n += out.len();
        }
        n
    });
}

/// One seed's change log split into two passes, as the fix loop hands them to `compose`.
struct Passes {
    orig: String,
    /// All edits against `orig` (the final change log).
    all: Vec<Edit>,
    /// Every other edit of `all`, against `orig`.
    prev: Vec<Edit>,
    /// `apply(orig, prev)`.
    cur: Vec<u8>,
    /// The remaining edits, moved into `cur` coordinates.
    next: Vec<Edit>,
}

/// The change logs of all seeds, each split into an even and an odd pass.
static PASSES: LazyLock<Vec<Passes>> = LazyLock::new(|| {
    SEEDS
        .iter()
        .map(|orig| {
            let all = CLEANER.clean(orig).edits;
            let mut prev = Vec::new();
            let mut next = Vec::new();
            // Running length change of the `prev` edits seen so far (cur - orig).
            let mut delta: isize = 0;
            for (i, e) in all.iter().enumerate() {
                if i % 2 == 0 {
                    delta += e.replacement.len() as isize - e.span.len() as isize;
                    prev.push(e.clone());
                } else {
                    let mut moved = e.clone();
                    moved.span = Span::new(
                        (e.span.start as isize + delta) as usize,
                        (e.span.end as isize + delta) as usize,
                    );
                    next.push(moved);
                }
            }
            let cur = apply(orig.as_bytes(), &prev);
            // The split is right when composing it gives back the cleaner's output.
            let composed = compose(orig.as_bytes(), &cur, &prev, &next);
            assert_eq!(
                apply(orig.as_bytes(), &composed),
                apply(orig.as_bytes(), &all)
            );
            Passes {
                orig: orig.clone(),
                all,
                prev,
                cur,
                next,
            }
        })
        .collect()
});

/// `text::edit::compose` of the seeds' change logs, split into two passes.
#[divan::bench]
fn compose_seed_edits(bencher: Bencher) {
    let passes = &*PASSES;
    let n: usize = passes.iter().map(|p| p.orig.len()).sum();
    bencher.counter(BytesCount::new(n)).bench(|| {
        for p in passes {
            divan::black_box(compose(
                p.orig.as_bytes(),
                &p.cur,
                divan::black_box(&p.prev),
                divan::black_box(&p.next),
            ));
        }
    });
}

/// `text::edit::apply` of each seed's whole change log to its original.
#[divan::bench]
fn apply_seed_edits(bencher: Bencher) {
    let passes = &*PASSES;
    let n: usize = passes.iter().map(|p| p.orig.len()).sum();
    bencher.counter(BytesCount::new(n)).bench(|| {
        for p in passes {
            divan::black_box(apply(p.orig.as_bytes(), divan::black_box(&p.all)));
        }
    });
}
