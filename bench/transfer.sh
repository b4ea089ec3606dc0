#!/usr/bin/env bash
# Measures what pretrained weights are worth on a small data set (bench/README figures in README.md, "Transfer learning"):
# mini is pretrained on Fashion-MNIST classes 0-4 (all 30,000 of their training images), then classes 5-9 are
# learned from PER_CLASS training images each, four ways with the same recipe and number of epochs:
#   scratch     a new mini, trained on the 5 x PER_CLASS images
#   fine-tuned  train --init pretrained (a new head, every layer trained)
#   frozen      train --init pretrained --freeze features (convolutions fixed, fc6-fc8 trained)
#   fc7 + LR    the pretrained model's relu7 activations (features --layer relu7), logistic regression in numpy
# and each is tested on all 5,000 test images of classes 5-9.
#   bash bench/transfer.sh [WORK_DIR]     (PRETRAIN_EPOCHS, EPOCHS, PER_CLASS, BATCH, LR override the recipe)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$(mktemp -d /tmp/alexnet-transfer.XXXXXX)}"
pretrain_epochs="${PRETRAIN_EPOCHS:-5}" epochs="${EPOCHS:-30}" per_class="${PER_CLASS:-50}" batch="${BATCH:-32}" lr="${LR:-0.01}"
alexnet="$here/alexnet"
bash "$here/scripts/install-deps.sh" --bench
mkdir -p "$work"
echo "Work folder: $work; CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
/usr/bin/python3 "$here/bench/make_fashion_transfer.py" "$work/data" "$per_class" 1

seconds() { local start=$1; echo $(( $(date +%s) - start )); }
top1() { "$alexnet" evaluate --model "$1" --data "$work/data/target" --json | /usr/bin/python3 -c 'import json,sys; print(f"{100*json.load(sys.stdin)[\"top1\"]:.2f}")'; }
per_epoch() { /usr/bin/python3 -c 'import json,sys; rows=[json.loads(l) for l in open(sys.argv[1])]; print(f"{sum(r[\"seconds\"] for r in rows)/len(rows):.3f}")' "$1/metrics.jsonl"; }

start=$(date +%s)
"$alexnet" train --data "$work/data/source" --epochs "$pretrain_epochs" --val-split 0 --out "$work/pretrained" --force > "$work/pretrained.log"
echo "pretrained on classes 0-4 in $(seconds "$start") s: test top-1 on classes 0-4 $( "$alexnet" evaluate --model "$work/pretrained/last.safetensors" --data "$work/data/source" --json | /usr/bin/python3 -c 'import json,sys; print(f"{100*json.load(sys.stdin)[\"top1\"]:.2f}")') %"
pretrained="$work/pretrained/last.safetensors"

recipe=(--data "$work/data/target" --epochs "$epochs" --batch-size "$batch" --lr "$lr" --schedule constant --val-split 0 --force)
"$alexnet" train "${recipe[@]}" --arch mini --out "$work/scratch" > "$work/scratch.log"
"$alexnet" train "${recipe[@]}" --init "$pretrained" --out "$work/finetuned" > "$work/finetuned.log"
"$alexnet" train "${recipe[@]}" --init "$pretrained" --freeze features --out "$work/frozen" > "$work/frozen.log"
"$alexnet" features --model "$pretrained" --layer relu7 "$work/data/target" --split train --out "$work/fc7-train.npy" --force > /dev/null
"$alexnet" features --model "$pretrained" --layer relu7 "$work/data/target" --split test --out "$work/fc7-test.npy" --force > /dev/null
lr_top1=$(/usr/bin/python3 "$here/bench/logistic_regression.py" "$work/fc7-train.npy" "$work/fc7-test.npy" | /usr/bin/python3 -c 'import json,sys; print(f"{100*json.load(sys.stdin)[\"test_top1\"]:.2f}")')

echo
echo "Classes 5-9 from $per_class training images each; test top-1 on their 5,000 test images ($epochs epochs, batch $batch, lr $lr, constant):"
echo "| start | what trains | test top-1 | seconds per epoch |"
echo "|---|---|---|---|"
echo "| from scratch | all layers | $(top1 "$work/scratch/last.safetensors") % | $(per_epoch "$work/scratch") |"
echo "| fine-tuned (--init) | all layers, new head | $(top1 "$work/finetuned/last.safetensors") % | $(per_epoch "$work/finetuned") |"
echo "| frozen features (--init --freeze features) | fc6-fc8, new head | $(top1 "$work/frozen/last.safetensors") % | $(per_epoch "$work/frozen") |"
echo "| fc7 features + logistic regression | a linear classifier on relu7 | $lr_top1 % | – |"
echo "Whole run: $(seconds "$start") s"
