#!/usr/bin/python3
"""PyTorch's side of bench/speed.sh: the same timing as `alexnet bench --json`, on Debian's PyTorch 1.13.

Usage: /usr/bin/python3 bench/pytorch_bench.py [--arch paper|torchvision|mini] [--batch 64] [--steps 5]
           [--warmup 1] [--threads N] [--seed 1]
  paper        Krizhevsky 2012: 96/256/384/384/256, groups 2 on conv2/4/5, LRN(5, 1e-4, 0.75, k=2) after
               ReLU of conv1/conv2, 227x227 input, 1000 classes
  torchvision  torchvision.models.alexnet(), 224x224 input, 1000 classes
  mini         the small AlexNet of bench/pytorch_mini.py, 1x28x28 input, 10 classes
Inference: eval mode under no_grad. Training: zero_grad, forward, cross-entropy, backward, SGD step (lr 0.01,
momentum 0.9, weight decay 5e-4). Each is timed over --steps batches after --warmup untimed ones, on one
seeded N(0, 1) batch. Prints one JSON object; peak_memory_bytes is the process's peak resident set
(ru_maxrss), the figure `alexnet bench` reads from VmHWM.
"""
import argparse
import json
import os
import resource
import time

import torch
import torch.nn as nn


def lrn():
    return nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0)


def alexnet_stack(in_channels, widths, conv1, features, hidden, classes):
    """The paper's layer stack (our AlexNetStack): conv1 (kernel, stride, padding) as given, LRN after the first two
    ReLUs, groups of 2 on conv2/4/5, `features` inputs to the first of three fully connected layers."""
    c1, c2, c3, c4, c5 = widths
    kernel, stride, padding = conv1
    return nn.Sequential(
        nn.Conv2d(in_channels, c1, kernel, stride=stride, padding=padding), nn.ReLU(inplace=True), lrn(), nn.MaxPool2d(3, 2),
        nn.Conv2d(c1, c2, 5, padding=2, groups=2), nn.ReLU(inplace=True), lrn(), nn.MaxPool2d(3, 2),
        nn.Conv2d(c2, c3, 3, padding=1), nn.ReLU(inplace=True),
        nn.Conv2d(c3, c4, 3, padding=1, groups=2), nn.ReLU(inplace=True),
        nn.Conv2d(c4, c5, 3, padding=1, groups=2), nn.ReLU(inplace=True),
        nn.MaxPool2d(3, 2), nn.Flatten(),
        nn.Linear(features, hidden), nn.ReLU(inplace=True), nn.Dropout(0.5),
        nn.Linear(hidden, hidden), nn.ReLU(inplace=True), nn.Dropout(0.5),
        nn.Linear(hidden, classes))


def paper_alexnet():
    return alexnet_stack(3, (96, 256, 384, 384, 256), (11, 4, 0), 256 * 6 * 6, 4096, 1000)


def mini_alexnet():
    return alexnet_stack(1, (32, 64, 96, 96, 64), (5, 1, 2), 256, 512, 10)


def build(arch):
    """(model, input shape per sample, classes)"""
    if arch == "paper":
        return paper_alexnet(), (3, 227, 227), 1000
    if arch == "torchvision":
        import torchvision
        return torchvision.models.alexnet(), (3, 224, 224), 1000
    if arch == "mini":
        return mini_alexnet(), (1, 28, 28), 10
    raise SystemExit(f"unknown architecture {arch!r}: use paper, torchvision or mini")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", default="paper")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.batch < 1 or args.steps < 1 or args.warmup < 0:
        raise SystemExit("--batch and --steps must be at least 1, --warmup at least 0")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model, shape, classes = build(args.arch)
    x = torch.randn(args.batch, *shape)
    y = torch.randint(0, classes, (args.batch,))

    model.eval()
    with torch.no_grad():
        for _ in range(args.warmup):
            model(x)
        start = time.perf_counter()
        for _ in range(args.steps):
            model(x)
        infer_seconds = time.perf_counter() - start

    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

    for _ in range(args.warmup):
        step()
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    train_seconds = time.perf_counter() - start

    print(json.dumps({
        "arch": args.arch,
        "backend": f"pytorch {torch.__version__}",
        "batch": args.batch,
        "threads": torch.get_num_threads(),
        "steps": args.steps,
        "warmup": args.warmup,
        "train_images_per_sec": args.batch * args.steps / train_seconds,
        "infer_images_per_sec": args.batch * args.steps / infer_seconds,
        "peak_memory_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))


if __name__ == "__main__":
    main()
