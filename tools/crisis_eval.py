#!/usr/bin/env python3
"""Crisis-stage figures on the triage dev splits, per TUNE / CHECK half.

usage: python3 tools/crisis_eval.py BIN

A record is in TUNE when int(sha256("carepost-tune-v1:" + id), 16) % 2 == 0, else CHECK.
Errors may be read on TUNE only. Prints, per half: r/SuicideWatch recall and r/depression
flag rate on SDCNL (full text and title only), C-SSRS recall (Ideation/Behavior/Attempt)
and flag rate on the others, and the flag rate on NHS Friends-and-Family comments (ordinary
patient feedback, which should almost never fire). Reads ../shared only as evaluation data.
"""
import hashlib, json, os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("CAREPOST_SHARED") or os.path.join(os.path.dirname(ROOT), "shared")
DATA = os.path.join(SHARED, "data", "triage")


def is_tune(rid):
    return int(hashlib.sha256(("carepost-tune-v1:" + rid).encode()).hexdigest(), 16) % 2 == 0


def flagged(binary, records):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for rid, text in records:
            f.write(json.dumps({"id": rid, "text": text[:60000]}, ensure_ascii=False) + "\n")
        path = f.name
    p = subprocess.run([binary, "check", "--format", "jsonl", "--context", "inbound", path],
                       capture_output=True)
    os.unlink(path)
    out = set()
    for line in p.stdout.decode("utf-8", errors="replace").splitlines():
        o = json.loads(line)
        if any(x.get("kind") == "crisis" for x in o.get("findings", [])):
            out.add(str(o.get("id")))
    return out


def load(name):
    return [json.loads(l) for l in open(os.path.join(DATA, name, "dev.jsonl"), encoding="utf-8")]


def rate(ids, hits):
    return sum(i in hits for i in ids) / max(1, len(ids))


def main():
    binary = sys.argv[1]
    sd = load("sdcnl")
    hit_text = flagged(binary, [(r["id"], r["text"]) for r in sd])
    hit_title = flagged(binary, [(r["id"], r["title"]) for r in sd])
    cs = load("reddit_cssrs")
    hit_cs = flagged(binary, [(r["id"], r["text"]) for r in cs])
    nhs = load("nhs_fft_feedback")
    hit_nhs = flagged(binary, [(r["id"], r["text"]) for r in nhs])
    for half in ("TUNE", "CHECK"):
        keep = lambda r: is_tune(r["id"]) == (half == "TUNE")
        sui = [r["id"] for r in sd if keep(r) and r["label"] == "suicide"]
        dep = [r["id"] for r in sd if keep(r) and r["label"] == "depression"]
        pos = [r["id"] for r in cs if keep(r) and r["label"] in ("Ideation", "Behavior", "Attempt")]
        oth = [r["id"] for r in cs if keep(r) and r["label"] not in ("Ideation", "Behavior", "Attempt")]
        nh = [r["id"] for r in nhs if keep(r)]
        print(f"{half}: sdcnl recall {rate(sui, hit_text):.3f} (n={len(sui)}), depression flagged "
              f"{rate(dep, hit_text):.3f}; titles only: recall {rate(sui, hit_title):.3f}, depression "
              f"{rate(dep, hit_title):.3f}; cssrs recall {rate(pos, hit_cs):.3f} (n={len(pos)}), others "
              f"{rate(oth, hit_cs):.3f}; nhs_fft flagged {sum(i in hit_nhs for i in nh)}/{len(nh)}")


if __name__ == "__main__":
    main()
