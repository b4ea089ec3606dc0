"""PyTorch twin of the C# `mini` AlexNet, trained on Fashion-MNIST.

Trains the same network with the same recipe as the C# library (SGD with
momentum and weight decay, constant or step learning rate, mean cross-entropy,
per-epoch reshuffling, batch 128 keeping the last partial batch) so that
accuracy and wall time can be compared. After every epoch the model is
evaluated on the 10,000 test images.

Run:
    /usr/bin/python3 bench/pytorch_mini.py [--epochs 10] [--batch-size 128]
        [--lr 0.01] [--momentum 0.9] [--weight-decay 5e-4] [--seed 1]
        [--schedule constant|step] [--step-size 30] [--gamma 0.1]
        [--threads N] [--data /usr/share/datasets/fashion-mnist]
        [--limit-train N] [--eval-batch-size 1000] [--json]

The IDX files are read directly (gzip-compressed or plain), so only torch and
numpy are needed (the Debian packages python3-torch and dataset-fashion-mnist).
"""

import argparse
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn

MEAN = 0.2860
STD = 0.3530


# --------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------

def open_idx(folder, name):
    for candidate in (name + ".gz", name):
        path = os.path.join(folder, candidate)
        if os.path.exists(path):
            if candidate.endswith(".gz"):
                with gzip.open(path, "rb") as f:
                    return f.read()
            with open(path, "rb") as f:
                return f.read()
    raise FileNotFoundError("neither %s nor %s.gz in %s" % (name, name, folder))


def read_idx(folder, name):
    raw = open_idx(folder, name)
    zero, dtype_code, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError("%s: not an unsigned-byte IDX file" % name)
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(dims)):
        raise ValueError("%s: expected %d bytes of data, found %d"
                         % (name, int(np.prod(dims)), data.size))
    return data.reshape(dims)


def load_split(folder, images_name, labels_name):
    images = read_idx(folder, images_name).astype(np.float32) / 255.0
    images = (images - MEAN) / STD
    labels = read_idx(folder, labels_name).astype(np.int64)
    x = torch.from_numpy(np.ascontiguousarray(images)).reshape(-1, 1, 28, 28)
    y = torch.from_numpy(labels)
    return x, y


# --------------------------------------------------------------------------
# model
# --------------------------------------------------------------------------

def mini_alexnet():
    model = nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(),
        nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0), nn.MaxPool2d(3, 2),   # 28 -> 13
        nn.Conv2d(32, 64, 5, padding=2, groups=2), nn.ReLU(),
        nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0), nn.MaxPool2d(3, 2),   # 13 -> 6
        nn.Conv2d(64, 96, 3, padding=1), nn.ReLU(),
        nn.Conv2d(96, 96, 3, padding=1, groups=2), nn.ReLU(),
        nn.Conv2d(96, 64, 3, padding=1, groups=2), nn.ReLU(),
        nn.MaxPool2d(3, 2), nn.Flatten(),                                            # 6 -> 2, 256
        nn.Linear(256, 512), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(512, 512), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(512, 10),
    )
    layers = [m for m in model if isinstance(m, (nn.Conv2d, nn.Linear))]
    for m in layers[:-1]:
        nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
        nn.init.zeros_(m.bias)
    nn.init.normal_(layers[-1].weight, 0.0, 0.01)
    nn.init.zeros_(layers[-1].bias)
    return model


# --------------------------------------------------------------------------
# training
# --------------------------------------------------------------------------

def train_epoch(model, opt, crit, x, y, batch_size, generator):
    model.train()
    n = x.shape[0]
    perm = torch.randperm(n, generator=generator)
    loss_sum = 0.0
    correct = 0
    start = time.perf_counter()
    for i in range(0, n, batch_size):
        idx = perm[i:i + batch_size]
        xb, yb = x[idx], y[idx]
        opt.zero_grad()
        out = model(xb)
        loss = crit(out, yb)
        loss.backward()
        opt.step()
        loss_sum += loss.item() * idx.numel()
        correct += (out.argmax(1) == yb).sum().item()
    seconds = time.perf_counter() - start
    return loss_sum / n, correct / n, seconds


def evaluate(model, crit, x, y, batch_size=1000):
    model.eval()
    loss_sum = 0.0
    correct = 0
    with torch.no_grad():
        for i in range(0, x.shape[0], batch_size):
            xb, yb = x[i:i + batch_size], y[i:i + batch_size]
            out = model(xb)
            loss_sum += crit(out, yb).item() * yb.numel()
            correct += (out.argmax(1) == yb).sum().item()
    n = x.shape[0]
    return loss_sum / n, correct / n


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--weight-decay", type=float, default=5e-4)
    p.add_argument("--eval-batch-size", type=int, default=1000,
                   help="batch size for the test-set evaluation (not timed)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--schedule", choices=["constant", "step"], default="constant",
                   help="learning-rate schedule; step multiplies by --gamma every --step-size epochs")
    p.add_argument("--step-size", type=int, default=30)
    p.add_argument("--gamma", type=float, default=0.1)
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                   help="torch intra-op threads (default: all cores)")
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--limit-train", type=int, default=None,
                   help="use only the first N training images (smoke tests)")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object at the end instead of per-epoch lines")
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    x_train, y_train = load_split(args.data, "train-images-idx3-ubyte", "train-labels-idx1-ubyte")
    x_test, y_test = load_split(args.data, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
    if args.limit_train is not None:
        x_train, y_train = x_train[:args.limit_train], y_train[:args.limit_train]

    model = mini_alexnet()
    crit = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum,
                          weight_decay=args.weight_decay)
    scheduler = (torch.optim.lr_scheduler.StepLR(opt, args.step_size, args.gamma)
                 if args.schedule == "step" else None)

    epochs = []
    for epoch in range(1, args.epochs + 1):
        gen = torch.Generator().manual_seed(args.seed + epoch)
        train_loss, train_top1, seconds = train_epoch(
            model, opt, crit, x_train, y_train, args.batch_size, gen)
        if scheduler is not None:
            scheduler.step()
        test_loss, test_top1 = evaluate(model, crit, x_test, y_test, args.eval_batch_size)
        rec = {
            "epoch": epoch,
            "train_loss": train_loss,
            "train_top1": train_top1,
            "test_loss": test_loss,
            "test_top1": test_top1,
            "seconds": seconds,
            "images_per_sec": x_train.shape[0] / seconds,
        }
        epochs.append(rec)
        if not args.json:
            print("epoch %d train_loss %.4f train_top1 %.4f test_loss %.4f test_top1 %.4f "
                  "seconds %.2f images_per_sec %.1f"
                  % (epoch, train_loss, train_top1, test_loss, test_top1, seconds,
                     rec["images_per_sec"]), flush=True)

    if args.json:
        print(json.dumps({
            "framework": "pytorch " + str(torch.__version__),
            "threads": args.threads,
            "epochs": epochs,
            "final_test_top1": epochs[-1]["test_top1"] if epochs else None,
            "total_train_seconds": sum(e["seconds"] for e in epochs),
        }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
