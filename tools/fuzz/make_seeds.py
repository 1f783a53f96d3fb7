#!/usr/bin/env python3
"""Seed corpus for the fixture-reader fuzzer: each bundled fixture file cut down to
its header and a few cases (libFuzzer mutates short inputs far faster), plus broken
variants that exercise the error paths. Usage: make_seeds.py OUT_DIR"""
import hashlib
import json
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main() -> None:
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    fixtures = os.path.join(REPO, "fixtures")
    seeds = []
    for name in sorted(os.listdir(fixtures)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(fixtures, name)) as f:
            doc = json.load(f)
        cases = [c for c in doc["cases"] if len(json.dumps(c)) < 3000]
        for start in range(0, min(len(cases), 12), 3):
            small = dict(doc, cases=cases[start:start + 3])
            seeds.append(json.dumps(small, indent=1))
        seeds.append(json.dumps(dict(doc, cases=[]), indent=None))
        broken = dict(doc, cases=cases[:2] + [{"id": 7, "inputs": []}])
        seeds.append(json.dumps(broken))
    seeds += ['{"format": "hinge-conformance/fixture", "format_version": 2}', "[1, 2.5e-324, -0.0, \"\\ud800\"]",
              '{"a": {"b": [true, false, null, 1e400]}}']
    for text in seeds:
        data = text.encode()
        with open(os.path.join(out, hashlib.sha1(data).hexdigest()), "wb") as f:
            f.write(data)
    print(f"{len(seeds)} seeds in {out}")


if __name__ == "__main__":
    main()
