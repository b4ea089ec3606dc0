#!/usr/bin/env bash
# Data-parallel scaling on this machine: one process using every core against ranks of one thread each, all under
# the same conditions, alternating within one run. Prints the conditions, a markdown table (images/s of the ranks
# together and of each rank, the share of the single process's images/s, bytes all-reduced per step, time inside
# the reductions, the part of it moving data and the share hidden behind backward), the projection of
# bench/scaling_model.py for 8 and 64 nodes at 10, 25 and 100 Gbit/s from this machine's per-layer profile (a model,
# labelled so, with its formula), and every raw JSON line.
#   bash bench/scaling.sh
#   ARCHS="paper mini" BACKEND=onednn BATCH=64 STEPS=5 WARMUP=1 ROUNDS=3 RANKS="2" bash bench/scaling.sh
#   ETA=0.85 ETA_NOTE="measured by bench/netns_scaling.sh" bash bench/scaling.sh   (the link efficiency the model uses)
# Configurations (each round runs them one after the other; each figure is the best round, the least disturbed):
#   single      ./alexnet bench: 1 process, all cores (no mpirun)
#   bound       mpirun -np R --bind-to core: R ranks, mpirun pins each to a core, so each runs 1 thread
#   bound-mpi   the same with --allreduce mpi: gradients summed by Open MPI's MPI_Allreduce instead of our ring
#   unbound     mpirun -np R --bind-to none with OMP_NUM_THREADS=1 DOTNET_PROCESSOR_COUNT=1: the kernel places them
#   independent R single-thread processes without MPI, each pinned to a core (taskset) on batch/R: what the ranks
#               would reach if reducing gradients cost nothing, so the gap to it is the price of communication
# Run it on an otherwise idle machine; nice and other load change the figures a lot on a 2-core machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
archs="${ARCHS:-paper}"
batch="${BATCH:-64}"
steps="${STEPS:-5}"
warmup="${WARMUP:-1}"
rounds="${ROUNDS:-3}"
ranks_list="${RANKS:-2}"
bash scripts/install-deps.sh --bench
dotnet build src/AlexNet.Cli -c Release -v quiet -nologo >/dev/null
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# Open MPI refuses root unless told twice; harmless otherwise.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cli=(dotnet src/AlexNet.Cli/bin/Release/net10.0/AlexNet.Cli.dll)
backend="${BACKEND:-}"
if [ -z "$backend" ]; then
  backend=managed
  "${cli[@]}" bench --arch mini --batch 1 --steps 1 --warmup 0 --backend onednn --json >/dev/null 2>&1 && backend=onednn
fi

bash bench/conditions.sh
if [ "$(nproc)" -lt 2 ] && [ -z "${FORCE:-}" ]; then
  echo "bench/scaling.sh compares one process on all cores with one rank per core: it needs at least 2 usable cores, and this run may use $(nproc) (FORCE=1 runs anyway)." >&2
  exit 1
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
common=(bench --backend "$backend" --batch "$batch" --steps "$steps" --warmup "$warmup" --json)
for arch in $archs; do
  for round in $(seq "$rounds"); do
    echo "== $arch, round $round/$rounds" >&2
    "${cli[@]}" "${common[@]}" --arch "$arch" >> "$out/$arch-single.jsonl"
    "${cli[@]}" "${common[@]}" --arch "$arch" --profile >> "$out/$arch-profile.jsonl"
    for ranks in $ranks_list; do
      mpirun -np "$ranks" --bind-to core "${cli[@]}" "${common[@]}" --arch "$arch" >> "$out/$arch-bound-$ranks.jsonl"
      mpirun -np "$ranks" --bind-to core "${cli[@]}" "${common[@]}" --arch "$arch" --allreduce mpi >> "$out/$arch-bound-mpi-$ranks.jsonl"
      OMP_NUM_THREADS=1 DOTNET_PROCESSOR_COUNT=1 mpirun -np "$ranks" --oversubscribe --bind-to none -x OMP_NUM_THREADS -x DOTNET_PROCESSOR_COUNT \
        "${cli[@]}" "${common[@]}" --arch "$arch" >> "$out/$arch-unbound-$ranks.jsonl"
      if [ $((batch % ranks)) -eq 0 ] && [ "$(nproc)" -ge "$ranks" ]; then
        for r in $(seq 0 $((ranks - 1))); do
          OMP_NUM_THREADS=1 DOTNET_PROCESSOR_COUNT=1 taskset -c "$r" "${cli[@]}" bench --backend "$backend" --batch $((batch / ranks)) \
            --steps "$steps" --warmup "$warmup" --json --arch "$arch" > "$out/$arch-independent-$ranks-$r.json" &
        done
        wait
        /usr/bin/python3 -c 'import json, sys; rows = [json.load(open(p)) for p in sys.argv[1:]]; print(json.dumps({"ranks": len(rows), "threads": rows[0]["threads"], "train_images_per_sec": sum(r["train_images_per_sec"] for r in rows), "rank_images_per_sec": [r["train_images_per_sec"] for r in rows], "train_seconds_per_step": max(r["train_seconds_per_step"] for r in rows)}))' \
          "$out/$arch-independent-$ranks-"*.json >> "$out/$arch-independent-$ranks.jsonl"
      fi
    done
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); cores usable after: $(sed -n 's/^Cpus_allowed_list:\s*//p' /proc/self/status)"
echo
for arch in $archs; do "${cli[@]}" summary --arch "$arch" --json > "$out/$arch-summary.json"; done

/usr/bin/python3 - "$out" "$archs" "$ranks_list" "$batch" "$steps" "$warmup" "$rounds" <<'PY'
import json, os, sys
out, archs, ranks_list, batch, steps, warmup, rounds = sys.argv[1:]

def load(name):
    path = f"{out}/{name}.jsonl"
    return [json.loads(line) for line in open(path) if line.strip()] if os.path.exists(path) else []

def best(rows):
    return max(rows, key=lambda r: r["train_images_per_sec"])

print(f"global batch {batch}, {steps} timed steps after {warmup} warm-up, best of {rounds} alternating rounds\n")
print("| arch | configuration | ranks × threads | img/s together | img/s per rank | share of single | MB all-reduced / step "
      "| all-reduce ms / step | moving data ms / step | exposed ms / step | hidden | step ms | forward + backward ms |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for arch in archs.split():
    single = best(load(f"{arch}-single"))
    print(f"| {arch} | single process | 1 × {single['threads']} | {single['train_images_per_sec']:.1f} | – | 100% | – | – | – | – | – "
          f"| {single['train_seconds_per_step'] * 1000:.0f} | – |")
    for ranks in ranks_list.split():
        for kind in ("bound", "bound-mpi", "unbound", "independent"):
            rows = load(f"{arch}-{kind}-{ranks}")
            if not rows:
                continue
            r = best(rows)
            if kind == "independent":
                per_rank = ", ".join(f"{v:.1f}" for v in r["rank_images_per_sec"])
                print(f"| {arch} | independent processes, no MPI (the ceiling) | {r['ranks']} × {r['threads']} | {r['train_images_per_sec']:.1f} | {per_rank} "
                      f"| {r['train_images_per_sec'] / single['train_images_per_sec']:.0%} | – | – | – | – | – | {r['train_seconds_per_step'] * 1000:.0f} | – |")
                continue
            per_rank = ", ".join(f"{v:.1f}" for v in r["rank_images_per_sec"])
            label = "mpirun bound, MPI_Allreduce" if kind == "bound-mpi" else f"mpirun {kind}"
            print(f"| {arch} | {label} | {r['ranks']} × {r['threads']} | {r['train_images_per_sec']:.1f} | {per_rank} "
                  f"| {r['train_images_per_sec'] / single['train_images_per_sec']:.0%} | {r['allreduce_bytes_per_step'] / 1e6:.1f} "
                  f"| {r['allreduce_seconds_per_step'] * 1000:.0f} | {r['allreduce_transfer_seconds_per_step'] * 1000:.0f} "
                  f"| {r['exposed_allreduce_seconds_per_step'] * 1000:.0f} "
                  f"| {r['hidden_share']:.0%} | {r['train_seconds_per_step'] * 1000:.0f} | {r['compute_seconds_per_step'] * 1000:.0f} |")

PY

for arch in $archs; do
  # The least disturbed profile (shortest step) feeds the model.
  /usr/bin/python3 -c 'import json, sys; rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]; print(json.dumps(min(rows, key=lambda r: r["profile"]["step_ms"])))' \
    "$out/$arch-profile.jsonl" > "$out/$arch-best-profile.json"
  echo
  /usr/bin/python3 bench/scaling_model.py --summary "$out/$arch-summary.json" --profile "$out/$arch-best-profile.json" \
    --eta "${ETA:-0.9}" --eta-note "${ETA_NOTE:-assumed; bench/netns_scaling.sh measures it over a tc-limited link}"
done

echo
echo "raw JSON lines:"
for file in "$out"/*.jsonl; do
  name="$(basename "$file" .jsonl)"
  sed "s/^/$name: /" "$file"
done
