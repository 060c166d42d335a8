#!/usr/bin/env python3
"""Builds a benchmark corpus of social-media-sized texts from ../shared/data.

usage: build_corpus.py OUT.jsonl [--mb N]

Mixes real short texts (WNUT-17 and Broad Twitter Corpus tweets, Constraint COVID tweets,
NHS Friends-and-Family comments, SDCNL post titles) and repeats the mix until the file
holds about N MB (default 8). Deterministic: the same inputs give the same file. Only the
benchmark reads this file; the product never reads ../shared.
"""
import csv
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(os.path.dirname(ROOT), "shared", "data")


def texts():
    for corpus in ("wnut17", "broad_twitter_corpus"):
        for line in open(os.path.join(DATA, "phi", corpus, "dev.jsonl"), encoding="utf-8"):
            yield json.loads(line)["text"]
    for row in csv.DictReader(open(os.path.join(DATA, "misinfo", "constraint_covid19_fakenews", "Constraint_Train.csv"), encoding="utf-8")):
        yield row["tweet"]
    for corpus in ("nhs_fft_feedback", "sdcnl"):
        path = os.path.join(DATA, "triage", corpus, "dev.jsonl")
        if os.path.exists(path):
            for line in open(path, encoding="utf-8"):
                r = json.loads(line)
                t = r.get("meta", {}).get("title") if corpus == "sdcnl" else r["text"]
                if t and len(t) <= 2000:
                    yield t


def main():
    out = sys.argv[1]
    mb = float(sys.argv[sys.argv.index("--mb") + 1]) if "--mb" in sys.argv else 8.0
    base = [t for t in texts() if t.strip()]
    size, n = 0, 0
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        while size < mb * 1e6:
            for t in base:
                f.write(json.dumps({"id": n, "text": t}, ensure_ascii=False) + "\n")
                size += len(t.encode())
                n += 1
                if size >= mb * 1e6:
                    break
    print(f"{out}: {n} texts, {size / 1e6:.1f} MB of text, {size / n:.0f} bytes/text")


if __name__ == "__main__":
    main()
