#!/usr/bin/env bash
# The serial work of the threads that do not clean, per thread, from `perf` samples of one
# `textmend clean` run: the calling thread (writing outputs, checkpoints, start-up), the reading
# threads (chunks; decoding a gzip or zstd stream), the change-log thread. Each can keep up with
# at most (input MB) / (its seconds) of input, however many threads clean: compare that with the
# cleaning rate of one thread times the thread count you plan to run. (For a folder of text files
# the calling thread's figure is a lower bound: cleaning threads with nothing left to clean take
# files to write off it, more of them with more threads.) Usage:
#   bash bench/threads.sh INPUT [THREADS] [RUNS]     (defaults: 2 threads, 5 runs; medians)
# INPUT is a JSONL file (plain, .gz or .zst) or a directory. TEXTMEND names the binary (default
# target/release/textmend); OUTDIR the scratch output folder (put it on tmpfs to leave the disk
# out). Needs perf (the cpu-clock event, so it works in a VM).
set -euo pipefail
INPUT=${1:?usage: bench/threads.sh INPUT [THREADS] [RUNS]}
THREADS=${2:-2}
RUNS=${3:-5}
BIN=${TEXTMEND:-target/release/textmend}
command -v perf >/dev/null || { echo "threads.sh: perf is not installed" >&2; exit 2; }
OUTDIR=${OUTDIR:-$(mktemp -d)}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 - "$BIN" "$INPUT" "$THREADS" "$RUNS" "$OUTDIR" "$WORK" <<'PY'
import collections, os, statistics, subprocess, sys
bin_, inp, threads, runs, outdir, work = sys.argv[1:7]
runs = int(runs)
HZ = 4000
if os.path.isdir(inp):
    mb = sum(os.path.getsize(os.path.join(r, n)) for r, _, ns in os.walk(inp) for n in ns) / 1e6
else:  # the decoded bytes of a compressed input
    opener = {"gz": "zcat", "zst": "zstdcat"}.get(inp.rsplit(".", 1)[-1], "cat")
    mb = int(subprocess.run(f"{opener} '{inp}' | wc -c", shell=True, check=True,
                            capture_output=True, text=True).stdout) / 1e6

def classes(target):
    out = os.path.join(outdir, "threads-out")
    subprocess.run(["rm", "-rf", out], check=True)
    data = os.path.join(work, "perf.data")
    subprocess.run(["perf", "record", "-q", "-e", "cpu-clock", "-F", str(HZ), "-o", data,
                    bin_, "clean", target, "--out", out, "--threads", threads, "-q"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    script = subprocess.run(["perf", "script", "-i", data, "-F", "comm,pid,tid"],
                            check=True, capture_output=True, text=True).stdout
    count = collections.Counter()
    for line in script.splitlines():
        parts = line.split()
        if not parts:
            continue
        pid, tid = parts[-1].split("/")
        comm = " ".join(parts[:-1])
        if pid == tid:
            key = "calling thread"
        elif comm.startswith("textmend-clean"):
            key = "cleaning threads (all)"
        elif comm.startswith("textmend-read-c"):
            key = "reading chunks"
        elif comm.startswith("textmend-read"):
            key = "decoding"
        elif comm.startswith("textmend-chang"):
            key = "change log"
        else:
            key = "other (unnamed)"
        count[key] += 1
    return count

# Start-up: a run on one document (the first line of a JSONL input, the first file of a folder).
one = os.path.join(work, "one")
if os.path.isdir(inp):
    first = sorted(os.path.join(r, n) for r, _, ns in os.walk(inp) for n in ns if n.endswith(".txt"))[0]
    os.makedirs(one)
    subprocess.run(["cp", first, one], check=True)
else:
    one += ".jsonl"
    opener = {"gz": "zcat", "zst": "zstdcat"}.get(inp.rsplit(".", 1)[-1], "cat")
    line = subprocess.run(f"{opener} '{inp}' | head -n 1", shell=True, check=True,
                          capture_output=True).stdout
    open(one, "wb").write(line)
start = statistics.median(classes(one)["calling thread"] for _ in range(runs))
seen = [classes(inp) for _ in range(runs)]
keys = sorted({k for c in seen for k, n in c.items() if n})
print(f"input: {inp} ({mb:.1f} MB), --threads {threads}, medians of {runs} runs, {HZ} samples/s")
print(f"{'thread':24} {'samples':>8} {'seconds':>8} {'keeps up with':>14}")
for k in keys:
    n = statistics.median(c[k] for c in seen)
    rate = "" if k.startswith("cleaning") or n == 0 else f"{mb / (n / HZ):9.0f} MB/s"
    print(f"{k:24} {n:8.0f} {n / HZ:8.3f} {rate:>14}")
n = statistics.median(c["calling thread"] for c in seen) - start
print(f"{'calling, less start-up':24} {n:8.0f} {n / HZ:8.3f} {mb / max(n / HZ, 1e-9):9.0f} MB/s")
print(f"(start-up: {start:.0f} samples of the calling thread on a one-document run)")
PY
