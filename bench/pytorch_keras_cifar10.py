"""PyTorch twin of `alexnet train --arch keras-cifar10` on Fashion-MNIST resized to 32x32.

The same network (bench/keras_cifar10_torch.py, proven equal to ours by tests/make_batchnorm_fixtures.py),
Keras's initialization and the same recipe as the C# command line: SGD with momentum (or Adam), batch 128
keeping the last partial batch, 10% of the training images held out for validation, the image-generator
augmentation (rotation within +-ROTATE degrees, independent x/y zoom in [1 - ZOOM, 1 + ZOOM], edge pixels
repeated, horizontal flip with p = 0.5: the same geometry as the C# RandomAffine, done with affine_grid /
grid_sample), ReduceLROnPlateau on validation top-1 or loss with PyTorch's relative threshold 1e-4 (as ours),
early stopping on the same figure, and the test set evaluated once, after the last epoch (as the script evaluates
ours). Threads: one per CPU this process may run on (as ours), so that PyTorch does not oversubscribe a CPU set
narrower than the machine.

Images are resized 28 -> 32 with PIL's bilinear resize (what torchvision's Resize(32) and our loader do) and
normalized with the training split's mean and standard deviation.

Run:
    /usr/bin/python3 bench/pytorch_keras_cifar10.py [--epochs 3] [--batch-size 128] [--lr 0.01]
        [--optimizer sgd|adam] [--momentum 0.9] [--weight-decay 0] [--rotate 2] [--zoom 0.1] [--no-flip]
        [--plateau-factor 0.01] [--plateau-monitor val_top1|val_loss] [--patience 2] [--min-lr 1e-5]
        [--early-stop 3] [--seed 1] [--threads N] [--data /usr/share/datasets/fashion-mnist]
        [--limit-train N] [--limit-test N] [--json]
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from keras_cifar10_torch import keras_cifar10, keras_initialize  # noqa: E402
from pytorch_mini import read_idx  # noqa: E402

SIZE = 32


def resized(images):
    """uint8 (N, 28, 28) -> float32 (N, 32, 32) on the 0..1 scale, PIL bilinear (antialiased) like our loader."""
    out = np.empty((images.shape[0], SIZE, SIZE), dtype=np.float32)
    for i, image in enumerate(images):
        out[i] = np.asarray(Image.fromarray(image).resize((SIZE, SIZE), Image.BILINEAR), dtype=np.float32)
    return out / 255.0


def augment(x, rotate, zoom, flip, generator):
    """Rotation, zoom and flip of a batch (N, 1, H, W), edge pixels repeated: our RandomAffine's geometry."""
    n = x.shape[0]
    if rotate > 0 or zoom > 0:
        theta = (torch.rand(n, generator=generator) * 2 - 1) * rotate * math.pi / 180
        zx = 1 + (torch.rand(n, generator=generator) * 2 - 1) * zoom
        zy = 1 + (torch.rand(n, generator=generator) * 2 - 1) * zoom
        cos, sin = torch.cos(theta), torch.sin(theta)
        matrix = torch.stack([torch.stack([cos * zx, -sin * zy, torch.zeros(n)], 1),
                              torch.stack([sin * zx, cos * zy, torch.zeros(n)], 1)], 1)
        grid = F.affine_grid(matrix, list(x.shape), align_corners=True)
        x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=True)
    if flip:
        mirror = torch.rand(n, generator=generator) < 0.5
        x = torch.where(mirror[:, None, None, None], x.flip(3), x)
    return x


def evaluate(model, crit, x, y, batch_size=500):
    model.eval()
    loss_sum, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, x.shape[0], batch_size):
            out = model(x[i:i + batch_size])
            loss_sum += crit(out, y[i:i + batch_size]).item() * out.shape[0]
            correct += (out.argmax(1) == y[i:i + batch_size]).sum().item()
    return loss_sum / x.shape[0], correct / x.shape[0]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--rotate", type=float, default=2.0)
    p.add_argument("--zoom", type=float, default=0.1)
    p.add_argument("--no-flip", action="store_true")
    p.add_argument("--plateau-factor", type=float, default=0.01)
    p.add_argument("--plateau-monitor", choices=["val_top1", "val_loss"], default="val_top1")
    p.add_argument("--patience", type=int, default=2)
    p.add_argument("--min-lr", type=float, default=1e-5)
    p.add_argument("--early-stop", type=int, default=3)
    p.add_argument("--val-split", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--limit-train", type=int, default=None, help="use only the first N training images (smoke tests)")
    p.add_argument("--limit-test", type=int, default=None, help="test only the first N test images (smoke tests)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    started = time.perf_counter()

    images = read_idx(args.data, "train-images-idx3-ubyte")
    labels = read_idx(args.data, "train-labels-idx1-ubyte").astype(np.int64)
    if args.limit_train is not None:
        images, labels = images[:args.limit_train], labels[:args.limit_train]
    order = np.random.RandomState(args.seed).permutation(len(labels))
    held = int(round(len(labels) * args.val_split))
    train_idx, val_idx = np.sort(order[held:]), np.sort(order[:held])
    pixels = resized(images)
    test_pixels = resized(read_idx(args.data, "t10k-images-idx3-ubyte")[:args.limit_test])
    test_labels = read_idx(args.data, "t10k-labels-idx1-ubyte").astype(np.int64)[:args.limit_test]
    mean, std = float(pixels[train_idx].mean()), float(pixels[train_idx].std())

    def tensor(a):
        return torch.from_numpy(np.ascontiguousarray((a - mean) / std)).reshape(-1, 1, SIZE, SIZE)

    x_train, y_train = tensor(pixels[train_idx]), torch.from_numpy(labels[train_idx])
    x_val, y_val = tensor(pixels[val_idx]), torch.from_numpy(labels[val_idx])
    x_test, y_test = tensor(test_pixels), torch.from_numpy(test_labels)

    model = keras_initialize(keras_cifar10(classes=10, channels=1, size=SIZE))
    crit = nn.CrossEntropyLoss()
    if args.optimizer == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum, weight_decay=args.weight_decay)
    maximize = args.plateau_monitor == "val_top1"
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(
        opt, mode="max" if maximize else "min", factor=args.plateau_factor, patience=args.patience,
        threshold=1e-4, min_lr=args.min_lr)

    epochs, best, bad = [], None, 0
    for epoch in range(1, args.epochs + 1):
        if args.early_stop > 0 and bad >= args.early_stop:
            break
        generator = torch.Generator().manual_seed(args.seed * 1000 + epoch)
        model.train()
        perm = torch.randperm(x_train.shape[0], generator=generator)
        loss_sum, correct, t0 = 0.0, 0, time.perf_counter()
        for i in range(0, x_train.shape[0], args.batch_size):
            idx = perm[i:i + args.batch_size]
            xb = augment(x_train[idx], args.rotate, args.zoom, not args.no_flip, generator)
            opt.zero_grad()
            out = model(xb)
            loss = crit(out, y_train[idx])
            loss.backward()
            opt.step()
            loss_sum += loss.item() * idx.numel()
            correct += (out.argmax(1) == y_train[idx]).sum().item()
        seconds = time.perf_counter() - t0  # training only, as our metrics' seconds
        val_loss, val_top1 = evaluate(model, crit, x_val, y_val)
        lr = opt.param_groups[0]["lr"]
        monitored = val_top1 if maximize else val_loss
        scheduler.step(monitored)
        improved = best is None or (monitored > best if maximize else monitored < best)
        best, bad = (monitored, 0) if improved else (best, bad + 1)
        record = {"epoch": epoch, "lr": lr, "train_loss": loss_sum / x_train.shape[0], "train_top1": correct / x_train.shape[0],
                  "val_loss": val_loss, "val_top1": val_top1, "seconds": seconds, "images_per_sec": x_train.shape[0] / seconds}
        epochs.append(record)
        if not args.json:
            print(" ".join("%s %s" % (k, ("%.4f" % v) if isinstance(v, float) else v) for k, v in record.items()), flush=True)

    test_loss, test_top1 = evaluate(model, crit, x_test, y_test)
    if not args.json:
        print("test loss %.4f top-1 %.4f" % (test_loss, test_top1), flush=True)
    if args.json:
        print(json.dumps({
            "framework": "PyTorch " + torch.__version__.split("+")[0],
            "threads": args.threads,
            "train_images": int(x_train.shape[0]),
            "epochs": epochs,
            "final_test_loss": test_loss,
            "final_test_top1": test_top1,
            "wall_seconds": time.perf_counter() - started,
        }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
