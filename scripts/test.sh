#!/usr/bin/env bash
# Runs the whole test suite (installing what it needs first) and ends with one line of counts.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh --test
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
dotnet test AlexNet.slnx -c Release --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One summary line per test assembly: add them up.
summary=$(grep -E "^(Passed|Failed)!" "$log" || true)
count() { sed -nE "s/.*$1: *([0-9]+).*/\\1/p" <<<"$summary" | awk '{s += $1} END {print s + 0}'; }
echo "tests: $(count Passed) passed, $(count Failed) failed, $(count Skipped) skipped"
if [ "$status" -ne 0 ] || [ -z "$summary" ]; then
  exit 1
fi
