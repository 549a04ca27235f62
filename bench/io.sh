#!/usr/bin/env bash
# What compressed corpora cost, and whether reading and writing could hold a many-thread run up.
# Usage:
#   bash bench/io.sh CORPUS.jsonl [RUNS]       (default 3 runs; figures are medians)
# TEXTMEND names the binary (default target/release/textmend). Makes CORPUS.gz and CORPUS.zst
# next to a copy of the corpus in a scratch folder (OUTDIR; default a temporary one, removed).
#
# Two tables, MB/s of document text:
# - every rule, 1 thread and all threads, for the plain, gzip and zstd forms of the corpus (the
#   output follows the input's compression): the price of compression at each thread count;
# - "I/O only" (one cheap rule, the language given, uncompressed output) at 1 thread and all
#   threads: how fast the pipeline reads, parses, writes and decompresses when cleaning costs
#   little. One gzip stream is decoded on one thread whatever --threads says. While the rate still
#   grows with the threads, the workers (JSON, the profile) are the limit, and the figure is a
#   lower bound of what the reading side could feed; divided by the every-rule rate of one
#   thread, it is the number of cores the input side keeps busy at least.
set -euo pipefail
CORPUS=${1:?usage: bench/io.sh CORPUS.jsonl [RUNS]}
RUNS=${2:-3}
BIN=${TEXTMEND:-target/release/textmend}
if [ -z "${OUTDIR:-}" ]; then
  OUTDIR=$(mktemp -d)
  trap 'rm -rf "$OUTDIR"' EXIT
fi
mkdir -p "$OUTDIR"
command -v gzip >/dev/null || { echo "io.sh: gzip is not installed" >&2; exit 2; }
command -v zstd >/dev/null || { echo "io.sh: zstd is not installed" >&2; exit 2; }
cp "$CORPUS" "$OUTDIR/corpus.jsonl"
gzip -6 -c "$OUTDIR/corpus.jsonl" > "$OUTDIR/corpus.jsonl.gz"
zstd -q -3 -f "$OUTDIR/corpus.jsonl" -o "$OUTDIR/corpus.jsonl.zst"
python3 - "$BIN" "$OUTDIR" "$RUNS" <<'PY'
import json, os, statistics, subprocess, sys, time
bin_, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
plain = os.path.join(work, "corpus.jsonl")
mb = sum(len(json.loads(l)["text"].encode()) for l in open(plain, encoding="utf-8") if l.strip()) / 1e6
nproc = os.cpu_count()
forms = {"plain": plain, "gzip": plain + ".gz", "zstd": plain + ".zst"}
io_only = ["--only", "generic/mojibake", "--lang", "en", "--compress", "none"]
cases = [(f, t, x) for x in ([], io_only) for f in forms for t in sorted({1, nproc})]
times = {c[:2] + (bool(c[2]),): [] for c in cases}
for _ in range(runs):  # interleaved: every case once per round
    for form, threads, extra in cases:
        out = os.path.join(work, "out")
        subprocess.run(["rm", "-rf", out], check=True)
        t0 = time.perf_counter()
        subprocess.run([bin_, "clean", forms[form], "--out", out, "--threads", str(threads), "-q"] + extra,
                       check=True)
        times[(form, threads, bool(extra))].append(time.perf_counter() - t0)
rate = {k: mb / statistics.median(v) for k, v in times.items()}
print(f"corpus: {plain} ({mb:.1f} MB of text; gzip {os.path.getsize(forms['gzip']) / 1e6:.1f} MB, "
      f"zstd {os.path.getsize(forms['zstd']) / 1e6:.1f} MB), medians of {runs} runs, {nproc} CPUs")
print(f"{'every rule':12} {'threads':>7} {'MB/s':>8} {'vs plain':>9}")
for form in forms:
    for t in sorted({1, nproc}):
        r = rate[(form, t, False)]
        print(f"{form:12} {t:7} {r:8.2f} {r / rate[('plain', t, False)]:8.2f}x")
per_thread = rate[("plain", 1, False)]
print(f"{'I/O only':12} {'threads':>7} {'MB/s':>8} {'cores fed':>9}")
for form in forms:
    for t in sorted({1, nproc}):
        r = rate[(form, t, True)]
        print(f"{form:12} {t:7} {r:8.2f} {r / per_thread:9.1f}")
print(f"(cores fed: I/O-only MB/s over the every-rule rate of one thread, {per_thread:.2f} MB/s;"
      " a lower bound while the rate still grows with the threads)")
PY
