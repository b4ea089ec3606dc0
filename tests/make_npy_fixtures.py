"""Generate the fixtures of the bvlc_alexnet.npy import tests (tests/AlexNet.Interop.Tests).

What it writes (tests/AlexNet.Interop.Tests/Fixtures/)
    bvlc_reduced.npy           Caffe's AlexNet at reduced widths (16/32/48/48/32, 64 hidden, 20 classes, 227 input)
                               stored the way the TensorFlow port's bvlc_alexnet.npy is: a 0-d object array
                               holding a dict conv1 ... fc8 -> [weights, biases] in TensorFlow layouts
                               (kernels (h, w, in/groups, out), fc (in, out), fc6's inputs flattened (h, w, c)),
                               pickled with protocol 2 as Python 2 writes it (byte strings as BINSTRING)
    bvlc_reduced_np_save.npy   the same dict written by numpy.save (protocol 3, as a re-saved file is)
    bvlc_reduced_classes.txt   20 class names
    bvlc_reduced_io.safetensors  every weight in Caffe's layouts under our names (conv1.weight (out, in, h, w),
                               fc6.weight (out, c*h*w) ...), converted here with numpy transposes, and for a photo
                               fed the seed's recipe (both sides resized to 227 with PIL's bilinear filter,
                               BGR, minus the mean (104, 117, 124) on 0..255) the logits of a forward pass
                               computed in numpy in TensorFlow's layouts (NHWC, grouped convolutions split along
                               channels, LRN depth_radius 2, alpha 2e-5, beta 0.75, bias 1)
    evil_object.npy            an object .npy whose pickle calls os.system (never executed by us)

How to run
    /usr/bin/python3 tests/make_npy_fixtures.py     (Debian's python3-numpy, python3-pil)
"""

import io
import json
import os
import pickle
import struct

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "AlexNet.Interop.Tests", "Fixtures")
PHOTO = os.path.join(HERE, "AlexNet.Imaging.Tests", "Fixtures", "chelsea_422.jpg")
MEAN_BGR = np.array([104.0, 117.0, 124.0], dtype=np.float32)
WIDTHS = (16, 32, 48, 48, 32)
HIDDEN, CLASSES, SIZE = 64, 20, 227
GROUPS = {"conv1": 1, "conv2": 2, "conv3": 1, "conv4": 2, "conv5": 2}


def known_weights(rng):
    """Weights in TensorFlow's layouts, scaled so that activations neither vanish nor explode."""
    layers, channels = {}, 3
    for i, (name, out) in enumerate(zip(["conv1", "conv2", "conv3", "conv4", "conv5"], WIDTHS)):
        k = 11 if i == 0 else 5 if i == 1 else 3
        fan_in = k * k * channels // GROUPS[name]
        w = rng.normal(0, np.sqrt(2.0 / fan_in) / (60.0 if i == 0 else 1.0), (k, k, channels // GROUPS[name], out))
        layers[name] = [w.astype(np.float32), rng.normal(0, 0.1, out).astype(np.float32)]
        channels = out
    for name, (n_in, n_out) in zip(["fc6", "fc7", "fc8"], [(6 * 6 * WIDTHS[4], HIDDEN), (HIDDEN, HIDDEN), (HIDDEN, CLASSES)]):
        w = rng.normal(0, np.sqrt(2.0 / n_in), (n_in, n_out))
        layers[name] = [w.astype(np.float32), rng.normal(0, 0.1, n_out).astype(np.float32)]
    return layers


# ------------------------------------------------------------------------------------------------------
# numpy forward pass in TensorFlow's layouts (NHWC), as the TensorFlow port computes it
# ------------------------------------------------------------------------------------------------------
def conv(x, w, b, stride, pad, groups):
    x = np.pad(x, ((pad, pad), (pad, pad), (0, 0)))
    k = w.shape[0]
    outputs = []
    for xs, ws in zip(np.split(x, groups, axis=2), np.split(w, groups, axis=3)):
        patches = sliding_window_view(xs, (k, k), axis=(0, 1))[::stride, ::stride]  # (P, Q, C, k, k)
        outputs.append(np.einsum("pqcyx,yxco->pqo", patches, ws, optimize=True))
    return np.concatenate(outputs, axis=2) + b


def relu(x):
    return np.maximum(x, 0)


def lrn(x, radius=2, alpha=2e-5, beta=0.75, bias=1.0):
    squared = np.pad(x * x, ((0, 0), (0, 0), (radius, radius)))
    total = sum(squared[:, :, i:i + x.shape[2]] for i in range(2 * radius + 1))
    return x / (bias + alpha * total) ** beta


def max_pool(x):
    return sliding_window_view(x, (3, 3), axis=(0, 1))[::2, ::2].max(axis=(3, 4))


def forward(layers, image):
    x = image.astype(np.float64)
    W = {k: [a.astype(np.float64) for a in v] for k, v in layers.items()}
    x = max_pool(lrn(relu(conv(x, *W["conv1"], 4, 0, 1))))
    x = max_pool(lrn(relu(conv(x, *W["conv2"], 1, 2, 2))))
    x = relu(conv(x, *W["conv3"], 1, 1, 1))
    x = relu(conv(x, *W["conv4"], 1, 1, 2))
    x = max_pool(relu(conv(x, *W["conv5"], 1, 1, 2)))
    x = x.reshape(-1)  # (h, w, c) order
    x = relu(x @ W["fc6"][0] + W["fc6"][1])
    x = relu(x @ W["fc7"][0] + W["fc7"][1])
    return x @ W["fc8"][0] + W["fc8"][1]


def seed_recipe(path):
    image = Image.open(path).convert("RGB").resize((SIZE, SIZE), Image.BILINEAR)
    return np.asarray(image, dtype=np.float32)[:, :, ::-1] - MEAN_BGR


def caffe_layouts(layers):
    """Our names and Caffe's layouts, by numpy transposes."""
    tensors = {}
    for name, (w, b) in layers.items():
        if name.startswith("conv"):
            tensors[name + ".weight"] = w.transpose(3, 2, 0, 1)
        elif name == "fc6":
            c = WIDTHS[4]
            tensors[name + ".weight"] = w.reshape(6, 6, c, -1).transpose(3, 2, 0, 1).reshape(w.shape[1], -1)
        else:
            tensors[name + ".weight"] = w.T
        tensors[name + ".bias"] = b
    return tensors


# ------------------------------------------------------------------------------------------------------
# writers
# ------------------------------------------------------------------------------------------------------
def npy_header(descr, shape):
    text = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, repr(tuple(shape)))
    length = (10 + len(text) + 1 + 63) // 64 * 64 - 10
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", length) + (text.ljust(length - 1) + "\n").encode("latin1")


class Python2Pickler(pickle._Pickler):
    """Protocol 2 with every bytes and str written as a Python 2 str (BINSTRING), as Python 2.7 pickled them."""

    def save_py2_string(self, obj):
        data = obj if isinstance(obj, bytes) else obj.encode("latin1")
        if len(data) < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([len(data)]) + data)
        else:
            self.write(pickle.BINSTRING + struct.pack("<i", len(data)) + data)
        self.memoize(obj)

    dispatch = dict(pickle._Pickler.dispatch)
    dispatch[bytes] = save_py2_string
    dispatch[str] = save_py2_string


def object_array(value):
    array = np.empty((), dtype=object)
    array[()] = value
    return array


def write_python2_npy(path, value):
    buffer = io.BytesIO()
    Python2Pickler(buffer, protocol=2).dump(object_array(value))
    with open(path, "wb") as f:
        f.write(npy_header("|O", ()) + buffer.getvalue())


def write_safetensors(path, tensors, metadata):
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for key, t in tensors.items():
        data = np.ascontiguousarray(t, dtype=np.float32).tobytes()
        header[key] = {"dtype": "F32", "shape": list(np.shape(t)), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * ((-len(raw)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))


class Evil:
    def __reduce__(self):
        return (os.system, ("echo owned > /tmp/alexnet-npy-owned",))


def main():
    layers = known_weights(np.random.default_rng(2012))
    write_python2_npy(os.path.join(OUT, "bvlc_reduced.npy"), layers)
    np.save(os.path.join(OUT, "bvlc_reduced_np_save.npy"), object_array(layers), allow_pickle=True)
    with open(os.path.join(OUT, "bvlc_reduced_classes.txt"), "w") as f:
        f.write("".join(f"class {i:02d}\n" for i in range(CLASSES)))
    logits = forward(layers, seed_recipe(PHOTO))
    order = np.argsort(-logits)
    print("top-6 logits", logits[order[:6]], "top5", order[:5])
    assert logits[order[4]] - logits[order[5]] > 1e-3 * abs(logits[order[4]]), "top-5 boundary too close to compare"
    tensors = caffe_layouts(layers)
    tensors["chelsea_logits"] = logits.astype(np.float32)
    write_safetensors(os.path.join(OUT, "bvlc_reduced_io.safetensors"), tensors, {"generator": "tests/make_npy_fixtures.py"})
    with open(os.path.join(OUT, "evil_object.npy"), "wb") as f:
        f.write(npy_header("|O", ()) + pickle.dumps(object_array({"conv1": Evil()}), protocol=2))
    for name in ["bvlc_reduced.npy", "bvlc_reduced_np_save.npy", "bvlc_reduced_io.safetensors", "evil_object.npy"]:
        print(name, os.path.getsize(os.path.join(OUT, name)), "bytes")


if __name__ == "__main__":
    main()
