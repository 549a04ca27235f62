#!/usr/bin/env bash
# CI smoke run of the fuzz targets: build each one and fuzz it for a fixed number of executions
# (RUNS_PER_TARGET, default 12000; 20 times that for the fast JSONL parser) from a fixed seed (FUZZ_SEED, default 1), starting from the kept
# regression inputs and the seed articles. Exits non-zero when a target crashes (an invariant
# broke: see fuzz/README.md for what to do with the artifact).
#
# The run is reproducible: the same commit explores the same inputs on every machine, so CI does
# not pass or fail by the luck of the draw. Exploring new inputs is the job of the long runs in
# fuzz/README.md (or of FUZZ_SEED=$RANDOM here). SECONDS_PER_TARGET (default 120) only caps a run
# on a slow machine.
#
# Needs cargo-fuzz; it is installed when missing (about 3.5 minutes on a 2-core machine). Only the
# stable toolchain is needed: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its nightly-only flags.
set -euo pipefail
cd "$(dirname "$0")"

SECS="${SECONDS_PER_TARGET:-120}"
RUNS="${RUNS_PER_TARGET:-12000}"
SEED="${FUZZ_SEED:-1}"
TARGETS=(clean_bytes clean_str jsonl_line)

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "smoke.sh: installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
fi

export RUSTC_BOOTSTRAP=1
# No AddressSanitizer: the code under test is safe Rust, and ASan halves the execution rate.
FLAGS=(--sanitizer none --debug-assertions)

cargo fuzz build "${FLAGS[@]}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for t in "${TARGETS[@]}"; do
    mkdir -p "$work/$t"
    runs=$RUNS
    # The JSONL line parser runs ~100x faster than a cleaning: give it more inputs for free.
    [ "$t" = jsonl_line ] && runs=$((RUNS * 20))
    echo "smoke.sh: fuzzing $t for $runs runs from seed $SEED (at most ${SECS}s)" >&2
    # New inputs go to the scratch corpus (first directory); the fixtures are only read.
    cargo fuzz run "${FLAGS[@]}" "$t" "$work/$t" ../fixtures/fuzz ../fixtures/seeds -- \
        -runs="$runs" -seed="$SEED" -max_total_time="$SECS" -max_len=1024 -timeout=10 -print_final_stats=1
done
echo "smoke.sh: ${#TARGETS[@]} targets ran from seed $SEED without a crash" >&2
