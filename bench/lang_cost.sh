#!/usr/bin/env bash
# Measures language identification against whole cleaning, in a release build.
# Usage: bench/lang_cost.sh [MB] [RUNS]   (needs the shared bench/make_corpus.py beside the repo)
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-5}
RUNS=${2:-5}
CORPUS=${CORPUS:-${TMPDIR:-/tmp}/textmend-lang-corpus-${MB}mb.jsonl}
MAKER=${MAKE_CORPUS:-../shared/bench/make_corpus.py}
if [ ! -f "$CORPUS" ]; then
  python3 "$MAKER" --mb "$MB" --out "$CORPUS"
fi
cargo bench --bench lang_cost -- "$CORPUS" "$RUNS" | tee bench/lang_cost.txt
