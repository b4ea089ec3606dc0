#!/usr/bin/env bash
# Trains mini on Fashion-MNIST with ours and with its PyTorch twin (bench/pytorch_mini.py), same recipe and
# epochs, in one run, and prints test accuracy after the short default schedule and after the full one,
# with seconds per training epoch. Both train on all 60,000 training images (no validation hold-out) and
# are tested on the 10,000 test images.
# Wall time covers each side's whole job (start-up, data loading, training, evaluation).
#   bash bench/fashion_mnist.sh [EPOCHS (10)] [SHORT (3)]      BACKEND=auto|onednn|managed picks ours
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
epochs="${1:-10}"
short="${2:-3}"
backend="${BACKEND:-auto}"
bash scripts/install-deps.sh --bench
dotnet build src/AlexNet.Cli -c Release -v quiet -nologo >/dev/null
out="$(mktemp -d)"
# The 10-epoch recipe: SGD, lr 0.01 divided by 10 after epoch 7; its first 3 epochs are the default schedule.
recipe=(--batch-size 128 --lr 0.01 --momentum 0.9 --weight-decay 5e-4 --seed 1 --schedule step --step-size 7)

echo "== ours ($backend backend): $short epochs, then resumed to $epochs"
started=$EPOCHREALTIME
./alexnet train --out "$out/ours" --epochs "$short" --val-split 0 --backend "$backend" "${recipe[@]}"
./alexnet evaluate --model "$out/ours/last.safetensors" --backend "$backend" --json > "$out/ours-short.json"
./alexnet train --resume "$out/ours" --epochs "$epochs" --backend "$backend"
./alexnet evaluate --model "$out/ours/last.safetensors" --backend "$backend" --json > "$out/ours-full.json"
ours_wall=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')

echo "== pytorch twin: $epochs epochs"
started=$EPOCHREALTIME
/usr/bin/python3 bench/pytorch_mini.py --epochs "$epochs" "${recipe[@]}" --eval-batch-size 128 --json > "$out/pytorch.json"
torch_wall=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')

/usr/bin/python3 - "$out" "$short" "$epochs" "$ours_wall" "$torch_wall" <<'PY'
import json, sys
out, short, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ours_wall, torch_wall = float(sys.argv[4]), float(sys.argv[5])
ours = [json.loads(l) for l in open(f"{out}/ours/metrics.jsonl") if l.strip()]
ours_short = json.load(open(f"{out}/ours-short.json"))["top1"]
ours_full = json.load(open(f"{out}/ours-full.json"))["top1"]
torch = json.load(open(f"{out}/pytorch.json"))
t_epochs = torch["epochs"]
ours_sec = sum(m["seconds"] for m in ours) / len(ours)
torch_sec = sum(e["seconds"] for e in t_epochs) / len(t_epochs)
print()
backend = json.load(open(f"{out}/ours-full.json"))["backend"]
print(f"| framework | test top-1 after {short} epochs | test top-1 after {epochs} epochs | seconds per epoch | images/s | wall time, whole job |")
print("|---|---|---|---|---|---|")
print(f"| ours ({backend}) | {ours_short:.2%} | {ours_full:.2%} | {ours_sec:.1f} | {60000 / ours_sec:.0f} | {ours_wall:.0f} s |")
print(f"| {torch['framework']} | {t_epochs[short - 1]['test_top1']:.2%} | {torch['final_test_top1']:.2%} | {torch_sec:.1f} | {60000 / torch_sec:.0f} | {torch_wall:.0f} s |")
print(f"\nper-epoch time ratio (pytorch / ours): {torch_sec / ours_sec:.2f}x; whole-job wall time ratio: {torch_wall / ours_wall:.2f}x; "
      f"accuracy gap after {epochs} epochs: {(ours_full - torch['final_test_top1']) * 100:+.2f} points")
PY
