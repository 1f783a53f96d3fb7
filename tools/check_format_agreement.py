#!/usr/bin/env python3
"""Differential check: does hinge-conformance's decoder accept exactly the fixture files
that the reference validator of format v1 accepts?

    python3 tools/check_format_agreement.py --validator PATH/validate_fixtures.py \
        [--runner .build/debug/hinge-conformance] [--cases 3000] [--seed 1]

It takes the bundled fixtures as seeds, applies random structural mutations (drop a key,
add an unknown one, swap a value for one of another JSON type, change a dtype, shape or
data element, duplicate an id, ...) and a few textual ones (truncate, insert a byte), writes
each mutant to a temporary folder, and asks both sides for a verdict: the validator's
`validate(path)` in-process, and `hinge-conformance validate` over the whole folder. Any
file on which they disagree is printed with both verdicts; the exit status is 1 then.

The reference validator is not part of this repository; CI passes the copy the workspace
provides. A validator crash (it raises on some unhashable values) counts as "invalid".
"""
from __future__ import annotations

import argparse
import copy
import importlib.util
import json
import os
import random
import re
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Values of every JSON type, including the near-misses the format cares about.
ODD_VALUES = [None, True, False, 0, 1, -1, 2, 1.0, 1.5, -0.0, 1e400, 2**63, -(2**63) - 1, "", "x", "nan", "inf",
              "NaN", "1", [], [1], {}, {"rtol": 0}, {"atol": -1}, {"kind": "invalid_target"}]


def load_validator(path: str):
    spec = importlib.util.spec_from_file_location("reference_validator", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.validate


def paths_of(node, prefix=()):
    """Every (path, value) in a JSON document, depth first."""
    yield prefix, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths_of(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths_of(v, prefix + (i,))


def get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def mutate(doc, rng: random.Random):
    doc = copy.deepcopy(doc)
    nodes = list(paths_of(doc))
    path, node = rng.choice(nodes[1:])
    parent = get(doc, path[:-1])
    key = path[-1]
    op = rng.randrange(8)
    if op == 0 and isinstance(parent, dict):
        del parent[key]
    elif op == 1 and isinstance(node, dict):
        node[rng.choice(["extra", "dtype", "rtol", "kind", "message", "id", "context", "tags"])] = rng.choice(ODD_VALUES)
    elif op == 2 and isinstance(node, list) and node:
        if rng.random() < 0.5:
            node.pop(rng.randrange(len(node)))
        else:
            node.append(copy.deepcopy(rng.choice(node)))
    elif op == 3 and isinstance(node, str):
        parent[key] = rng.choice(["float32", "float64", "int64", "bool", "string", "float16", "invalid_dtype",
                                  "value_error", node + "x", ""])
    elif op == 4 and isinstance(node, (int, float)) and not isinstance(node, bool):
        parent[key] = rng.choice([node + 1, -node, node * 1.0, int(node) if abs(node) < 1e18 else 0, 2**63, 0.5])
    else:
        parent[key] = copy.deepcopy(rng.choice(ODD_VALUES))
    return doc


def text_mutation(text: str, rng: random.Random) -> str:
    i = rng.randrange(len(text))
    choice = rng.randrange(3)
    if choice == 0:
        return text[:i]
    if choice == 1:
        return text[:i] + rng.choice(['"', ",", "]", "}", "\\", "\x01", "NaN", "-", "0", "\ufeff"]) + text[i:]
    return text[:i] + text[i + 1:]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--validator", required=True, help="path of the reference validate_fixtures.py")
    parser.add_argument("--runner", default=os.path.join(REPO, ".build", "debug", "hinge-conformance"))
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    validate = load_validator(args.validator)
    rng = random.Random(args.seed)

    seeds = []
    for name in sorted(os.listdir(os.path.join(REPO, "fixtures"))):
        if name.endswith(".json"):
            with open(os.path.join(REPO, "fixtures", name), encoding="utf-8") as f:
                doc = json.load(f)
            doc["cases"] = doc["cases"][:3] + [c for c in doc["cases"] if "expected_error" in c][:1]
            seeds.append(doc)

    with tempfile.TemporaryDirectory() as folder:
        verdicts = {}
        for n in range(args.cases):
            doc = rng.choice(seeds)
            for _ in range(rng.choice([1, 1, 1, 2, 3])):
                doc = mutate(doc, rng)
            text = json.dumps(doc, indent=1, ensure_ascii=rng.random() < 0.5)
            if rng.random() < 0.15:
                text = text_mutation(text, rng)
            path = os.path.join(folder, f"m{n:05d}.json")
            with open(path, "w", encoding="utf-8", errors="surrogatepass") as f:
                f.write(text)
            try:
                verdicts[path] = not validate(path)
            except Exception:  # the validator itself failed on this input
                verdicts[path] = False
        run = subprocess.run([args.runner, "validate", "--fixtures", folder], capture_output=True, text=True)
        rejected = {m.group(1) for m in re.finditer(r"^(\S+?\.json): ", run.stdout, re.MULTILINE)}
        disagreements = 0
        for path, valid in sorted(verdicts.items()):
            ours = path not in rejected
            if ours != valid:
                disagreements += 1
                problem = [line for line in run.stdout.splitlines() if line.startswith(path)]
                print(f"{os.path.basename(path)}: validator says {'valid' if valid else 'invalid'}, "
                      f"hinge-conformance says {'valid' if ours else 'invalid'} {problem[:1]}")
        valid_count = sum(verdicts.values())
        print(f"{len(verdicts)} mutants ({valid_count} valid, {len(verdicts) - valid_count} invalid by the validator): "
              f"{len(verdicts) - disagreements} agree, {disagreements} disagree")
        return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
