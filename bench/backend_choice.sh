#!/usr/bin/env bash
# Is the default backend ever the slow one? Times `alexnet bench` on the managed and oneDNN backends and on the
# default (auto) for every shipped architecture at batch 1, 8, 64 and 128, training and inference, alternating the
# backends within each round, and prints images/s, which backend auto ran, and auto's share of the faster backend.
#   bash bench/backend_choice.sh
#   ARCHS="paper mini" BATCHES="1 64" ROUNDS=2 bash bench/backend_choice.sh
#   AVX2=1 bash bench/backend_choice.sh      on an AVX-512 machine: limited to AVX2 (DOTNET_EnableAVX512F=0, ONEDNN_MAX_CPU_ISA=AVX2)
# Steps per timing shrink with the batch so that each figure covers a few seconds; each figure is the best of ROUNDS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
archs="${ARCHS:-paper torchvision mini caffe caffenet keras-cifar10}"
batches="${BATCHES:-1 8 64 128}"
rounds="${ROUNDS:-2}"
bash scripts/install-deps.sh >/dev/null
dotnet build src/AlexNet.Cli -c Release -v quiet -nologo >/dev/null
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
if [ -n "${AVX2:-}" ]; then export DOTNET_EnableAVX512F=0 ONEDNN_MAX_CPU_ISA=AVX2; fi
cli=(dotnet src/AlexNet.Cli/bin/Release/net10.0/AlexNet.Cli.dll)
cpu="$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for arch in $archs; do
  for batch in $batches; do
    # About 64 images per timing for the large networks, 512 for mini; at least 2 steps.
    per=$([ "$arch" = mini ] && echo 512 || echo 64)
    steps=$(( per / batch > 2 ? per / batch : 2 ))
    for round in $(seq "$rounds"); do
      for backend in managed onednn auto; do
        echo "== $arch, batch $batch, $backend, round $round/$rounds" >&2
        # One failed run costs its row, not the whole table.
        "${cli[@]}" bench --arch "$arch" --batch "$batch" --steps "$steps" --warmup 1 --backend "$backend" --json >> "$out/$arch-$batch-$backend.jsonl" \
          || echo "!! $arch, batch $batch, $backend failed" >&2
      done
    done
  done
done
/usr/bin/python3 - "$out" "$archs" "$batches" "$rounds" "$cpu" <<'PY'
import json, sys
out, archs, batches, rounds, cpu = sys.argv[1:]
def load(arch, batch, backend):
    try:
        return [json.loads(l) for l in open(f"{out}/{arch}-{batch}-{backend}.jsonl") if l.strip()]
    except FileNotFoundError:
        return []
print(f"{cpu}; best of {rounds} alternating rounds; images/s\n")
print("| arch | batch | mode | managed | oneDNN | auto (runs) | auto / faster |")
print("|---|---|---|---|---|---|---|")
worst, isa = 1.0, "unknown"
for arch in archs.split():
    for batch in batches.split():
        rows = {b: load(arch, batch, b) for b in ("managed", "onednn", "auto")}
        if not all(rows.values()):
            failed = ", ".join(b for b in rows if not rows[b])
            print(f"| {arch} | {batch} | – | failed: {failed} | | | |")
            continue
        isa = rows["managed"][0]["isa"]
        for mode, key in (("training", "train_images_per_sec"), ("inference", "infer_images_per_sec")):
            if rows["managed"][0][key] is None:
                # A network that cannot train at this batch (batch normalization on one image) has no training figure.
                print(f"| {arch} | {batch} | {mode} | – | – | – | not timed: {rows['managed'][0]['training_skipped']} |")
                continue
            best = {b: max(r[key] for r in rows[b]) for b in rows}
            share = best["auto"] / max(best["managed"], best["onednn"])
            worst = min(worst, share)
            # auto picks a backend per batch size and mode; runs may differ where the two are close.
            ran = "/".join(sorted({r[f"{mode}_backend"] for r in rows["auto"]}))
            print(f"| {arch} | {batch} | {mode} | {best['managed']:.1f} | {best['onednn']:.1f} | {best['auto']:.1f} ({ran}) | {share:.0%} |")
print(f"\nmanaged kernels: {isa}; lowest auto / faster share: {worst:.0%}")
PY
