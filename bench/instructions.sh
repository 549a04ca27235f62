#!/usr/bin/env bash
# Per-document instruction count of `textmend clean` (callgrind; stable on a loaded machine), the
# metric BENCHMARKS.md quotes. Usage:
#   bash bench/instructions.sh CORPUS.jsonl
# TEXTMEND names the binary (default target/release/textmend). Needs valgrind.
#
# It prints two figures, each "the corpus twice minus the corpus once" (start-up and lazily built
# automata cancel out):
# - per-document: CORPUS doubled. The second copy repeats the first, so a cache that outlives a
#   document would hit on every line of it and look like a gain no real corpus gives;
# - unique-line check: the same documents with a distinct token ending every non-blank line, in
#   both copies, so no line repeats anywhere. A step that only helps the first figure is a cache
#   across documents, not a speed-up. (The token changes what the rules find, so the two figures
#   differ; compare each with itself.)
set -euo pipefail
CORPUS=${1:?usage: bench/instructions.sh CORPUS.jsonl}
BIN=${TEXTMEND:-target/release/textmend}
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is not installed" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 - "$CORPUS" "$WORK" <<'PY'
import json, sys
corpus, work = sys.argv[1], sys.argv[2]
docs = [json.loads(l) for l in open(corpus, encoding="utf-8") if l.strip()]

def token(n):
    s = ""
    n += 26 * 27  # at least three letters
    while n:
        s = chr(97 + n % 26) + s
        n //= 26
    return "q" + s

def write(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

write(f"{work}/x1.jsonl", docs)
write(f"{work}/x2.jsonl", docs + [dict(d, id=f"{d['id']}-2") for d in docs])
k = 0
unique = []
for copy in range(2):
    for d in docs:
        lines = []
        for line in d["text"].split("\n"):
            if line.strip():
                line = f"{line} {token(k)}"
                k += 1
            lines.append(line)
        unique.append(dict(d, id=f"{d['id']}-{copy}", text="\n".join(lines)))
write(f"{work}/u1.jsonl", unique[: len(docs)])
write(f"{work}/u2.jsonl", unique)
PY
count() {
  valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" "$BIN" clean "$1" \
    --out "$WORK/out" --threads 1 -q 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
  rm -rf "$WORK/out"
}
x1=$(count "$WORK/x1.jsonl"); x2=$(count "$WORK/x2.jsonl")
u1=$(count "$WORK/u1.jsonl"); u2=$(count "$WORK/u2.jsonl")
bytes=$(wc -c < "$CORPUS")
echo "per-document instructions: $((x2 - x1)) ($(( (x2 - x1) / bytes )) per byte of JSONL input)"
echo "unique-line check:         $((u2 - u1))"
