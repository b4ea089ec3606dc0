#!/usr/bin/python3
"""Multinomial logistic regression on extracted features (alexnet features ... --out NAME.npy), in numpy.

Usage: logistic_regression.py TRAIN.npy TEST.npy [L2] [ITERATIONS]
Labels come from the companion lists (NAME.images.csv). Features are standardized with the training set's
mean and deviation; the weights are fitted by full-batch gradient descent with momentum on the mean
cross-entropy plus L2 * |W|^2 / 2. Prints one JSON line: {"train_top1": ..., "test_top1": ..., "count": ...}.
"""
import csv
import json
import sys

import numpy as np


def load(path):
    x = np.load(path).astype(np.float64)
    with open(path[: -len(".npy")] + ".images.csv") as f:
        y = np.array([int(row["label"]) for row in csv.DictReader(f)])
    return x, y


def main():
    (x, y), (xt, yt) = load(sys.argv[1]), load(sys.argv[2])
    l2 = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-3
    iterations = int(sys.argv[4]) if len(sys.argv) > 4 else 2000
    mean, std = x.mean(0), x.std(0) + 1e-6
    x, xt = (x - mean) / std, (xt - mean) / std
    classes = int(max(y.max(), yt.max())) + 1
    onehot = np.eye(classes)[y]
    w, b = np.zeros((x.shape[1], classes)), np.zeros(classes)
    vw, vb = np.zeros_like(w), np.zeros_like(b)
    for _ in range(iterations):
        logits = x @ w + b
        p = np.exp(logits - logits.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        g = (p - onehot) / len(y)
        vw = 0.9 * vw + x.T @ g + l2 * w
        vb = 0.9 * vb + g.sum(0)
        w -= 0.1 * vw
        b -= 0.1 * vb
    top1 = lambda a, labels: float(((a @ w + b).argmax(1) == labels).mean())
    print(json.dumps({"train_top1": top1(x, y), "test_top1": top1(xt, yt), "count": int(len(yt))}))


if __name__ == "__main__":
    main()
