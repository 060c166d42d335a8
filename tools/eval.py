#!/usr/bin/env python3
"""Evaluates `carepost check` on the labelled dev data in ../shared/data and on our own dev set.

usage: eval.py BIN [--suite NAME ...] [--gate] [--compare-score]

Every corpus is cut in two halves by a hash of the record id, fixed before any tuning:
  tune  : int(sha256("carepost-tune-v1:" + id), 16) % 2 == 0  (error analysis and tuning allowed)
  check : the other half                                       (only ever reported, never tuned on)
and `full` is the whole dev split, scored with the same definitions as ../shared/tools/score.py.
Our own dev set (eval/devset) has its own split: tune.jsonl and holdout.jsonl.

--gate           exit 1 when a figure falls below tools/eval_floors.json: a floor applies to
                 the full split (devset: holdout) unless its key names a half, as in
                 "check:crisis_recall" (the held-out half, so a change that only helps tune
                 still has to hold up where nobody looked)
--compare-score  also run ../shared/tools/score.py and fail if its figures differ from ours
CAREPOST_SHARED  where ../shared is when the checkout is not next to it (e.g. a git worktree)
"""
import argparse
import csv
import hashlib
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# ../shared from the repo root; CAREPOST_SHARED points elsewhere (a git worktree is one level deeper).
SHARED = os.environ.get("CAREPOST_SHARED") or os.path.join(os.path.dirname(ROOT), "shared")
DATA = os.path.join(SHARED, "data")
REQUIRED = {"NAME", "GEO", "DATE", "AGE_OVER_89", "PHONE", "EMAIL", "SSN", "ACCOUNT", "LICENSE", "IP", "URL", "OTHER_ID"}
NEUTRAL = {"GEO_MAYBE", "DATE_YEAR", "AGE"}


def half(rid):
    return "tune" if int(hashlib.sha256(("carepost-tune-v1:" + str(rid)).encode()).hexdigest(), 16) % 2 == 0 else "check"


def run_check(binary, records, context="inbound"):
    """records: list of dicts with id and text (and optional context/platform). Returns id -> output."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
        path = f.name
    p = subprocess.run([binary, "check", "--format", "jsonl", "--context", context, path],
                       capture_output=True, timeout=1800)
    os.unlink(path)
    if p.returncode not in (0, 1, 3):
        sys.exit(f"check exited {p.returncode}: {p.stderr.decode(errors='replace')[-500:]}")
    out = {}
    for line in p.stdout.decode("utf-8").splitlines():
        o = json.loads(line)
        out[str(o.get("id"))] = o
    return out


def findings(o, kind):
    return [f for f in (o or {}).get("findings", []) if f.get("kind") == kind]


def overlap(a0, a1, b0, b1):
    return a0 < b1 and b0 < a1


def phi_suite(binary, corpus, names_only):
    recs = [json.loads(l) for l in open(os.path.join(DATA, "phi", corpus, "dev.jsonl"), encoding="utf-8")]
    out = run_check(binary, [{"id": r["id"], "text": r["text"]} for r in recs])
    results = {}
    for split in ("tune", "check", "full"):
        gold_n = gold_hit = pred_n = pred_ok = 0
        per_gold = {}   # gold type -> [n, hit]
        per_pred = {}   # predicted type -> [n, correct]
        for r in recs:
            if split != "full" and half(r["id"]) != split:
                continue
            pred = findings(out.get(r["id"]), "phi")
            if names_only:
                pred = [f for f in pred if f.get("type") == "NAME"]
                gold = [s for s in r["spans"] if s["hipaa"] == "NAME"]
                neutral = []
            else:
                gold = [s for s in r["spans"] if s["hipaa"] in REQUIRED]
                neutral = [s for s in r["spans"] if s["hipaa"] in NEUTRAL]
            for s in gold:
                hit = any(overlap(s["bstart"], s["bend"], f["start"], f["end"]) for f in pred)
                gold_n += 1
                gold_hit += hit
                t = per_gold.setdefault(s["hipaa"], [0, 0])
                t[0] += 1
                t[1] += hit
            for f in pred:
                in_gold = any(overlap(s["bstart"], s["bend"], f["start"], f["end"]) for s in gold)
                if not in_gold and any(overlap(s["bstart"], s["bend"], f["start"], f["end"]) for s in neutral):
                    continue
                pred_n += 1
                pred_ok += in_gold
                t = per_pred.setdefault(f["type"], [0, 0])
                t[0] += 1
                t[1] += in_gold
        rec = gold_hit / gold_n if gold_n else 0.0
        prec = pred_ok / pred_n if pred_n else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        types = {}
        for t in sorted(set(per_gold) | set(per_pred)):
            gn, gh = per_gold.get(t, [0, 0])
            pn, pc = per_pred.get(t, [0, 0])
            r_, p_ = (gh / gn if gn else None), (pc / pn if pn else None)
            f_ = 2 * p_ * r_ / (p_ + r_) if r_ and p_ else None
            types[t] = {"recall": r_, "precision": p_, "f1": f_, "gold": gn, "predicted": pn}
        results[split] = {"recall": rec, "precision": prec, "f1": f1, "types": types}
    return results


def constraint_suite(binary):
    path = os.path.join(DATA, "misinfo", "constraint_covid19_fakenews", "Constraint_Val.csv")
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    out = run_check(binary, [{"id": r["id"], "text": r["tweet"]} for r in rows])
    results = {}
    for split in ("tune", "check", "full"):
        tp = fp = fn = tn = 0
        for r in rows:
            if split != "full" and half(r["id"]) != split:
                continue
            flagged = bool(findings(out.get(r["id"]), "misinformation"))
            fake = r["label"].strip() == "fake"
            tp += flagged and fake
            fp += flagged and not fake
            fn += (not flagged) and fake
            tn += (not flagged) and not fake
        f1 = lambda a, b, c: 2 * a / (2 * a + b + c) if a else 0.0
        f_fake, f_real = f1(tp, fp, fn), f1(tn, fn, fp)
        n_fake, n_real = tp + fn, tn + fp
        results[split] = {"weighted_f1": (f_fake * n_fake + f_real * n_real) / (n_fake + n_real),
                          "f1_fake": f_fake, "f1_real": f_real}
    return results


def crisis_suite(binary, corpus, positive):
    recs = [json.loads(l) for l in open(os.path.join(DATA, "triage", corpus, "dev.jsonl"), encoding="utf-8")]
    out = run_check(binary, [{"id": r["id"], "text": r["text"][:60000]} for r in recs])
    results = {}
    for split in ("tune", "check", "full"):
        sel = [r for r in recs if split == "full" or half(r["id"]) == split]
        pos = [bool(findings(out.get(r["id"]), "crisis")) for r in sel if r["label"] in positive]
        neg = [bool(findings(out.get(r["id"]), "crisis")) for r in sel if r["label"] not in positive]
        results[split] = {"crisis_recall": sum(pos) / len(pos) if pos else 0.0,
                          "crisis_flag_rate_other": sum(neg) / len(neg) if neg else 0.0}
    return results


def devset_suite(binary):
    results = {}
    org = os.path.join(ROOT, "examples", "org.toml")
    for split in ("tune", "holdout"):
        recs = [json.loads(l) for l in open(os.path.join(ROOT, "eval", "devset", f"{split}.jsonl"), encoding="utf-8")]
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
            for r in recs:
                f.write(json.dumps({k: r[k] for k in ("id", "text", "context", "platform") if k in r},
                                   ensure_ascii=False) + "\n")
            path = f.name
        p = subprocess.run([binary, "check", "--format", "jsonl", "--org", org, path], capture_output=True, timeout=600)
        os.unlink(path)
        out = {str(json.loads(l)["id"]): json.loads(l) for l in p.stdout.decode().splitlines()}
        neg = [r for r in recs if r["expect"] == "not_block"]
        pos = [r for r in recs if r["expect"] == "block"]
        false_block = [r["id"] for r in neg if out[r["id"]]["verdict"] == "block"]
        missed = [r["id"] for r in pos if out[r["id"]]["verdict"] != "block"]
        kinds = {}
        for r in pos:
            fired = {f["kind"] for f in out[r["id"]]["findings"] if f["severity"] == "block"}
            for k in r.get("kinds", []):
                t = kinds.setdefault(k, [0, 0])
                t[0] += 1
                t[1] += k in fired
        results[split] = {"false_block_rate": len(false_block) / len(neg), "block_recall": 1 - len(missed) / len(pos),
                          "n_not_block": len(neg), "n_block": len(pos),
                          "kind_recall": {k: h / n for k, (n, h) in sorted(kinds.items())},
                          "false_blocks": false_block if split == "tune" else len(false_block),
                          "missed": missed if split == "tune" else len(missed)}
    return results


SUITES = {
    "phi-presidio": lambda b: phi_suite(b, "presidio_synth", False),
    "phi-physionet": lambda b: phi_suite(b, "physionet_deid", False),
    "phi-wnut": lambda b: phi_suite(b, "wnut17", True),
    "phi-btc": lambda b: phi_suite(b, "broad_twitter_corpus", True),
    "misinfo-constraint": constraint_suite,
    "crisis-sdcnl": lambda b: crisis_suite(b, "sdcnl", {"suicide"}),
    "crisis-cssrs": lambda b: crisis_suite(b, "reddit_cssrs", {"Ideation", "Behavior", "Attempt"}),
    "devset": devset_suite,
}


def fmt(v):
    return "  -  " if v is None else f"{v:.3f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--suite", action="append")
    ap.add_argument("--gate", action="store_true")
    ap.add_argument("--compare-score", action="store_true")
    ap.add_argument("--json", help="also write all figures to this file")
    args = ap.parse_args()
    suites = args.suite or list(SUITES)
    floors = json.load(open(os.path.join(ROOT, "tools", "eval_floors.json")))
    failures, all_results = [], {}
    for name in suites:
        res = SUITES[name](args.binary)
        all_results[name] = res
        print(f"== {name}")
        for split, m in res.items():
            flat = ", ".join(f"{k}={fmt(v)}" for k, v in m.items() if isinstance(v, float))
            print(f"  [{split}] {flat}")
            if "types" in m and split == "full":
                for t, tm in m["types"].items():
                    print(f"      {t:<12} P={fmt(tm['precision'])} R={fmt(tm['recall'])} F1={fmt(tm['f1'])} "
                          f"(gold {tm['gold']}, predicted {tm['predicted']})")
            if "kind_recall" in m:
                print(f"      kind recall: {m['kind_recall']}")
                if split == "tune":
                    print(f"      tune false blocks: {m['false_blocks']}")
                    print(f"      tune missed blocks: {m['missed']}")
        gate_split = "holdout" if name == "devset" else "full"
        for metric, bound in floors.get(name, {}).items():
            split, _, metric = metric.rpartition(":")
            split = split or gate_split
            key, is_max = (metric[:-4], True) if metric.endswith("_max") else (metric, False)
            val = res[split][key]
            if (val > bound) if is_max else (val < bound):
                failures.append(f"{name} [{split}] {key}={val:.3f} "
                                f"({'above max' if is_max else 'below floor'} {bound})")
        if args.compare_score and name != "devset":
            p = subprocess.run([sys.executable, os.path.join(SHARED, "tools", "score.py"), args.binary, name],
                               capture_output=True, text=True, timeout=1800)
            for line in p.stdout.splitlines():
                if " = " in line and not line.startswith("  "):
                    k, v = line.split(" = ")
                    ours = res["full"].get(k.strip())
                    if ours is not None and abs(ours - float(v)) > 0.0005:
                        failures.append(f"{name}: score.py says {k}={v}, eval.py says {ours:.3f}")
    if args.json:
        json.dump(all_results, open(args.json, "w"), indent=1)
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    if args.gate:
        print("eval: all figures at or above their floors (tools/eval_floors.json)")


if __name__ == "__main__":
    main()
