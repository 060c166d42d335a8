#!/usr/bin/env python3
"""Validate the carepost misinformation knowledge base (src/guard/data/misinfo_kb.toml).

Stdlib only (Python 3.11+ for tomllib).  Checks:
  * schema: required/known fields, unique kebab-case ids, topic list, rebuttal length,
    https sources on the allowed-host list;
  * term syntax: lower-case, only [a-z0-9 '-*], '*' only at the end of a word (stem >= 3 chars);
  * every match alternative has >= 2 groups; >= 2 examples and >= 2 counterexamples;
  * matching, with a small REFERENCE implementation of the guard semantics
    (same-sentence groups, prefix '*', unless-terms, and the engine-wide refutation rules:
    questions, negation, debunking cues): every example must fire its claim and no
    counterexample may fire it;
  * a built-in set of ordinary hospital posts that must fire no claim at all.

Usage: check_kb.py [path/to/misinfo_kb.toml] [--explain "some text"]
Exit status is 0 when everything passes, 1 otherwise (each problem names the entry id).
"""
from __future__ import annotations

import re
import sys
import tomllib
import unicodedata
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "src/guard/data/misinfo_kb.toml"

TOPICS = [
    "vaccines", "covid19", "cancer", "fluoride", "antibiotics", "detox", "supplements",
    "nutrition", "reproductive", "mental-health", "infectious-disease", "chronic-disease", "other",
]
REQUIRED = {"id", "topic", "claim", "rebuttal", "sources", "match", "examples", "counterexamples"}
OPTIONAL = {"unless"}
MAX_REBUTTAL = 300

ALLOWED_HOSTS = [
    "cdc.gov", "who.int", "nih.gov", "medlineplus.gov", "fda.gov", "cancer.gov", "cancer.org",
    "hhs.gov", "aap.org", "healthychildren.org", "acog.org", "diabetes.org", "heart.org",
    "mayoclinic.org", "clevelandclinic.org", "nhs.uk", "ecdc.europa.eu", "samhsa.gov",
    "988lifeline.org", "fullfact.org", "factcheck.org", "doi.org", "nejm.org",
    "jamanetwork.com", "thelancet.com", "bmj.com", "acpjournals.org", "nature.com",
    "science.org", "cochranelibrary.com", "pediatrics.aappublications.org",
]

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TERM_CHARS_RE = re.compile(r"^[a-z0-9 '\-*]+$")
TOKEN_RE = re.compile(r"[a-z0-9]+")

# ---------------------------------------------------------------------------------------------
# Reference semantics (kept deliberately simple; the C++ engine is the real implementation).
# ---------------------------------------------------------------------------------------------
# Text is normalised (NFKC, case-folded, accents stripped, curly quotes -> straight), split into
# sentences at . ! ? (followed by space) and line breaks, and each sentence into TOKENS = maximal runs of [a-z0-9].
# Everything else (spaces, punctuation, apostrophes, hyphens) separates tokens, so "don't" is the
# token pair (don, t) and "covid-19" is (covid, 19).  A term is tokenised the same way; a word
# ending in '*' matches any token that starts with it.  A term matches where its words match
# consecutive tokens.

QUOTE_MAP = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "`": "'", "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
})


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", text).translate(QUOTE_MAP)


# As the C++ Document: a sentence ends at . ! ? followed by space, at ; and at newlines.
SENT_SPLIT_RE = re.compile(r"(?<=[.!?])\s+|;|\n+")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENT_SPLIT_RE.split(normalise(text)) if s.strip()]


def tokens(s: str) -> list[str]:
    return TOKEN_RE.findall(s)


def compile_term(term: str) -> list[tuple[str, bool]]:
    words = []
    for w in re.split(r"[^a-z0-9*]+", term):
        if not w:
            continue
        words.append((w.rstrip("*"), w.endswith("*")))
    return words


def find_term(ctoks: list[tuple[str, bool]], toks: list[str]) -> list[tuple[int, int]]:
    spans = []
    n = len(ctoks)
    for i in range(len(toks) - n + 1):
        ok = True
        for k, (w, prefix) in enumerate(ctoks):
            t = toks[i + k]
            if not (t.startswith(w) if prefix else t == w):
                ok = False
                break
        if ok:
            spans.append((i, i + n))
    return spans


NEGATION_CUES = [
    "not", "no", "never", "cannot", "can't", "cant", "don't", "dont", "doesn't", "doesnt",
    "didn't", "didnt", "isn't", "isnt", "aren't", "arent", "wasn't", "wasnt", "weren't",
    "werent", "won't", "wont", "wouldn't", "wouldnt", "shouldn't", "shouldnt", "haven't",
    "havent", "hasn't", "hasnt", "nor",
]
# These refute from anywhere in the sentence; plain negations only near the claim.
DEBUNK_CUES = [
    "no evidence", "no link",
    "myth*", "false", "falsely", "debunk*", "misinformation", "disinformation", "fake news",
    "not true", "untrue", "rumor*", "rumour*", "hoax claim*", "fact check*", "factcheck*",
    "fact-check*", "there is no", "there's no",
]
QUESTION_STARTERS = {
    "do", "does", "did", "is", "are", "was", "were", "can", "could", "will", "would", "should",
    "has", "have",
}
NEGATIONS = [compile_term(c) for c in NEGATION_CUES]
DEBUNKS = [compile_term(c) for c in DEBUNK_CUES]


def is_question(sentence: str, toks: list[str]) -> bool:
    return sentence.rstrip(" \"')]*").endswith("?") or (bool(toks) and toks[0] in QUESTION_STARTERS)


class Claim:
    def __init__(self, entry: dict):
        self.id = entry.get("id", "?")
        self.alternatives = [[[compile_term(t) for t in group] for group in alt]
                             for alt in entry.get("match", [])]
        self.unless = [compile_term(t) for t in entry.get("unless", [])]

    def sentence_verdict(self, sentence: str) -> tuple[bool, str]:
        """Return (fires, reason) for one normalised sentence."""
        toks = tokens(sentence)
        matched_any = False
        reason = "no alternative matched"
        for alt in self.alternatives:
            spans: list[tuple[int, int]] = []
            complete = True
            for group in alt:
                gspans = [sp for ct in group for sp in find_term(ct, toks)]
                if not gspans:
                    complete = False
                    break
                spans.extend(gspans)
            if not complete:
                continue
            matched_any = True
            if any(find_term(u, toks) for u in self.unless):
                return False, "matched, but an unless-term is present"
            if is_question(sentence, toks):
                reason = "matched, but the sentence is a question"
                continue
            refuted = False
            # The claim runs from its first matched term to its last (token indices).
            claim_s, claim_e = min(s for s, _ in spans), max(e for _, e in spans)
            for cue in NEGATIONS + DEBUNKS:
                local = cue in NEGATIONS
                for (s, e) in find_term(cue, toks):
                    if any(ts <= s and e <= te for (ts, te) in spans):
                        continue  # part of the claim ("masks don't work")
                    # A plain negation refutes only inside the claim or at most three
                    # words before it, as the C++ engine does (misinfo_kb.h).
                    if local and not (claim_s <= s and e <= claim_e) and not (e <= claim_s and claim_s - e <= 3):
                        continue
                    refuted = True
                    reason = f"matched, but refuted by cue {' '.join(w for w, _ in cue)!r}"
                    break
                if refuted:
                    break
            if not refuted:
                return True, "fires"
        return False, reason if matched_any else "no alternative matched"

    def fires(self, text: str) -> bool:
        return any(self.sentence_verdict(s)[0] for s in sentences(text))


# Ordinary hospital posts and true statements: no claim may fire on any of these.
HOSPITAL_POSTS = [
    "Get your flu shot this week at our clinics, no appointment needed.",
    "Our oncologists explain how chemo works and what to expect.",
    "Antibiotics don't work on viruses like the flu - ask us what helps instead.",
    "Vaccines are safe and effective; talk to your pediatrician about the schedule.",
    "The MMR vaccine protects your child against measles, mumps and rubella.",
    "Community water fluoridation prevents cavities in children and adults.",
    "Take antibiotics exactly as prescribed and finish the course your doctor recommends.",
    "Mammograms help find breast cancer early, when it is easiest to treat.",
    "COVID-19 vaccines are available at all our pharmacies for everyone 6 months and older.",
    "Wash your hands often with soap and water for at least 20 seconds.",
    "Wear sunscreen with SPF 30 or higher to lower your risk of skin cancer.",
    "Depression is a common and treatable medical condition.",
    "If you or someone you know is thinking about suicide, call or text 988.",
    "Our breast cancer survivors share how chemotherapy and surgery saved their lives.",
    "Folic acid before and during pregnancy lowers the risk of birth defects.",
    "HIV treatment lets people with HIV live long, healthy lives.",
    "Birth control is safe for most people; our clinicians can help you choose a method.",
    "Eating more vegetables and fruit is good for your heart.",
    "Statins lower LDL cholesterol and reduce the risk of heart attack and stroke.",
    "Measles is highly contagious, and two doses of MMR give strong protection.",
    "The HPV vaccine prevents cancers caused by HPV.",
    "Vitamin D is important for healthy bones.",
    "Wear a mask if you are sick and must be around other people.",
    "Cancer screening saves lives: book your colonoscopy today.",
    "Our nurses answer your questions about the COVID-19 vaccine during pregnancy.",
    "Drink plenty of water and rest if you have a cold.",
    "Talk therapy and medication both help many people with depression.",
    "ADHD is a real condition, and treatment helps children succeed at school.",
    "A biopsy is the only way to know for sure whether a lump is cancer.",
    "Type 2 diabetes can often be managed with diet, exercise and medication.",
    "Come to our free blood pressure screening on Saturday.",
    "Whooping cough is dangerous for babies; vaccinate during pregnancy to protect them.",
    "The flu vaccine cannot give you the flu.",
    "Sugar-sweetened drinks add calories; water is the best choice for kids.",
    "Radiation therapy uses high-energy beams to destroy cancer cells.",
    "Raw milk can carry dangerous germs like E. coli and Listeria.",
    "Ivermectin is an approved drug for some parasitic infections in people.",
    "Hydroxychloroquine is used to treat lupus and rheumatoid arthritis.",
    "The 5G rollout in our building will improve Wi-Fi for patients and visitors.",
    "Emergency contraception works best when taken as soon as possible after sex.",
]


# ---------------------------------------------------------------------------------------------
# Schema checks
# ---------------------------------------------------------------------------------------------

def check_term(term, where: str, errors: list[str]) -> None:
    if not isinstance(term, str) or not term:
        errors.append(f"{where}: term must be a non-empty string, got {term!r}")
        return
    if term != term.strip() or "  " in term:
        errors.append(f"{where}: term {term!r} has stray spaces")
    if term != term.lower():
        errors.append(f"{where}: term {term!r} is not lower-case")
    if not TERM_CHARS_RE.match(term):
        errors.append(f"{where}: term {term!r} uses characters outside [a-z0-9 '-*]")
    if not re.search(r"[a-z0-9]", term):
        errors.append(f"{where}: term {term!r} has no letters or digits")
    for m in re.finditer(r"\*", term):
        i = m.start()
        if i + 1 < len(term) and term[i + 1] != " ":
            errors.append(f"{where}: term {term!r} has '*' that is not at the end of a word")
        if i == 0 or not re.match(r"[a-z0-9]", term[i - 1]):
            errors.append(f"{where}: term {term!r} has '*' with no word before it")
    for w in term.split():
        if w.endswith("*") and len(re.sub(r"[^a-z0-9]", "", w)) < 3:
            errors.append(f"{where}: term {term!r} has a wildcard stem shorter than 3 letters")


def check_entry(e: dict, errors: list[str]) -> str:
    eid = e.get("id")
    label = f"[{eid if isinstance(eid, str) else '?'}]"
    missing = REQUIRED - e.keys()
    if missing:
        errors.append(f"{label} missing required field(s): {', '.join(sorted(missing))}")
    unknown = e.keys() - REQUIRED - OPTIONAL
    if unknown:
        errors.append(f"{label} unknown field(s): {', '.join(sorted(unknown))}")
    if not isinstance(eid, str) or not ID_RE.match(eid):
        errors.append(f"{label} id must be kebab-case [a-z0-9-], got {eid!r}")
    if e.get("topic") not in TOPICS:
        errors.append(f"{label} topic {e.get('topic')!r} is not one of {TOPICS}")
    for f in ("claim", "rebuttal"):
        v = e.get(f)
        if not isinstance(v, str) or not v.strip():
            errors.append(f"{label} {f} must be a non-empty string")
    reb = e.get("rebuttal")
    if isinstance(reb, str) and len(reb) > MAX_REBUTTAL:
        errors.append(f"{label} rebuttal is {len(reb)} characters (max {MAX_REBUTTAL})")

    srcs = e.get("sources")
    if not isinstance(srcs, list) or not srcs:
        errors.append(f"{label} sources must be a non-empty list")
    else:
        seen = set()
        for s in srcs:
            if not isinstance(s, dict) or set(s.keys()) != {"title", "url"}:
                errors.append(f"{label} each source must be {{ title = ..., url = ... }}, got {s!r}")
                continue
            if not isinstance(s["title"], str) or not s["title"].strip():
                errors.append(f"{label} source title must be a non-empty string")
            url = s["url"]
            if not isinstance(url, str):
                errors.append(f"{label} source url must be a string")
                continue
            if url in seen:
                errors.append(f"{label} duplicate source url {url}")
            seen.add(url)
            p = urlparse(url)
            if p.scheme != "https":
                errors.append(f"{label} source url is not https: {url}")
            host = (p.hostname or "").lower()
            if not any(host == h or host.endswith("." + h) for h in ALLOWED_HOSTS):
                errors.append(f"{label} source host {host!r} is not on the allowed list: {url}")
            if " " in url:
                errors.append(f"{label} source url contains a space: {url!r}")

    match = e.get("match")
    if not isinstance(match, list) or not match:
        errors.append(f"{label} match must be a non-empty list of alternatives")
    else:
        for ai, alt in enumerate(match):
            where = f"{label} match[{ai}]"
            if not isinstance(alt, list) or len(alt) < 2:
                errors.append(f"{where}: an alternative needs at least 2 groups")
                continue
            for gi, group in enumerate(alt):
                if not isinstance(group, list) or not group:
                    errors.append(f"{where} group {gi}: must be a non-empty list of terms")
                    continue
                if len(set(group)) != len(group):
                    errors.append(f"{where} group {gi}: duplicate terms")
                for t in group:
                    check_term(t, f"{where} group {gi}", errors)
    unless = e.get("unless", [])
    if not isinstance(unless, list):
        errors.append(f"{label} unless must be a list of terms")
    else:
        for t in unless:
            check_term(t, f"{label} unless", errors)

    for f, need in (("examples", 2), ("counterexamples", 2)):
        v = e.get(f)
        if not isinstance(v, list) or len(v) < need or not all(isinstance(x, str) and x.strip() for x in v):
            errors.append(f"{label} {f} must be a list of at least {need} non-empty strings")
    return label


def main(argv: list[str]) -> int:
    args = list(argv[1:])
    explain = None
    if "--explain" in args:
        i = args.index("--explain")
        explain = args[i + 1] if i + 1 < len(args) else ""
        del args[i:i + 2]
    path = Path(args[0]) if args else DEFAULT_PATH
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as ex:
        print(f"check_kb: cannot load {path}: {ex}", file=sys.stderr)
        return 1

    errors: list[str] = []
    extra = set(data.keys()) - {"claim"}
    if extra:
        errors.append(f"unexpected top-level key(s): {', '.join(sorted(extra))}")
    entries = data.get("claim", [])
    if not isinstance(entries, list) or not entries:
        print("check_kb: no [[claim]] entries found", file=sys.stderr)
        return 1

    ids = Counter(e.get("id") for e in entries if isinstance(e, dict))
    for eid, n in ids.items():
        if n > 1:
            errors.append(f"[{eid}] id is used {n} times")
    claims_text = Counter(e.get("claim", "").strip().lower() for e in entries)
    for c, n in claims_text.items():
        if n > 1:
            errors.append(f"claim text used {n} times: {c!r}")

    compiled: list[Claim] = []
    for e in entries:
        n_before = len(errors)
        label = check_entry(e, errors)
        if len(errors) > n_before:
            continue  # do not run matching on a malformed entry
        c = Claim(e)
        compiled.append(c)
        for ex in e["examples"]:
            if not c.fires(ex):
                why = "; ".join(c.sentence_verdict(s)[1] for s in sentences(ex))
                errors.append(f"{label} example does not fire ({why}): {ex!r}")
        for cx in e["counterexamples"]:
            if c.fires(cx):
                errors.append(f"{label} counterexample fires: {cx!r}")

    for post in HOSPITAL_POSTS:
        hits = [c.id for c in compiled if c.fires(post)]
        if hits:
            errors.append(f"[{', '.join(hits)}] fires on ordinary hospital post: {post!r}")

    if explain is not None:
        for c in compiled:
            for s in sentences(explain):
                ok, why = c.sentence_verdict(s)
                if why != "no alternative matched":
                    print(f"explain: [{c.id}] {why}: {s!r}")

    if errors:
        for msg in errors:
            print(f"check_kb: {msg}", file=sys.stderr)
        print(f"check_kb: FAILED with {len(errors)} problem(s) in {path}", file=sys.stderr)
        return 1

    by_topic = Counter(e["topic"] for e in entries)
    n_ex = sum(len(e["examples"]) for e in entries)
    n_cx = sum(len(e["counterexamples"]) for e in entries)
    print(f"check_kb: OK: {len(entries)} claims, {n_ex} examples, {n_cx} counterexamples, "
          f"{len(HOSPITAL_POSTS)} hospital posts clean")
    for t in TOPICS:
        print(f"  {t:<20} {by_topic.get(t, 0)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
