#!/usr/bin/env bash
# Times ours (`alexnet bench`) and Debian's PyTorch 1.13 (bench/pytorch_bench.py) on the same architectures,
# batch, threads, warm-up and steps, alternating ours (each backend) and PyTorch within one run so that both see the
# same machine, and prints a markdown table of images/s and peak memory with the ratios ours / PyTorch.
#   bash bench/speed.sh                    paper, torchvision and mini on the default backend and every other one
#   ARCHS="paper" BACKENDS="managed" BATCH=64 MINI_BATCH=128 STEPS=3 WARMUP=1 MINI_STEPS=20 MINI_WARMUP=3 ROUNDS=2 bash bench/speed.sh
#   AVX2=1 bash bench/speed.sh             on an AVX-512 machine: both sides limited to AVX2 (DOTNET_EnableAVX512F=0,
#                                          ONEDNN_MAX_CPU_ISA=AVX2 for ours and PyTorch's oneDNN, ATEN_CPU_CAPABILITY=avx2)
# Each figure is the best of ROUNDS alternations (the least disturbed by other work on the machine). `mini` times more
# steps (a few of its steps take well under a second, too short to see past the machine's jitter). The table names
# the CPU and the instruction set each side's kernels ran with.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
archs="${ARCHS:-paper torchvision mini}"
batch="${BATCH:-64}"
mini_batch="${MINI_BATCH:-128}"
steps="${STEPS:-3}"
warmup="${WARMUP:-1}"
mini_steps="${MINI_STEPS:-20}"
mini_warmup="${MINI_WARMUP:-3}"
rounds="${ROUNDS:-2}"
threads="$(nproc)"
bash scripts/install-deps.sh --bench
dotnet build src/AlexNet.Cli -c Release -v quiet -nologo >/dev/null
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
if [ -n "${AVX2:-}" ]; then
  export DOTNET_EnableAVX512F=0 ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2
fi
cpu="$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
cli=(dotnet src/AlexNet.Cli/bin/Release/net10.0/AlexNet.Cli.dll)

if [ -z "${BACKENDS:-}" ]; then
  BACKENDS="auto managed"
  if "${cli[@]}" bench --arch mini --batch 1 --steps 1 --warmup 0 --backend onednn --json >/dev/null 2>&1; then
    BACKENDS="auto onednn managed"
  fi
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for arch in $archs; do
  size="$batch" arch_steps="$steps" arch_warmup="$warmup"
  [ "$arch" = mini ] && size="$mini_batch" arch_steps="$mini_steps" arch_warmup="$mini_warmup"
  for round in $(seq "$rounds"); do
    for backend in $BACKENDS; do
      echo "== $arch, round $round/$rounds: ours on $backend" >&2
      "${cli[@]}" bench --arch "$arch" --backend "$backend" --batch "$size" --steps "$arch_steps" --warmup "$arch_warmup" --json \
        >> "$out/ours-$arch-$backend.jsonl"
    done
    echo "== $arch, round $round/$rounds: PyTorch" >&2
    /usr/bin/python3 bench/pytorch_bench.py --arch "$arch" --batch "$size" --steps "$arch_steps" --warmup "$arch_warmup" \
      --threads "$threads" >> "$out/pytorch-$arch.jsonl"
  done
done

/usr/bin/python3 - "$out" "$archs" "$BACKENDS" "$batch" "$threads" "$steps" "$warmup" "$rounds" "$cpu" "$mini_batch" "${ATEN_CPU_CAPABILITY:-default}" \
  "$mini_steps" "$mini_warmup" <<'PY'
import json, sys
out, archs, backends, batch, threads, steps, warmup, rounds, cpu, mini_batch, aten, mini_steps, mini_warmup = sys.argv[1:]

def load(path):
    return [json.loads(line) for line in open(path) if line.strip()]

def best(rows, key):
    return max(r[key] for r in rows)

print(f"{cpu}; batch {batch} (mini {mini_batch}), {threads} threads, {steps} timed steps after {warmup} warm-up (mini {mini_steps} after {mini_warmup}), "
      f"best of {rounds} alternating rounds; "
      f"PyTorch's CPU capability: {aten}\n")
print("| arch | backend (isa) | ours train img/s | PyTorch train img/s | ratio | ours infer img/s | PyTorch infer img/s | ratio | peak memory ours / PyTorch (MiB) |")
print("|---|---|---|---|---|---|---|---|---|")
for arch in archs.split():
    for backend in backends.split():
        ours = load(f"{out}/ours-{arch}-{backend}.jsonl")
        peer = load(f"{out}/pytorch-{arch}.jsonl")
        ot, pt = best(ours, "train_images_per_sec"), best(peer, "train_images_per_sec")
        oi, pi = best(ours, "infer_images_per_sec"), best(peer, "infer_images_per_sec")
        om = min(r["peak_memory_bytes"] for r in ours) / 2**20
        pm = min(r["peak_memory_bytes"] for r in peer) / 2**20
        # auto picks a backend per batch size and mode: name the ones it ran (training / inference when they differ).
        ran = ours[0]['training_backend'] if ours[0]['training_backend'] == ours[0]['inference_backend'] else f"{ours[0]['training_backend']} / {ours[0]['inference_backend']}"
        chosen = ours[0]['backend'] if backend != "auto" else f"auto: {ran}"
        print(f"| {arch} | {chosen} ({ours[0]['isa']}) | {ot:.1f} | {pt:.1f} | {ot / pt:.2f}x | {oi:.1f} | {pi:.1f} | {oi / pi:.2f}x | {om:.0f} / {pm:.0f} |")

if {"managed", "onednn"} <= set(backends.split()):
    print("\n| arch | managed train img/s | oneDNN train img/s | managed / oneDNN |")
    print("|---|---|---|---|")
    for arch in archs.split():
        managed = best(load(f"{out}/ours-{arch}-managed.jsonl"), "train_images_per_sec")
        onednn = best(load(f"{out}/ours-{arch}-onednn.jsonl"), "train_images_per_sec")
        print(f"| {arch} | {managed:.1f} | {onednn:.1f} | {managed / onednn:.0%} |")
PY
