#!/usr/bin/env bash
# The main job: installs what is missing, builds, trains the mini AlexNet on Fashion-MNIST with the short
# default schedule (the run's HTML report is written at the end of training), evaluates the best checkpoint
# on the test set, predicts a few test images written out as PNG files, and says where everything is.
# Extra arguments go to `alexnet train` (for example --epochs 10 or --backend managed).
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
./alexnet samples --split test --count 6 --out "$run/test-images"
./alexnet predict --model "$run/best.safetensors" "$run/test-images" --top 3
echo
echo "Where to look:"
echo "  $run/report.html          training curves, confusion matrix, per-class accuracy, sample predictions"
echo "  $run/metrics.jsonl        one line per epoch"
echo "  $run/best.safetensors     the model (predict with: ./alexnet predict --model $run/best.safetensors IMAGE...)"
echo "  $run/test-images/         the test images predicted above (file names hold the true label)"
