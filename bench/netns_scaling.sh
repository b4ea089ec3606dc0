#!/usr/bin/env bash
# Two ranks joined by a real network link, on one machine: each rank runs in its own network namespace, the two
# namespaces are joined by a veth pair, and tc (a token bucket on both ends) limits the link's bandwidth. Open MPI
# talks TCP over that link only (no shared memory), and mpirun starts the second rank through a launcher that enters
# the other namespace instead of ssh. Needs root (namespaces, tc) and iproute2.
#   sudo bash bench/netns_scaling.sh
#   RATES="1gbit 10gbit unlimited" ARCH=paper BATCH=64 STEPS=5 WARMUP=1 ROUNDS=2 sudo -E bash bench/netns_scaling.sh
# Each rank runs one thread (OMP_NUM_THREADS=1, DOTNET_PROCESSOR_COUNT=1), as in bench/scaling.sh's "unbound" row,
# which this script also runs over shared memory for reference. On a small machine the veth itself is limited by the
# CPU copying the data, so "10gbit" may not reach 10 Gbit/s: the table gives the bandwidth the all-reduce achieved
# (bytes moved over the seconds spent moving them once both ranks were there) and its share of the tc rate. The
# share on the slowest limited link is the link efficiency η that the projection for 8 and 64 nodes at 10, 25 and
# 100 Gbit/s (bench/scaling_model.py, a model, printed with its formula) then uses, with the per-layer profile of one
# process on all cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ "$(id -u)" -ne 0 ]; then echo "bench/netns_scaling.sh needs root (network namespaces and tc)." >&2; exit 1; fi
arch="${ARCH:-paper}"
batch="${BATCH:-64}"
steps="${STEPS:-5}"
warmup="${WARMUP:-1}"
rounds="${ROUNDS:-2}"
rates="${RATES:-1gbit 10gbit unlimited}"
backend="${BACKEND:-onednn}"
bash scripts/install-deps.sh --bench
dotnet build src/AlexNet.Cli -c Release -v quiet -nologo >/dev/null
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
export OMP_NUM_THREADS=1 DOTNET_PROCESSOR_COUNT=1
cli=(dotnet "$root/src/AlexNet.Cli/bin/Release/net10.0/AlexNet.Cli.dll" bench --arch "$arch" --backend "$backend" --batch "$batch"
  --steps "$steps" --warmup "$warmup" --json)

a=alexnet-bench-a b=alexnet-bench-b
host_a=10.77.0.1 host_b=10.77.0.2
work="$(mktemp -d)"
cleanup() {
  ip netns del "$a" 2>/dev/null || true
  ip netns del "$b" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns del "$a" 2>/dev/null || true
ip netns del "$b" 2>/dev/null || true
ip netns add "$a"
ip netns add "$b"
ip link add veth-alexnet-a type veth peer name veth-alexnet-b
ip link set veth-alexnet-a netns "$a"
ip link set veth-alexnet-b netns "$b"
ip -n "$a" addr add "$host_a/24" dev veth-alexnet-a
ip -n "$b" addr add "$host_b/24" dev veth-alexnet-b
for ns in "$a" "$b"; do ip -n "$ns" link set lo up; done
ip -n "$a" link set veth-alexnet-a up
ip -n "$b" link set veth-alexnet-b up

# mpirun's remote launcher: "agent HOST COMMAND..." runs COMMAND in the namespace that holds HOST (ssh's job on a cluster).
cat > "$work/agent" <<EOF
#!/bin/sh
host=\$1; shift
case "\$host" in
  $host_a) ns=$a ;;
  $host_b) ns=$b ;;
  *) echo "no namespace for host \$host" >&2; exit 1 ;;
esac
exec ip netns exec "\$ns" /bin/sh -c "\$*"
EOF
chmod +x "$work/agent"

limit() {
  local rate=$1
  for side in "$a veth-alexnet-a" "$b veth-alexnet-b"; do
    set -- $side
    ip -n "$1" link set "$2" up
    tc -n "$1" qdisc del dev "$2" root 2>/dev/null || true
    if [ "$rate" != unlimited ]; then
      # A bucket of 10 ms at the rate: enough for the kernel's timer, small against a 244 MB all-reduce.
      local bits
      case "$rate" in
        *gbit) bits=$(( ${rate%gbit} * 1000000000 )) ;;
        *mbit) bits=$(( ${rate%mbit} * 1000000 )) ;;
        *) echo "RATES takes values such as 1gbit, 500mbit or unlimited, not '$rate'." >&2; exit 2 ;;
      esac
      tc -n "$1" qdisc add dev "$2" root tbf rate "$rate" burst $((bits / 8 / 100)) latency 100ms
    fi
  done
}

bash bench/conditions.sh
for round in $(seq "$rounds"); do
  echo "== round $round/$rounds: shared memory" >&2
  mpirun -np 2 --oversubscribe --bind-to none -x OMP_NUM_THREADS -x DOTNET_PROCESSOR_COUNT "${cli[@]}" >> "$work/shared-memory.jsonl"
  for rate in $rates; do
    echo "== round $round/$rounds: veth, $rate" >&2
    limit "$rate"
    ip netns exec "$a" mpirun --host "$host_a,$host_b" -np 2 --mca plm_rsh_agent "$work/agent" \
      --mca btl tcp,self --mca btl_tcp_if_include 10.77.0.0/24 --mca oob_tcp_if_include 10.77.0.0/24 --bind-to none \
      -x OMP_NUM_THREADS -x DOTNET_PROCESSOR_COUNT -x OMP_WAIT_POLICY "${cli[@]}" >> "$work/veth-$rate.jsonl"
  done
done
# The compute the projection starts from: one process on all cores, as one node would run, and the layers' sizes.
echo "== profile: one process, all cores" >&2
env -u OMP_NUM_THREADS -u DOTNET_PROCESSOR_COUNT "${cli[@]}" --profile > "$work/profile.json"
dotnet "$root/src/AlexNet.Cli/bin/Release/net10.0/AlexNet.Cli.dll" summary --arch "$arch" --json > "$work/summary.json"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); cores usable after: $(sed -n 's/^Cpus_allowed_list:\s*//p' /proc/self/status)"
echo

/usr/bin/python3 - "$work" "$rates" "$arch" "$batch" "$steps" "$warmup" "$rounds" <<'PY'
import json, sys
work, rates, arch, batch, steps, warmup, rounds = sys.argv[1:]

def best(name):
    rows = [json.loads(line) for line in open(f"{work}/{name}.jsonl") if line.strip()]
    return max(rows, key=lambda r: r["train_images_per_sec"]), rows

def bits_per_second(rate):
    for suffix, scale in (("gbit", 1e9), ("mbit", 1e6)):
        if rate.endswith(suffix):
            return float(rate[: -len(suffix)]) * scale
    return None  # unlimited

print(f"{arch}, 2 ranks × 1 thread, global batch {batch}, {steps} timed steps after {warmup} warm-up, best of {rounds} rounds\n")
print("| link | img/s together | all-reduce ms / step | moving data ms / step | exposed ms / step | hidden | step ms "
      "| all-reduce bandwidth achieved | share of the link rate |")
print("|---|---|---|---|---|---|---|---|---|")
raw, eta = [], None
for name, label, rate in [("shared-memory", "shared memory (no network)", None)] + [(f"veth-{r}", f"veth, tc {r}", bits_per_second(r)) for r in rates.split()]:
    r, rows = best(name)
    raw += [(name, row) for row in rows]
    n = r["ranks"]
    # A ring all-reduce sends (and receives) 2(N-1)/N of the gradients per rank, over the seconds spent moving data
    # once both ranks were there (waiting for the slower rank excluded).
    moved_bits = 2 * (n - 1) / n * r["allreduce_bytes_per_step"] * 8
    bandwidth = moved_bits / r["allreduce_transfer_seconds_per_step"]
    share = "–" if rate is None else f"{bandwidth / rate:.0%}"
    if rate is not None and (eta is None or rate < eta[1]):
        eta = (min(1.0, bandwidth / rate), rate, name)
    print(f"| {label} | {r['train_images_per_sec']:.1f} | {r['allreduce_seconds_per_step'] * 1000:.0f} "
          f"| {r['allreduce_transfer_seconds_per_step'] * 1000:.0f} | {r['exposed_allreduce_seconds_per_step'] * 1000:.0f} "
          f"| {r['hidden_share']:.0%} | {r['train_seconds_per_step'] * 1000:.0f} | {bandwidth / 1e9:.2f} Gbit/s | {share} |")
with open(f"{work}/raw.txt", "w") as f:
    f.writelines(f"{name}: {json.dumps(row)}\n" for name, row in raw)
if eta is not None:
    with open(f"{work}/eta", "w") as f:
        f.write(f"{eta[0]:.3f} measured over the veth limited to {eta[1] / 1e9:g} Gbit/s\n")
PY

echo
if [ -s "$work/eta" ]; then
  read -r eta note < "$work/eta"
else
  eta=0.9 note="assumed (RATES held no limited link to measure it on)"
fi
/usr/bin/python3 bench/scaling_model.py --summary "$work/summary.json" --profile "$work/profile.json" --eta "$eta" --eta-note "$note"
echo
echo "raw JSON lines:"
cat "$work/raw.txt"
echo "profile: $(cat "$work/profile.json")"
