#!/usr/bin/env bash
# A directory of many small .txt files against the same documents as one JSONL, per byte.
# Usage:
#   bash bench/many_files.sh [MB] [RUNS]      (defaults: 30 MB, 5 runs; figures are medians)
# TEXTMEND names the binary (default target/release/textmend); SHARED the folder holding
# bench/make_corpus.py (default ../shared). Inputs and outputs live in WORK (default a temporary
# folder, removed at the end): set WORK to a folder on the disk to measure, e.g. WORK=/dev/shm/x
# for tmpfs, where creating a file costs little, or a folder on the corpus disk.
#
# make_corpus.py with one seed gives the same documents as --txt-dir (one file each) and as
# --out (one JSONL), so the two shapes hold the same text. Every case runs once per round
# (interleaved); MB/s is the document text over the wall time, and the ratio is the directory's
# rate over the JSONL's at the same thread count. The last line is the file system's floor: a
# Python loop that only reads each text file and writes it back as textmend writes an output
# (a temporary file, then a rename), one file at a time.
set -euo pipefail
MB=${1:-30}
RUNS=${2:-5}
BIN=${TEXTMEND:-target/release/textmend}
SHARED=${SHARED:-../shared}
[ -x "$BIN" ] || { echo "many_files.sh: $BIN is not an executable (cargo build --release)" >&2; exit 2; }
if [ -z "${WORK:-}" ]; then
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"
python3 "$SHARED/bench/make_corpus.py" --mb "$MB" --seed 7 --out "$WORK/one.jsonl"
python3 "$SHARED/bench/make_corpus.py" --mb "$MB" --seed 7 --txt-dir "$WORK/txt"
python3 - "$BIN" "$WORK" "$RUNS" <<'PY'
import json, os, statistics, subprocess, sys, time
bin_, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
one = os.path.join(work, "one.jsonl")
txt = os.path.join(work, "txt")
docs = [json.loads(l)["text"] for l in open(one, encoding="utf-8") if l.strip()]
files = sorted(os.listdir(txt))
if len(files) != len(docs):
    sys.exit(f"many_files.sh: {len(files)} text files but {len(docs)} JSONL documents")
mb = sum(len(d.encode()) for d in docs) / 1e6
nproc = os.cpu_count()
threads = sorted({1, nproc})
cases = [(shape, t) for t in threads for shape in ("jsonl", "txt")]
times = {c: [] for c in cases}
out = os.path.join(work, "out")
for _ in range(runs):
    for shape, t in cases:
        subprocess.run(["rm", "-rf", out], check=True)
        t0 = time.perf_counter()
        subprocess.run([bin_, "clean", one if shape == "jsonl" else txt, "--out", out,
                        "--threads", str(t), "-q"], check=True)
        times[(shape, t)].append(time.perf_counter() - t0)
    subprocess.run(["rm", "-rf", out], check=True)
    t0 = time.perf_counter()
    os.mkdir(out)
    for name in files:
        with open(os.path.join(txt, name), "rb") as f:
            data = f.read()
        tmp = os.path.join(out, "." + name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(data)
        os.rename(tmp, os.path.join(out, name))
    times.setdefault("floor", []).append(time.perf_counter() - t0)
print(f"{len(docs)} documents, {mb:.1f} MB of text, medians of {runs} runs, {nproc} CPUs, in {work}")
print(f"{'threads':>7} {'one JSONL MB/s':>15} {'.txt files MB/s':>16} {'txt / JSONL':>12}")
for t in threads:
    j = mb / statistics.median(times[("jsonl", t)])
    x = mb / statistics.median(times[("txt", t)])
    print(f"{t:7} {j:15.2f} {x:16.2f} {x / j:11.2f}x")
floor = mb / statistics.median(times["floor"])
print(f"floor: reading and writing back the .txt files alone (Python, one at a time) {floor:.2f} MB/s")
PY
