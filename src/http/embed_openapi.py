#!/usr/bin/env python3
"""Converts docs/openapi.yaml to JSON and writes a C++ file defining
carepost::http::OpenApiJson(). Run by CMake at build time, so the YAML is the only copy."""
import json
import sys

import yaml

src, out = sys.argv[1], sys.argv[2]
with open(src, encoding="utf-8") as f:
    doc = yaml.safe_load(f)
text = json.dumps(doc, separators=(",", ":"), ensure_ascii=True, sort_keys=False)
assert ")cp_json\"" not in text
with open(out, "w", encoding="utf-8") as f:
    f.write("// Generated from docs/openapi.yaml by src/http/embed_openapi.py; do not edit.\n")
    f.write("#include \"http/app.h\"\n")
    f.write("namespace carepost::http {\n")
    f.write("std::string_view OpenApiJson() {\n")
    f.write("  static constexpr std::string_view kJson = R\"cp_json(" + text + ")cp_json\";\n")
    f.write("  return kJson;\n}\n}  // namespace carepost::http\n")
