#!/usr/bin/env bash
# Parallel scaling of `textmend clean` on one JSONL corpus (or a directory of .txt files): MB/s of document text at each thread
# count (medians of RUNS runs, thread counts interleaved within each round), the speedup over one
# thread, the parallel efficiency (speedup / threads) and the peak RSS. Usage:
#   bash bench/scale.sh CORPUS.jsonl [RUNS] [THREADS...]     (defaults: 3 runs; 1 2 4 ... nproc)
#   bash bench/scale.sh TXT_DIR [RUNS] [THREADS...]          (e.g. make_corpus.py --txt-dir TXT_DIR)
# TEXTMEND names the binary (default target/release/textmend); OUTDIR the scratch output folder.
# It also checks that every thread count wrote the same bytes as one thread.
set -euo pipefail
CORPUS=${1:?usage: bench/scale.sh CORPUS.jsonl [RUNS] [THREADS...]}
RUNS=${2:-3}
shift $(( $# >= 2 ? 2 : 1 ))
BIN=${TEXTMEND:-target/release/textmend}
OUTDIR=${OUTDIR:-$(mktemp -d)}
if [ $# -gt 0 ]; then
  THREADS="$*"
else
  n=$(nproc); THREADS=""; t=1
  while [ "$t" -lt "$n" ]; do THREADS="$THREADS $t"; t=$((t * 2)); done
  THREADS="$THREADS $n"
fi
python3 - "$BIN" "$CORPUS" "$RUNS" "$OUTDIR" $THREADS <<'PY'
import hashlib, json, os, statistics, subprocess, sys, time
bin_, corpus, runs, outdir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
threads = [int(t) for t in sys.argv[5:]]
if os.path.isdir(corpus):  # a directory of .txt files: their bytes are the text
    mb = sum(os.path.getsize(os.path.join(root, n)) for root, _, names in os.walk(corpus)
             for n in names if n.endswith(".txt")) / 1e6
else:
    mb = sum(len(json.loads(l)["text"].encode()) for l in open(corpus, encoding="utf-8") if l.strip()) / 1e6
times = {t: [] for t in threads}
digests = {}
rss = {}
def digest(folder):
    h = hashlib.sha256()
    for root, _, files in sorted(os.walk(folder)):
        for name in sorted(files):
            if name == "report.json":
                continue  # holds timings
            with open(os.path.join(root, name), "rb") as f:
                h.update(name.encode()); h.update(f.read())
    return h.hexdigest()
for r in range(runs):
    for t in threads:
        out = os.path.join(outdir, f"t{t}")
        subprocess.run(["rm", "-rf", out], check=True)
        t0 = time.perf_counter()
        child = subprocess.Popen([bin_, "clean", corpus, "--out", out, "--threads", str(t), "--quiet"])
        _, status, usage = os.wait4(child.pid, 0)
        times[t].append(time.perf_counter() - t0)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            sys.exit(f"textmend exited with {child.returncode} at --threads {t}")
        rss[t] = max(rss.get(t, 0), usage.ru_maxrss / 1024)
        if r == 0:
            digests[t] = digest(out)
base = mb / statistics.median(times[threads[0]]) / threads[0]
print(f"corpus: {corpus} ({mb:.1f} MB of text), medians of {runs} runs, {os.cpu_count()} CPUs")
print(f"{'threads':>7} {'median s':>9} {'MB/s':>8} {'speedup':>8} {'efficiency':>10} {'peak RSS':>9}  runs (s)")
for t in threads:
    m = statistics.median(times[t])
    rate = mb / m
    print(f"{t:>7} {m:9.2f} {rate:8.2f} {rate / base:8.2f} {rate / base / t:10.0%} {rss[t]:6.0f} MB  "
          + " ".join(f"{x:.2f}" for x in times[t]))
same = len(set(digests.values())) == 1
print("outputs identical across thread counts:", "yes" if same else "NO")
sys.exit(0 if same else 1)
PY
