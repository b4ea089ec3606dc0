#!/usr/bin/env bash
# The main job: installs what is missing, builds, trains the mini AlexNet on Fashion-MNIST with the short
# default schedule, evaluates the best checkpoint on the test set and says where everything is.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh
dotnet build src/AlexNet.Cli -c Release -v quiet -nologo
run="runs/mini-$(date +%Y%m%d-%H%M%S)"
echo
./alexnet summary --arch mini
echo
./alexnet train --out "$run" "$@"
echo
./alexnet evaluate --model "$run/best.safetensors"
echo
echo "Run files: $run (metrics.jsonl, best.safetensors, last.safetensors)"
