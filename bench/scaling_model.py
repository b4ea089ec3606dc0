"""A model (not a measurement) of data-parallel AlexNet training on N nodes joined by a network of B Gbit/s.

Inputs, all measured by the toolkit on one machine:
  --summary  `alexnet summary --arch A --json`: the parameters of every layer (the bytes each layer's gradients add);
  --profile  `alexnet bench --arch A --profile --json`: forward and backward milliseconds of every layer and the
             optimizer's, for one node's batch.

The model, per training step of one node (weak scaling: every node keeps its batch, the global batch grows with N):
  * a ring all-reduce of S bytes over N nodes sends and receives 2(N-1)/N * S per node, so it takes
        T_ar(S) = 2(N-1)/N * S / (eta * B) + 2(N-1) * alpha
    with eta the share of the link rate the all-reduce achieves and alpha the latency of each of its 2(N-1) steps;
  * gradients are reduced in buckets of about 25 MB in reverse layer order, as the trainer does: a bucket's
    reduction starts when backward has finished its last layer and the previous bucket's reduction has ended;
  * step time = max(end of backward, end of the last reduction) + optimizer + the rest of the step;
  * scaling efficiency = step time alone / step time on N nodes; images/s = N * batch / step time.
It assumes that reducing does not slow computing (a node has a core to spare for the communication thread), that the
ranks are in step, and nothing about the network but its bandwidth and per-step latency.

  /usr/bin/python3 bench/scaling_model.py --summary summary.json --profile profile.json [--bucket-mb 25]
      [--nodes 8 64] [--gbits 10 25 100] [--eta 0.9 --eta-note "measured ..."] [--alpha-us 25] [--speedups 1 10]
"""
import argparse
import json


def buckets(summary, capacity):
    """(bytes, name of the bucket's earliest layer) in reverse layer order, closing a bucket once it holds capacity."""
    result, current, size = [], [], 0
    for layer in reversed([l for l in summary["layers"] if l["params"] > 0]):
        current.append(layer["name"])
        size += layer["params"] * 4
        if size >= capacity:
            result.append((size, current[-1]))
            current, size = [], 0
    if current:
        result.append((size, current[-1]))
    return result


def backward_done(profile):
    """For each layer name: milliseconds from the start of backward until its backward has run (profile rows may fuse layers)."""
    rows = profile["profile"]["layers"]
    done, elapsed = {}, 0.0
    for row in reversed(rows):
        elapsed += row["backward_ms"]
        for name in row["layer"].split(" ")[0].split("+"):
            done[name] = elapsed
    return done


def project(summary, profile, nodes, gbits, eta, alpha_us, capacity, speedup):
    p = profile["profile"]
    forward = sum(r["forward_ms"] for r in p["layers"]) / speedup
    backward = sum(r["backward_ms"] for r in p["layers"]) / speedup
    rest = (p["step_ms"] - sum(r["forward_ms"] + r["backward_ms"] for r in p["layers"])) / speedup
    done = {name: ms / speedup for name, ms in backward_done(profile).items()}
    bandwidth = gbits * 1e9 / 8 * eta  # bytes per second
    reduce_end, reduce_total = forward, 0.0
    for size, earliest in buckets(summary, capacity):
        ready = forward + done[earliest]
        seconds = 2 * (nodes - 1) / nodes * size / bandwidth + 2 * (nodes - 1) * alpha_us * 1e-6
        reduce_total += seconds * 1000
        reduce_end = max(ready, reduce_end) + seconds * 1000
    backward_end = forward + backward
    alone = forward + backward + rest
    step = max(backward_end, reduce_end) + rest
    return {
        "reduce_ms": reduce_total,
        "exposed_ms": max(0.0, reduce_end - backward_end),
        "step_ms": step,
        "alone_ms": alone,
        "images_per_sec": nodes * profile["batch"] / step * 1000,
        "efficiency": alone / step,
    }


def formula(total, nodes, eta, eta_note, alpha_us, bucket_mb, batch):
    """The model's equations as README-ready lines, with the numbers this projection used."""
    sent = ", ".join(f"N = {n}: {2 * (n - 1) / n * total / 1e6:.1f} MB" for n in nodes)
    return "\n".join([
        "Formula (per training step of one node; every node keeps its batch, so the global batch grows with N):",
        f"- a ring all-reduce of S bytes sends and receives 2(N−1)/N × S per node: for S = {total / 1e6:.1f} MB of gradients, {sent}",
        f"- a bucket of s bytes takes T(s) = 2(N−1)/N × s / (η × B) + 2(N−1) × α on a link of B bit/s "
        f"(η = {eta:.2f}, {eta_note}; α = {alpha_us:g} µs per ring step, assumed)",
        f"- buckets of about {bucket_mb:g} MB in reverse layer order; bucket k starts at max(end of backward of its earliest layer, end of bucket k−1)",
        "- step(N) = max(end of backward, end of the last bucket) + the rest of the step (optimizer, loss), all from the measured profile",
        f"- scaling efficiency = step(1) / step(N); images/s = N × {batch} / step(N)",
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--summary", required=True)
    parser.add_argument("--profile", required=True)
    parser.add_argument("--bucket-mb", type=float, default=25)
    parser.add_argument("--nodes", type=int, nargs="+", default=[8, 64])
    parser.add_argument("--gbits", type=float, nargs="+", default=[10, 25, 100])
    parser.add_argument("--eta", type=float, default=0.9, help="share of the link rate the all-reduce achieves")
    parser.add_argument("--eta-note", default="assumed", help="where --eta comes from, printed with the formula")
    parser.add_argument("--alpha-us", type=float, default=25, help="latency of each of the ring's 2(N-1) steps, microseconds")
    parser.add_argument("--speedups", type=float, nargs="+", default=[1, 10],
                        help="node compute speed relative to the profiled machine (10: a node ten times faster)")
    args = parser.parse_args()
    if not 0 < args.eta <= 1:
        parser.error(f"--eta must be in (0, 1], got {args.eta}")
    summary = json.load(open(args.summary))
    profile = json.load(open(args.profile))
    total = sum(l["params"] for l in summary["layers"]) * 4
    print(f"MODEL, not measurement: {summary['architecture']}, {total / 1e6:.1f} MB of gradients per step in buckets of "
          f"{args.bucket_mb:g} MB, {profile['batch']} images per node per step, ring all-reduce at {args.eta:.0%} of the link rate "
          f"({args.eta_note}), {args.alpha_us:g} µs per ring step; compute from `alexnet bench --profile` on {profile['threads']} thread{'' if profile['threads'] == 1 else 's'} "
          f"({profile['profile']['step_ms']:.0f} ms per step alone)\n")
    print("| node compute | nodes | link | MB sent per node / step | all-reduce ms / step | exposed ms / step | step ms | images/s | scaling efficiency |")
    print("|---|---|---|---|---|---|---|---|---|")
    for speedup in args.speedups:
        label = "as profiled" if speedup == 1 else f"{speedup:g}× faster"
        for nodes in args.nodes:
            for gbits in args.gbits:
                r = project(summary, profile, nodes, gbits, args.eta, args.alpha_us, args.bucket_mb * 1e6, speedup)
                print(f"| {label} | {nodes} | {gbits:g} Gbit/s | {2 * (nodes - 1) / nodes * total / 1e6:.0f} | {r['reduce_ms']:.0f} "
                      f"| {r['exposed_ms']:.0f} | {r['step_ms']:.0f} | {r['images_per_sec']:.0f} | {r['efficiency']:.0%} |")
    print()
    print(formula(total, args.nodes, args.eta, args.eta_note, args.alpha_us, args.bucket_mb, profile["batch"]))


if __name__ == "__main__":
    main()
