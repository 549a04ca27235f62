#!/usr/bin/env python3
"""Times the peer tools on the texts of a JSONL corpus, single-threaded, and prints JSON.

    python3 bench/peers.py corpus.jsonl [--runs 3] [--tools ftfy,sacremoses,clean-text]

Each tool is run over every document's `text` field, `--runs` times; the figure reported is the
median wall time, as MB/s of input text (UTF-8 bytes). A tool that is not installed is reported
as missing, not skipped silently.
"""
import argparse
import json
import statistics
import sys
import time


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f if line.strip()]


def tools(names):
    out = {}
    for name in names:
        try:
            if name == "ftfy":
                import ftfy
                out[name] = ftfy.fix_text
            elif name == "sacremoses":
                from sacremoses import MosesPunctNormalizer
                out[name] = MosesPunctNormalizer(lang="en").normalize
            elif name == "clean-text":
                from cleantext import clean
                out[name] = lambda t: clean(t, fix_unicode=True, to_ascii=False, lower=False)
            else:
                raise SystemExit(f"unknown tool {name!r}")
        except ImportError as e:
            out[name] = e
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tools", default="ftfy,sacremoses,clean-text")
    a = ap.parse_args()
    texts = load(a.corpus)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    result = {"corpus_mb": round(mb, 3), "documents": len(texts), "runs": a.runs, "tools": {}}
    for name, fn in tools(a.tools.split(",")).items():
        if isinstance(fn, Exception):
            result["tools"][name] = {"missing": str(fn)}
            continue
        times = []
        for _ in range(a.runs):
            t0 = time.perf_counter()
            for t in texts:
                fn(t)
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        result["tools"][name] = {"median_s": round(med, 4), "mb_per_s": round(mb / med, 3),
                                 "runs_s": [round(x, 4) for x in times]}
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
