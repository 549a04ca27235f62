//! Support code for the fuzz targets: the invariant checks and the structured input generator.

pub mod gen;
pub mod invariants;

use std::sync::LazyLock;

use textmend::Cleaner;

/// One cleaner per configuration of [`invariants::configs`], built once per process.
pub static CLEANERS: LazyLock<Vec<(&'static str, Cleaner)>> = LazyLock::new(|| {
    invariants::configs()
        .into_iter()
        .map(|(name, cfg)| (name, Cleaner::new(cfg).expect("fuzz config builds")))
        .collect()
});

/// Runs every invariant on `input` under every configuration; panics (a fuzzer finding) on the
/// first one that breaks, naming the configuration.
pub fn check_all(input: &[u8]) {
    for (name, cleaner) in CLEANERS.iter() {
        if let Err(e) = invariants::check(cleaner, input) {
            panic!("[{name}] {e}\ninput: {:?}", String::from_utf8_lossy(input));
        }
    }
}
