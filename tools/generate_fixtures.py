#!/usr/bin/env python3
"""Generate (or check) the golden fixture files of hinge-conformance.

    python3 tools/generate_fixtures.py                      # write fixtures/<suite>.json for every suite
    python3 tools/generate_fixtures.py --suite math.hinge   # only the named suite(s)
    python3 tools/generate_fixtures.py --check              # regenerate in memory, compare, exit 1 on a difference

Generation is deterministic: each suite draws from np.random.default_rng(crc32(suite
name)), so two runs with the same --date write identical bytes. --check ignores
provenance (date, versions) and compares expected values within tolerance, everything
else exactly; see hinge_fixtures.fixture.compare_documents.

--check then runs the same comparison twice more in child processes in which every
transcendental function (NumPy's, math's and libm's exp, log, pow, sin, ...) returns
its result moved one ulp up, then down (hinge_fixtures/perturb.py). Inputs must still
match bit for bit, expected values within their tolerance (zero-tolerance ones exactly):
that is what makes the files regenerate the same on every CPU, whatever its SIMD paths and
libm. Only cases tagged "libm" (expected values that show libm's pow through cancellation,
by design) are exempt, and only their expected values.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import sys

from hinge_fixtures import perturb
from hinge_fixtures.fixture import build_document, compare_documents, dumps_fixture, write_text
from hinge_fixtures.suites import entry, load_suite, suite_names

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
                        help="compare regenerated fixtures with the files on disk instead of writing, then "
                             "again with every transcendental function moved one ulp up and down")
    parser.add_argument("--no-perturb", action="store_true",
                        help="with --check: only the plain comparison, without the perturbed passes")
    parser.add_argument("--fixtures-dir", default=os.path.join(REPO, "fixtures"),
                        help="directory of the fixture files (default: <repo>/fixtures)")
    parser.add_argument("--date", type=_date,
                        default=datetime.datetime.now(datetime.UTC).date().isoformat(),
                        help="date recorded in provenance (default: today, UTC)")
    return parser.parse_args(argv)


def _shown(path: str) -> str:
    """The path as printed: relative to the working directory when it lies below it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _check_file(path: str, fresh: dict, perturbed: bool) -> list[str]:
    if not os.path.exists(path):
        return ["missing file"]
    try:
        with open(path, encoding="utf-8") as f:
            committed = json.load(f)
        return compare_documents(fresh, committed, libm_cases_expected=not perturbed)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        return [f"unreadable ({type(e).__name__}: {e})"]


def registry_problems(name: str, doc: dict) -> list[str]:
    """What a suite's document lacks by the registry (hinge_fixtures/registry.json): its
    least number of cases, and at least one error case."""
    cases, least = doc["cases"], entry(name).min_cases
    problems = [f"{len(cases)} cases, the registry asks for at least {least}"] if len(cases) < least else []
    if not any("expected_error" in c for c in cases):
        problems.append("no error case")
    return problems


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    direction = os.environ.get(perturb.ENV_DIRECTION)
    if direction:  # a perturbed child (see perturb.run_perturbed): before any suite computes
        if not args.check:
            print(f"{perturb.ENV_DIRECTION} is set: a perturbed run only checks; unset it to write fixtures")
            return 2
        perturb.install(direction)
    names = list(dict.fromkeys(args.suite or suite_names()))  # keep order, drop repeats
    differences = []
    for name in names:
        suite, generator = load_suite(name)
        doc = build_document(suite, generator, args.date)
        text = dumps_fixture(doc)
        path = os.path.join(args.fixtures_dir, f"{name}.json")
        shown = _shown(path)
        differences += [f"{shown}: {d}" for d in registry_problems(name, doc)]
        if args.check:
            # Compare the JSON as written, so both sides went through the same encoding.
            differences += [f"{shown}: {d}" for d in _check_file(path, json.loads(text), bool(direction))]
        else:
            write_text(path, text)
            print(f"{shown}: {len(doc['cases'])} cases")
    if not args.check:
        for d in differences:
            print(d)
        return 1 if differences else 0
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
    if direction or args.no_perturb:
        return 0
    child_argv = ["--check", "--fixtures-dir", args.fixtures_dir] + [a for s in args.suite or [] for a in ("--suite", s)]
    try:
        status = perturb.run_perturbed(child_argv, os.path.abspath(__file__))
    except perturb.PerturbationUnavailable as e:
        print(f"perturbed check not run: {e} (--no-perturb runs the plain check alone)")
        return 1
    return 1 if status else 0


if __name__ == "__main__":
    sys.exit(main())
