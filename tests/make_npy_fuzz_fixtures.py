"""Generate the damaged bvlc_alexnet.npy files of the importer's regression tests (tests/AlexNet.Interop.Tests).

Each is a small dict of layer weights in the TensorFlow port's layout (see tests/make_npy_fixtures.py), numpy.save'd,
with one thing wrong that once ended in an exception other than the importer's own error, or was read once per
key that names it:

What it writes (tests/AlexNet.Interop.Tests/Fixtures/npy_fuzz/)
    shape_not_numbers.npy   a header whose 'shape' holds text, not sizes (found by the fuzzer: a FormatException)
    shared_data.npy         conv4's weights are conv3's very array, which the pickle stores once and names twice
    conv5_no_channels.npy   conv5 has 0 output channels (fc6's reordering divided by them)
    no_classes.npy          fc8 has 0 outputs: a configuration of 0 classes, refused without the file's name

How to run
    /usr/bin/python3 tests/make_npy_fuzz_fixtures.py     (Debian's python3-numpy)
"""

import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "AlexNet.Interop.Tests", "Fixtures", "npy_fuzz")
WIDTHS = (4, 4, 4, 4, 4)
HIDDEN, CLASSES = 8, 3
GROUPS = {"conv1": 1, "conv2": 2, "conv3": 1, "conv4": 2, "conv5": 2}


def layers(conv5=WIDTHS[4], classes=CLASSES):
    """Tiny AlexNet weights in TensorFlow's layouts: kernels (h, w, in/groups, out), fully connected (in, out)."""
    rng = np.random.default_rng(14)
    result, channels = {}, 3
    for i, name in enumerate(["conv1", "conv2", "conv3", "conv4", "conv5"]):
        out = conv5 if name == "conv5" else WIDTHS[i]
        k = 11 if i == 0 else 5 if i == 1 else 3
        result[name] = [rng.normal(0, 0.1, (k, k, channels // GROUPS[name], out)).astype(np.float32), np.zeros(out, np.float32)]
        channels = out
    for name, (n_in, n_out) in zip(["fc6", "fc7", "fc8"], [(6 * 6 * conv5, HIDDEN), (HIDDEN, HIDDEN), (HIDDEN, classes)]):
        result[name] = [rng.normal(0, 0.1, (n_in, n_out)).astype(np.float32), np.zeros(n_out, np.float32)]
    return result


def object_array(value):
    array = np.empty((), dtype=object)
    array[()] = value
    return array


def save(name, value):
    path = os.path.join(OUT, name)
    np.save(path, object_array(value), allow_pickle=True)
    return path


def main():
    os.makedirs(OUT, exist_ok=True)
    path = save("shape_not_numbers.npy", layers())
    with open(path, "rb") as f:
        data = bytearray(f.read())
    header_end = 10 + struct.unpack("<H", data[8:10])[0]
    header = data[10:header_end].decode("latin1")
    assert "'shape': ()" in header
    damaged = header.replace("'shape': ()", "'shape': (x,)").rstrip("\n").rstrip(" ").ljust(len(header) - 1) + "\n"
    data[10:header_end] = damaged.encode("latin1")
    assert len(damaged) == len(header)
    with open(path, "wb") as f:
        f.write(bytes(data))

    shared = layers()
    shared["conv4"][0] = shared["conv3"][0]
    save("shared_data.npy", shared)
    save("conv5_no_channels.npy", layers(conv5=0))
    save("no_classes.npy", layers(classes=0))
    for name in sorted(os.listdir(OUT)):
        print(name, os.path.getsize(os.path.join(OUT, name)), "bytes")


if __name__ == "__main__":
    main()
