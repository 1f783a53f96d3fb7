#!/usr/bin/env python3
"""Generate (or check) the golden fixture files of hinge-conformance.

    python3 tools/generate_fixtures.py                      # write fixtures/<suite>.json for every suite
    python3 tools/generate_fixtures.py --suite math.hinge   # only the named suite(s)
    python3 tools/generate_fixtures.py --check              # regenerate in memory, compare, exit 1 on a difference

Generation is deterministic: each suite draws from np.random.default_rng(crc32(suite
name)), so two runs with the same --date write identical bytes. --check ignores
provenance (date, versions) and compares expected values within tolerance, everything
else exactly; see hinge_fixtures.fixture.compare_documents.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import sys

from hinge_fixtures.fixture import build_document, compare_documents, dumps_fixture, write_text
from hinge_fixtures.suites import load_suite, suite_names

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _date(text: str) -> str:
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    known = suite_names()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", action="append", choices=known, metavar="NAME",
                        help=f"suite to generate; repeatable; default all ({', '.join(known)})")
    parser.add_argument("--check", action="store_true",
                        help="compare regenerated fixtures with the files on disk instead of writing")
    parser.add_argument("--fixtures-dir", default=os.path.join(REPO, "fixtures"),
                        help="directory of the fixture files (default: <repo>/fixtures)")
    parser.add_argument("--date", type=_date,
                        default=datetime.datetime.now(datetime.timezone.utc).date().isoformat(),
                        help="date recorded in provenance (default: today, UTC)")
    return parser.parse_args(argv)


def _shown(path: str) -> str:
    """The path as printed: relative to the working directory when it lies below it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _check_file(path: str, fresh: dict) -> list[str]:
    if not os.path.exists(path):
        return ["missing file"]
    try:
        with open(path, encoding="utf-8") as f:
            committed = json.load(f)
        return compare_documents(fresh, committed)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        return [f"unreadable ({type(e).__name__}: {e})"]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    names = list(dict.fromkeys(args.suite or suite_names()))  # keep order, drop repeats
    differences = []
    for name in names:
        suite, generator = load_suite(name)
        doc = build_document(suite, generator, args.date)
        text = dumps_fixture(doc)
        path = os.path.join(args.fixtures_dir, f"{name}.json")
        shown = _shown(path)
        if args.check:
            # Compare the JSON as written, so both sides went through the same encoding.
            differences += [f"{shown}: {d}" for d in _check_file(path, json.loads(text))]
        else:
            write_text(path, text)
            print(f"{shown}: {len(doc['cases'])} cases")
    if not args.check:
        return 0
    if not args.suite and os.path.isdir(args.fixtures_dir):
        # Only a full check knows every file that should exist.
        expected = {f"{name}.json" for name in names}
        differences += [f"{_shown(os.path.join(args.fixtures_dir, f))}: extra file (no registered suite)"
                        for f in sorted(os.listdir(args.fixtures_dir))
                        if f.endswith(".json") and f not in expected]
    for d in differences:
        print(d)
    if differences:
        print(f"{len(differences)} difference(s)")
        return 1
    print(f"{len(names)} files match")
    return 0


if __name__ == "__main__":
    sys.exit(main())
