#!/usr/bin/env bash
# keras-cifar10 on Fashion-MNIST resized to 32x32: ours (alexnet train --arch keras-cifar10) and its PyTorch twin
# (bench/pytorch_keras_cifar10.py: the same network, initialization and recipe) one after the other in one run.
# Both hold out 10% of the 60,000 training images for validation, train for the same epochs with the seed
# project's recipe (SGD lr 0.01, momentum 0.9, batch 128, augmentation rotate=2,zoom=0.1,flip, plateau schedule
# on validation top-1 with factor 0.01, patience 2 and floor 1e-5, early stopping after 3 epochs without a better
# validation top-1), and test their last weights once on the 10,000 test images. Both use one thread per CPU the
# process may run on. Prints a Markdown table: epochs run, last lr, validation and test top-1, training seconds per
# epoch, training images/s and the wall time of each whole job (start-up, data, training, validation, test).
#   bash bench/keras_cifar10.sh [EPOCHS (10)]     BACKEND=auto|onednn|managed picks ours
#   TRAIN=N trains on the first N training images (all 10,000 test images are still tested)
#   LIMIT=N takes the first N training and N/5 test images (a smoke test of the script, not a measurement)
#   KEEP=1 keeps the run directories (printed at the end); otherwise they are deleted
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
epochs="${1:-10}"
backend="${BACKEND:-auto}"
bash scripts/install-deps.sh --bench
dotnet build src/AlexNet.Cli -c Release -v quiet -nologo >/dev/null
out="$(mktemp -d)"
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$out"' EXIT; fi
data=/usr/share/datasets/fashion-mnist
if [ -n "${LIMIT:-}${TRAIN:-}" ]; then
  /usr/bin/python3 - "$data" "$out/data" "${LIMIT:-${TRAIN}}" "${LIMIT:+smoke}" <<'PY'
import gzip, os, struct, sys
source, target, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
tests = limit // 5 if sys.argv[4] == "smoke" else 10000
os.makedirs(target)
def read(name):
    path = os.path.join(source, name)
    return gzip.open(path + ".gz").read() if os.path.exists(path + ".gz") else open(path, "rb").read()
for name, count in [("train-images-idx3-ubyte", limit), ("train-labels-idx1-ubyte", limit),
                    ("t10k-images-idx3-ubyte", tests), ("t10k-labels-idx1-ubyte", tests)]:
    raw = read(name)
    dims = list(struct.unpack(">" + "I" * raw[3], raw[4:4 + 4 * raw[3]]))
    item = 1
    for d in dims[1:]:
        item *= d
    dims[0] = count
    with open(os.path.join(target, name), "wb") as f:
        f.write(raw[:4] + struct.pack(">" + "I" * len(dims), *dims) + raw[4 + 4 * len(dims):4 + 4 * len(dims) + count * item])
PY
  data="$out/data"
fi
recipe=(--batch-size 128 --lr 0.01 --momentum 0.9 --weight-decay 0 --seed 1 --val-split 0.1
        --augment rotate=2,zoom=0.1,flip --schedule plateau --plateau-monitor val_top1 --plateau-factor 0.01 --patience 2 --min-lr 1e-5
        --early-stop 3 --best-by top1)

echo "== ours ($backend backend): keras-cifar10, $epochs epochs   (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
started=$EPOCHREALTIME
./alexnet train --arch keras-cifar10 --data "$data" --out "$out/ours" --epochs "$epochs" --backend "$backend" "${recipe[@]}" 2>&1 | tee "$out/ours.log"
./alexnet evaluate --model "$out/ours/last.safetensors" --data "$data" --backend "$backend" --json > "$out/ours.json"
ours_wall=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')

echo "== pytorch twin: $epochs epochs   (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
started=$EPOCHREALTIME
/usr/bin/python3 bench/pytorch_keras_cifar10.py --epochs "$epochs" --data "$data" --batch-size 128 --lr 0.01 --momentum 0.9 --weight-decay 0 \
  --seed 1 --rotate 2 --zoom 0.1 --plateau-monitor val_top1 --plateau-factor 0.01 --patience 2 --min-lr 1e-5 --early-stop 3 --json > "$out/pytorch.json"
torch_wall=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
echo "== done   (load average: $(cut -d' ' -f1-3 /proc/loadavg))"

command="bash bench/keras_cifar10.sh $epochs"
for setting in BACKEND TRAIN LIMIT; do
  if [ -n "${!setting:-}" ]; then command="$setting=${!setting} $command"; fi
done
/usr/bin/python3 - "$out" "$ours_wall" "$torch_wall" "$command" "$(lscpu | sed -n 's/^Model name: *//p')" "$(nproc)" <<'PY'
import json, re, sys
out, ours_wall, torch_wall, command, cpu, cpus = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
ours = [json.loads(l) for l in open(f"{out}/ours/metrics.jsonl") if l.strip()]
ours_test = json.load(open(f"{out}/ours.json"))
torch = json.load(open(f"{out}/pytorch.json"))
t_epochs = torch["epochs"]
# The backend line names oneDNN's OpenMP threads; the managed backend runs one thread per CPU the process may use.
notice = re.search(r"backend: onednn \(oneDNN [^,]*, (\d+) threads\)", open(f"{out}/ours.log").read())
ours_threads = int(notice.group(1)) if notice else int(cpus)


def rate(epochs):
    """Training images per second over all epochs, and mean training seconds per epoch."""
    seconds = sum(e["seconds"] for e in epochs)
    return sum(e["images_per_sec"] * e["seconds"] for e in epochs) / seconds, seconds / len(epochs)


ours_rate, ours_sec = rate(ours)
torch_rate, torch_sec = rate(t_epochs)
print()
print(f"`{command}`, {cpu} ({cpus} CPU{'' if cpus == '1' else 's'} for this process), {torch['train_images']:,} training images:")
print()
print("| framework | threads | epochs run | last lr | validation top-1 (last epoch) | test top-1 | seconds per epoch | images/s | wall time, whole job |")
print("|---|---|---|---|---|---|---|---|---|")
print(f"| ours ({ours_test['backend']} backend) | {ours_threads} | {len(ours)} | {ours[-1]['lr']:g} | {ours[-1]['val_top1']:.2%} | {ours_test['top1']:.2%} "
      f"| {ours_sec:.1f} | {ours_rate:,.0f} | {ours_wall:,.0f} s |")
print(f"| {torch['framework']} | {torch['threads']} | {len(t_epochs)} | {t_epochs[-1]['lr']:g} | {t_epochs[-1]['val_top1']:.2%} | {torch['final_test_top1']:.2%} "
      f"| {torch_sec:.1f} | {torch_rate:,.0f} | {torch_wall:,.0f} s |")
print(f"\nPer-epoch time ratio (PyTorch / ours): {torch_sec / ours_sec:.2f}x; whole-job wall time ratio: {torch_wall / ours_wall:.2f}x; "
      f"test top-1 difference (ours - PyTorch): {(ours_test['top1'] - torch['final_test_top1']) * 100:+.2f} points.")
PY
if [ -n "${KEEP:-}" ]; then echo "run directories kept in $out"; fi
