#!/usr/bin/env python3
"""Contract tests for `carepost check`, run against the real binary.

usage: test_cli.py PATH/TO/carepost

Checks the promises in README.md and docs/findings.schema.json: the JSON Schema of every
output line, offsets into the original bytes, input order, error records naming the line,
exit statuses, --redact, human output, and that threads do not change the output.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import jsonschema

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = None
SCHEMA = json.load(open(os.path.join(ROOT, "docs", "findings.schema.json")))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def run(args, stdin=b""):
    p = subprocess.run([BIN] + args, input=stdin, capture_output=True, timeout=300)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def jsonl(records):
    return ("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n").encode()


class CheckContract(unittest.TestCase):
    def check_lines(self, stdout, texts):
        """Validates every line against the schema and the offsets against the input."""
        out = [json.loads(l) for l in stdout.splitlines() if l.strip()]
        for o in out:
            VALIDATOR.validate(o)
            if "findings" not in o:
                continue
            raw = texts[o["id"]].encode("utf-8")
            for f in o["findings"]:
                self.assertLessEqual(f["start"], f["end"], f)
                self.assertLessEqual(f["end"], len(raw), f)
                # Offsets fall on UTF-8 character boundaries of the ORIGINAL bytes.
                for off in (f["start"], f["end"]):
                    if off < len(raw):
                        self.assertNotEqual(raw[off] & 0xC0, 0x80, (o["id"], f))
        return out

    def test_examples_validate_against_schema_and_keep_order(self):
        recs = [json.loads(l) for l in open(os.path.join(ROOT, "examples", "posts.jsonl"))]
        texts = {r["id"]: r["text"] for r in recs}
        rc, stdout, _ = run(["check", "--format", "jsonl", "--org",
                             os.path.join(ROOT, "examples", "org.toml"), "-"], jsonl(recs))
        self.assertIn(rc, (0, 1))
        out = self.check_lines(stdout, texts)
        self.assertEqual([o["id"] for o in out], [r["id"] for r in recs])

    def test_offsets_index_original_bytes_in_non_ascii_text(self):
        text = "Ｍｒ. Ｊｏｈｎ Müller — café ☕ patient Jöhn Smíth, MRN 00123456, room 412"
        rc, stdout, _ = run(["check", "--format", "jsonl", "-"], jsonl([{"id": "u", "text": text}]))
        self.check_lines(stdout, {"u": text})

    def test_bad_records_get_error_records_and_the_rest_is_screened(self):
        lines = [
            json.dumps({"id": "ok-1", "text": "Join us for a free flu shot clinic on Saturday."}).encode(),
            b'{"id": "bad-utf8", "text": "caf\xe9"}',
            b"this is not json",
            json.dumps({"id": "no-text", "body": "x"}).encode(),
            json.dumps({"id": "big", "text": "a" * 200}).encode(),
            b'{"id": "nul", "text": "a\\u0000b"}',
            json.dumps({"id": "ok-2", "text": "Thanks for the kind words!"}).encode(),
        ]
        rc, stdout, stderr = run(["check", "--format", "jsonl", "--max-record-bytes", "150", "-"],
                                 b"\n".join(lines) + b"\n")
        self.assertEqual(rc, 3, stderr)
        out = [json.loads(l) for l in stdout.splitlines()]
        for o in out:
            VALIDATOR.validate(o)
        self.assertEqual(len(out), 7)
        self.assertEqual(out[0]["id"], "ok-1")
        self.assertIn("verdict", out[0])
        self.assertEqual(out[6]["id"], "ok-2")
        errors = {o["line"]: o for o in out if "error" in o}
        self.assertEqual(sorted(errors), [2, 3, 4, 5, 6])
        self.assertIn("invalid UTF-8", errors[2]["error"])
        self.assertIsNone(errors[3]["id"])
        self.assertIn("not", errors[3]["error"])
        self.assertEqual(errors[4]["id"], "no-text")
        self.assertIn('missing "text"', errors[4]["error"])
        self.assertIn("limit is 150", errors[5]["error"])
        self.assertIn("NUL", errors[6]["error"])
        for n in (2, 3, 4, 5, 6):
            self.assertIn(f"line {n}:", stderr)

    def test_exit_status_contract(self):
        clean = jsonl([{"id": 1, "text": "Our new parking garage opens Monday."}])
        self.assertEqual(run(["check", "--format", "jsonl", "-"], clean)[0], 0)
        blocked = jsonl([{"id": 1, "text": "Patient John Smith, SSN 123-45-6789, is in room 412."}])
        self.assertEqual(run(["check", "--format", "jsonl", "-"], blocked)[0], 1)
        self.assertEqual(run(["check", "--format", "jsonl", "-"], b"")[0], 2)
        self.assertEqual(run(["check", "--no-such-flag"])[0], 2)
        self.assertEqual(run(["check", "/no/such/file.jsonl"])[0], 2)
        self.assertEqual(run(["check", "--platform", "myspace", "-"], clean)[0], 2)

    def test_redact_adds_redacted_text(self):
        text = "Patient John Smith, SSN 123-45-6789, is in room 412."
        rc, stdout, _ = run(["check", "--format", "jsonl", "--redact", "-"], jsonl([{"id": 1, "text": text}]))
        o = json.loads(stdout)
        VALIDATOR.validate(o)
        self.assertNotIn("123-45-6789", o["redacted"])
        self.assertIn("[SSN]", o["redacted"])

    def test_threads_do_not_change_output(self):
        recs = [json.loads(l) for l in open(os.path.join(ROOT, "examples", "posts.jsonl"))] * 40
        for i, r in enumerate(recs):
            r = dict(r)
            r["id"] = i
            recs[i] = r
        one = run(["check", "--format", "jsonl", "--threads", "1", "-"], jsonl(recs))
        four = run(["check", "--format", "jsonl", "--threads", "4", "-"], jsonl(recs))
        self.assertEqual(one, four)

    def test_human_output_for_plain_text(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write("Get your flu shot this Saturday at our Main Street clinic.\n")
        rc, stdout, _ = run(["check", "--context", "post", f.name])
        os.unlink(f.name)
        self.assertEqual(rc, 0)
        self.assertIn("post", stdout)
        self.assertIn("PASS", stdout.upper())

    def test_org_profile_errors_name_file_and_line(self):
        with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
            f.write('names = ["Riverside Health"]\nphone = ["555-0100"]\n')
        rc, _, stderr = run(["check", "--org", f.name, "-"], b"hello")
        os.unlink(f.name)
        self.assertEqual(rc, 2)
        self.assertIn(":2:", stderr)
        self.assertIn("phone", stderr)

    def test_error_messages_never_quote_the_text(self):
        secret = "Jane Q Doe 123-45-6789"
        line = ('{"id": "x", "text": "' + secret + '", "context": "nope"}').encode()
        rc, stdout, stderr = run(["check", "--format", "jsonl", "-"], line + b"\n")
        self.assertNotIn("Jane", stdout + stderr)
        self.assertNotIn("6789", stdout + stderr)


if __name__ == "__main__":
    BIN = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=1)
