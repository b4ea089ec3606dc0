#!/usr/bin/env bash
# Runs the whole test suite (installing what it needs first) and ends with one line of counts.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
dotnet test AlexNet.slnx -c Release --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
summary=$(grep -E "^(Passed|Failed)!" "$log" | tail -1)
passed=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.*Failed: *([0-9]+).*/\1/p' <<<"$summary")
skipped=$(sed -nE 's/.*Skipped: *([0-9]+).*/\1/p' <<<"$summary")
echo "tests: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
if [ "$status" -ne 0 ] || [ -z "$summary" ]; then
  exit 1
fi
