#!/usr/bin/env python3
"""Throughput report: `carepost bench` per stage, plus whole-command wall time against `wc -w`.

usage: bench.py BIN CORPUS.jsonl

Prints carepost's own in-process figures (MB/s and posts/s on one core, per stage), then
times on the same machine, best of 5 runs each:
  wc -w CORPUS                                     (the floor: read the file, count words)
  carepost check --format jsonl --threads 1 CORPUS (parse JSON, screen, write JSON; one core)
and prints the ratio. The machine is shared and noisy: compare ratios, not absolute times.
"""
import os
import subprocess
import sys
import time


def best_of(cmd, n=5):
    best = float("inf")
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        best = min(best, time.perf_counter() - t0)
    return best


def main():
    binary, corpus = sys.argv[1], sys.argv[2]
    subprocess.run([binary, "bench", corpus], check=True)
    size = os.path.getsize(corpus)
    wc = best_of(["wc", "-w", corpus])
    one = best_of([binary, "check", "--format", "jsonl", "--threads", "1", corpus], 3)
    allc = best_of([binary, "check", "--format", "jsonl", corpus], 3)
    print(f"\nwhole command on {size / 1e6:.1f} MB of JSONL (best of several runs):")
    print(f"  wc -w                                  {wc:7.3f} s  {size / wc / 1e6:8.1f} MB/s")
    print(f"  carepost check --threads 1             {one:7.3f} s  {size / one / 1e6:8.1f} MB/s"
          f"   = {one / wc:.1f}x the time of wc -w")
    print(f"  carepost check (all {os.cpu_count()} cores)           {allc:7.3f} s  {size / allc / 1e6:8.1f} MB/s"
          f"   = {allc / wc:.1f}x the time of wc -w")


if __name__ == "__main__":
    main()
