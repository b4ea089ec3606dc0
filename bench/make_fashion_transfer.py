#!/usr/bin/python3
"""Writes the two Fashion-MNIST tasks of bench/transfer.sh as IDX folders with a classes.txt each:

  OUT/source  classes 0-4 (T-shirt/top ... Coat): all their training and test images, labels 0-4
  OUT/target-N  classes 5-9 (Sandal ... Ankle boot): N training images of each (drawn by a seeded shuffle, the
                same draw for every N), all their test images; relabelled 0-4

Usage: make_fashion_transfer.py OUT N [N ...]
"""
import gzip
import os
import struct
import sys

import numpy as np

SOURCE = "/usr/share/datasets/fashion-mnist"
NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def read_idx(name):
    path = os.path.join(SOURCE, name + ".gz")
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def write_idx(path, array):
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(">" + "I" * array.ndim, *array.shape)
    with gzip.open(path, "wb", compresslevel=1) as f:
        f.write(header + np.ascontiguousarray(array, dtype=np.uint8).tobytes())


def write_task(folder, classes, train, test, per_class, seed):
    os.makedirs(folder, exist_ok=True)
    for split, (images, labels) in (("train", train), ("t10k", test)):
        keep = np.isin(labels, classes)
        index = np.flatnonzero(keep)
        if split == "train" and per_class is not None:
            rng = np.random.default_rng(seed)
            chosen = [rng.permutation(index[labels[index] == c])[:per_class] for c in classes]
            index = np.sort(np.concatenate(chosen))
        relabelled = np.searchsorted(classes, labels[index]).astype(np.uint8)
        write_idx(os.path.join(folder, f"{split}-images-idx3-ubyte.gz"), images[index])
        write_idx(os.path.join(folder, f"{split}-labels-idx1-ubyte.gz"), relabelled)
    with open(os.path.join(folder, "classes.txt"), "w") as f:
        f.write("".join(NAMES[c] + "\n" for c in classes))


def main():
    out = sys.argv[1]
    train = (read_idx("train-images-idx3-ubyte"), read_idx("train-labels-idx1-ubyte"))
    test = (read_idx("t10k-images-idx3-ubyte"), read_idx("t10k-labels-idx1-ubyte"))
    write_task(os.path.join(out, "source"), np.arange(0, 5), train, test, None, 1)
    for per_class in (int(n) for n in sys.argv[2:] or ["50"]):
        write_task(os.path.join(out, f"target-{per_class}"), np.arange(5, 10), train, test, per_class, 1)


if __name__ == "__main__":
    main()
