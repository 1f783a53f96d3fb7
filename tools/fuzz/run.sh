#!/usr/bin/env bash
# Fuzz the fixture reader with libFuzzer (issue 8).
#
#   bash tools/fuzz/run.sh [SECONDS] [extra libFuzzer flags...]     (default 600 s)
#
# Builds tools/fuzz/FuzzFixtureReader.swift together with Sources/HingeConformance
# (one module, so internal invariants are reachable) with
# -sanitize=fuzzer,address (swiftc has no UBSan: Swift traps on overflow and bounds itself), seeds a corpus from small
# slices of the bundled fixtures plus tools/fuzz/seeds/, and runs libFuzzer with a
# JSON dictionary. Crashers land in tools/fuzz/crashers/ (commit them as regression
# inputs: tools/fuzz/regressions/ is replayed by FuzzRegressionTests). The corpus
# lives in .build/fuzz/corpus (not committed).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-600}"
shift || true
out=.build/fuzz
mkdir -p "$out/corpus" tools/fuzz/crashers
swiftc -O -g -sanitize=fuzzer,address -parse-as-library -module-name HingeConformance -package-name hinge_conformance \
  Sources/HingeConformance/*/*.swift tools/fuzz/FuzzFixtureReader.swift -o "$out/fuzz-fixture-reader"
python3 tools/fuzz/make_seeds.py "$out/corpus"
cp -n tools/fuzz/regressions/* "$out/corpus/" 2>/dev/null || true
"$out/fuzz-fixture-reader" "$out/corpus" -dict=tools/fuzz/json.dict -max_len=16384 -timeout=10 \
  -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix=tools/fuzz/crashers/ "$@"
