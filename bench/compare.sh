#!/usr/bin/env bash
# Times textmend (1 thread and all threads) against ftfy, sacremoses and clean-text on one synthetic
# corpus, in one run, and prints MB/s and the ratios. Usage:
#   bash bench/compare.sh [MB] [RUNS]        (defaults: 50 MB, 3 runs; figures are medians)
# TEXTMEND names the binary to time (default target/release/textmend, built first), e.g.
# TEXTMEND=target/pgo/release/textmend after bench/pgo.sh.
# Needs: python3; the peers are installed into bench/.venv on first use (PyPI).
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-50}
RUNS=${2:-3}
SHARED=${SHARED:-../shared}
WORK=${WORK:-target/bench}
mkdir -p "$WORK"
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q ftfy==6.3.1 sacremoses==0.2.0 clean-text==0.7.1
fi
BIN=${TEXTMEND:-target/release/textmend}
[ -n "${TEXTMEND:-}" ] || cargo build --release --quiet
[ -x "$BIN" ] || { echo "compare.sh: $BIN is not an executable" >&2; exit 2; }
CORPUS="$WORK/corpus-${MB}mb.jsonl"
[ -f "$CORPUS" ] || python3 "$SHARED/bench/make_corpus.py" --mb "$MB" --out "$CORPUS"
NPROC=$(nproc)
bench/.venv/bin/python - "$CORPUS" "$RUNS" "$NPROC" "$WORK" "$BIN" <<'PY'
import json, os, statistics, subprocess, sys, time
corpus, runs, nproc, work, binary = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
mb = sum(len(json.loads(l)["text"].encode()) for l in open(corpus, encoding="utf-8")) / 1e6
def textmend(threads):
    times = []
    for _ in range(runs):
        out = os.path.join(work, f"out-{threads}")
        t0 = time.perf_counter()
        subprocess.run([binary, "clean", corpus, "--out", out,
                        "--threads", str(threads), "--quiet"], check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)
rows = {}
for n in sorted({1, nproc}):
    rows[f"textmend --threads {n}"] = mb / textmend(n)
peers = json.loads(subprocess.run([sys.executable, "bench/peers.py", corpus, "--runs", str(runs)],
                                  check=True, capture_output=True, text=True).stdout)
for name, r in peers["tools"].items():
    if "mb_per_s" in r:
        rows[name + " (1 thread)"] = r["mb_per_s"]
base = rows["textmend --threads 1"]
print(f"corpus: {corpus} ({mb:.1f} MB of text), medians of {runs} runs, {nproc} cores")
print(f"{'tool':32} {'MB/s':>9} {'textmend-1t / tool':>20}")
for k, v in rows.items():
    print(f"{k:32} {v:9.2f} {base / v:20.1f}x")
if nproc > 1:
    eff = rows[f"textmend --threads {nproc}"] / (nproc * base)
    print(f"parallel efficiency at {nproc} threads: {eff:.0%}")
PY
