#!/usr/bin/env bash
# What pretrained weights are worth on a small data set (figures in README.md, "Transfer learning"):
# mini is pretrained on Fashion-MNIST classes 0-4 (all 30,000 of their training images), then classes 5-9 are
# learned from N training images each (N = 50, and 10 for a harder case), four ways with the same recipe and
# the same number of epochs (10, and 30):
#   scratch     a new mini, trained on the 5 x N images
#   fine-tuned  train --init pretrained (a new head, every layer trained)
#   frozen      train --init pretrained --freeze features (convolutions fixed, fc6-fc8 trained)
#   fc7 + LR    the pretrained model's relu7 activations (features --layer relu7), logistic regression in numpy
# and each is tested on all 5,000 test images of classes 5-9.
#   bash bench/transfer.sh [WORK_DIR]     (PRETRAIN_EPOCHS, EPOCHS, PER_CLASS, BATCH, LR change the recipe)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$(mktemp -d /tmp/alexnet-transfer.XXXXXX)}"
pretrain_epochs="${PRETRAIN_EPOCHS:-5}" epoch_counts="${EPOCHS:-10 30}" per_class="${PER_CLASS:-50 10}" batch="${BATCH:-32}" lr="${LR:-0.01}"
alexnet="$here/alexnet"
bash "$here/scripts/install-deps.sh" --bench
mkdir -p "$work"
echo "Work folder: $work; CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
# shellcheck disable=SC2086
/usr/bin/python3 "$here/bench/make_fashion_transfer.py" "$work/data" $per_class

seconds() { echo $(( $(date +%s) - $1 )); }
percent() { /usr/bin/python3 -c 'import json,sys; print("%.2f" % (100 * json.load(sys.stdin)[sys.argv[1]]))' "$1"; }
top1() { "$alexnet" evaluate --model "$1" --data "$2" --json | percent top1; }
per_epoch() { /usr/bin/python3 -c 'import json,sys; rows=[json.loads(l) for l in open(sys.argv[1])]; print("%.2f" % (sum(r["seconds"] for r in rows) / len(rows)))' "$1/metrics.jsonl"; }

start=$(date +%s)
"$alexnet" train --data "$work/data/source" --epochs "$pretrain_epochs" --val-split 0 --out "$work/pretrained" --force > "$work/pretrained.log"
pretrained="$work/pretrained/last.safetensors"
echo "Pretrained mini on classes 0-4 ($pretrain_epochs epochs) in $(seconds "$start") s: test top-1 on classes 0-4 $(top1 "$pretrained" "$work/data/source") %"

for n in $per_class; do
  data="$work/data/target-$n"
  for split in train test; do
    "$alexnet" features --model "$pretrained" --layer relu7 "$data" --split "$split" --out "$work/$n-fc7-$split.npy" --force > /dev/null
  done
  regression=$(/usr/bin/python3 "$here/bench/logistic_regression.py" "$work/$n-fc7-train.npy" "$work/$n-fc7-test.npy" | percent test_top1)
  for epochs in $epoch_counts; do
    out="$work/$n-$epochs"
    recipe=(--data "$data" --epochs "$epochs" --batch-size "$batch" --lr "$lr" --schedule constant --val-split 0 --force)
    "$alexnet" train "${recipe[@]}" --arch mini --out "$out/scratch" > "$out-scratch.log"
    "$alexnet" train "${recipe[@]}" --init "$pretrained" --out "$out/finetuned" > "$out-finetuned.log"
    "$alexnet" train "${recipe[@]}" --init "$pretrained" --freeze features --out "$out/frozen" > "$out-frozen.log"
    echo
    echo "Classes 5-9 from $n training images each ($epochs epochs, batch $batch, lr $lr constant); top-1 on their 5,000 test images:"
    echo "| start | what trains | test top-1 | seconds per epoch |"
    echo "|---|---|---|---|"
    echo "| from scratch | every layer | $(top1 "$out/scratch/last.safetensors" "$data") % | $(per_epoch "$out/scratch") |"
    echo "| pretrained, fine-tuned (\`--init\`) | every layer, new head | $(top1 "$out/finetuned/last.safetensors" "$data") % | $(per_epoch "$out/finetuned") |"
    echo "| pretrained, frozen features (\`--init --freeze features\`) | fc6-fc8, new head | $(top1 "$out/frozen/last.safetensors" "$data") % | $(per_epoch "$out/frozen") |"
    echo "| pretrained relu7 features + logistic regression | a linear classifier | $regression % | – |"
  done
done
echo
echo "Whole run: $(seconds "$start") s"
