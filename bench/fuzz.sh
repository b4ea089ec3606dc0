#!/usr/bin/env bash
# The long run of the readers' fuzzer: every format for SECONDS in all (default 1,800), from SEED (default: the date,
# so each run tries new mutants). Prints per format how many mutants were tried, loaded and refused, the most one
# allocated and every failure; failing mutants are kept under the work folder it names. Exit code 1 on any failure.
#   bash bench/fuzz.sh [SECONDS] [SEED]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-1800}"
seed="${2:-$(date +%Y%m%d)}"
export DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1
dotnet build tests/AlexNet.Fuzzing -c Release -v quiet -nologo -p:UseSharedCompilation=false >/dev/null
lscpu | grep -m1 "Model name" || true
exec dotnet tests/AlexNet.Fuzzing/bin/Release/net10.0/AlexNet.Fuzzing.dll --seconds "$seconds" --seed "$seed" \
  --work "${TMPDIR:-/tmp}/alexnet-fuzz-$seed" --json "${TMPDIR:-/tmp}/alexnet-fuzz-$seed.json"
