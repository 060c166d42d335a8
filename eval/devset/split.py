#!/usr/bin/env python3
"""Split all.jsonl into tune.jsonl and holdout.jsonl (stdlib only, deterministic).

A record goes to holdout when int(sha256("carepost-devset-v1:" + id).hexdigest(), 16) % 2 == 1,
otherwise to tune. Membership depends only on the record's id, so adding records never moves
existing ones. Records keep the order they have in all.jsonl.

usage: python3 split.py [DIR]   (DIR defaults to the directory of this script)
"""
import hashlib
import json
import os
import sys

SALT = "carepost-devset-v1:"


def half(rec_id: str) -> int:
    return int(hashlib.sha256((SALT + rec_id).encode("utf-8")).hexdigest(), 16) % 2


def main() -> int:
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    src = os.path.join(d, "all.jsonl")
    tune, holdout, ids = [], [], set()
    with open(src, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError as e:
                print(f"{src}:{n}: not JSON: {e}", file=sys.stderr)
                return 2
            rid = rec.get("id")
            if not isinstance(rid, str) or not rid:
                print(f"{src}:{n}: missing id", file=sys.stderr)
                return 2
            if rid in ids:
                print(f"{src}:{n}: duplicate id {rid}", file=sys.stderr)
                return 2
            ids.add(rid)
            (holdout if half(rid) else tune).append(line.rstrip("\n"))
    for name, lines in (("tune.jsonl", tune), ("holdout.jsonl", holdout)):
        with open(os.path.join(d, name), "w", encoding="utf-8", newline="\n") as f:
            for line in lines:
                f.write(line + "\n")
    print(f"all={len(ids)} tune={len(tune)} holdout={len(holdout)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
