#!/usr/bin/env bash
# Builds a profile-guided (PGO) release binary of textmend: an instrumented build, a training run
# on the bundled fixtures, then a build that uses the recorded profile. The code is the same as
# `cargo build --release`; only the compiler's layout and inlining choices change, so the output
# bytes are the same (the script checks this on the fixtures).
#
# Usage: bash bench/pgo.sh            -> target/pgo/release/textmend
#        EXTRA_RUSTFLAGS="-Ctarget-cpu=native" bash bench/pgo.sh   (also tuned to this CPU; the
#        binary then runs only on CPUs with the same instruction set extensions)
# Needs the llvm-profdata that matches rustc's LLVM: `rustup component add llvm-tools`.
#
# Training input: every fixture set (fixtures/seeds, holdout/raw, clean, lang, fuzz) as text
# directories, and twenty times over as one JSONL file (about 1.5 MB). The synthetic benchmark corpus
# (../shared/bench/make_corpus.py) is NOT used for training, so a speed-up measured on it is not
# one the profile learnt from the measured text.
set -euo pipefail
cd "$(dirname "$0")/.."
host=$(rustc -vV | sed -n 's/^host: //p')
profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
if [[ ! -x "$profdata" ]]; then
    echo "pgo.sh: $profdata not found; run: rustup component add llvm-tools" >&2
    exit 2
fi
root=$PWD/target
data=$root/pgo-data
rm -rf "$data"
mkdir -p "$data/raw"

echo "pgo.sh: instrumented build (target/pgo-gen)" >&2
RUSTFLAGS="-Cprofile-generate=$data/raw ${EXTRA_RUSTFLAGS:-}" CARGO_TARGET_DIR=$root/pgo-gen \
    cargo build --release --bin textmend --target "$host" --quiet
gen=$root/pgo-gen/$host/release/textmend

echo "pgo.sh: training run on fixtures/" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/train.jsonl" fixtures/seeds fixtures/holdout/raw fixtures/clean fixtures/lang fixtures/fuzz <<'PY'
import json, pathlib, sys
out, dirs = sys.argv[1], sys.argv[2:]
with open(out, "w", encoding="utf-8") as f:
    # Twenty copies, so that cleaning documents, not start-up (building the automata), is
    # what the profile finds hot.
    for copy in range(20):
        for d in dirs:
            for p in sorted(pathlib.Path(d).rglob("*")):
                if p.is_file() and p.name != "README.md":
                    text = p.read_bytes().decode("utf-8", "replace")
                    doc = {"id": f"{copy}/{p}", "text": text}
                    f.write(json.dumps(doc, ensure_ascii=False) + "\n")
PY
"$gen" clean "$work/train.jsonl" --out "$work/out-1" --threads 1 -q --changes "$work/changes-1.jsonl"
for set in seeds holdout/raw clean lang; do
    "$gen" clean "fixtures/$set" --out "$work/txt-${set//\//-}" --threads 1 -q
done

"$profdata" merge -o "$data/merged.profdata" "$data/raw"

echo "pgo.sh: optimized build (target/pgo)" >&2
RUSTFLAGS="-Cprofile-use=$data/merged.profdata ${EXTRA_RUSTFLAGS:-}" CARGO_TARGET_DIR=$root/pgo \
    cargo build --release --bin textmend --target "$host" --quiet
mkdir -p "$root/pgo/release"
cp "$root/pgo/$host/release/textmend" "$root/pgo/release/textmend"

# Same bytes as the instrumented (plain-code) build on the training input.
"$root/pgo/release/textmend" clean "$work/train.jsonl" --out "$work/check" --threads 1 -q --changes "$work/changes-check.jsonl"
cmp -s "$work/out-1/train.jsonl" "$work/check/train.jsonl" && cmp -s "$work/changes-1.jsonl" "$work/changes-check.jsonl" || {
    echo "pgo.sh: the PGO binary's output differs from the plain build's" >&2
    exit 1
}
echo "pgo.sh: built target/pgo/release/textmend" >&2
