"""Generate PyTorch reference fixtures for the C# AlexNet parity tests.

What it writes
    Small safetensors files in tests/AlexNet.Tests/Fixtures/Parity/, one per
    layer configuration (grouped/strided convolutions, local response
    normalisation, max pooling, adaptive average pooling, linear, ReLU,
    cross-entropy) plus ``paper_reduced.safetensors``: a reduced-width copy of
    the 2012 AlexNet layout with its weights, logits, loss, parameter
    gradients and the losses of 5 SGD / Nesterov / Adam steps.

    Every layer fixture holds the input ``x``, the output ``y``, a random
    upstream gradient ``dy`` and the gradients ``dx`` (and ``dweight`` /
    ``dbias`` together with ``weight`` / ``bias`` where the layer has
    parameters) obtained with ``y.backward(dy)``. Layer settings are stored
    as strings in the safetensors ``__metadata__`` block.

Why
    The C# layers are checked against PyTorch numerically (forward, backward
    and optimizer updates) without needing Python at test time.

How to run
    /usr/bin/python3 tests/make_parity_fixtures.py

    Output is deterministic (fixed seeds, single thread, deterministic
    algorithms): re-running produces byte-identical files. The safetensors
    format is written by hand here, so only torch (and the standard library)
    is needed.
"""

import collections
import copy
import json
import os
import struct
import sys

import torch
import torch.nn as nn

GENERATOR = "tests/make_parity_fixtures.py"
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "AlexNet.Tests", "Fixtures", "Parity")


# --------------------------------------------------------------------------
# safetensors writer
# --------------------------------------------------------------------------

def write_safetensors(path, tensors, metadata):
    """Write ``tensors`` (ordered name -> tensor) as F32 safetensors.

    Layout: u64 little-endian header length, UTF-8 JSON header padded with
    spaces to a multiple of 8 bytes, then the raw little-endian float32 data
    in the order of the data offsets.
    """
    meta = {"generator": GENERATOR, "torch": str(torch.__version__)}
    meta.update({str(k): str(v) for k, v in metadata.items()})

    header = collections.OrderedDict()
    header["__metadata__"] = meta
    blobs = []
    offset = 0
    for name, t in tensors.items():
        t = t.detach().to(torch.float32).contiguous().cpu()
        data = t.numpy().astype("<f4").tobytes()
        header[name] = {
            "dtype": "F32",
            "shape": list(t.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        blobs.append(data)
        offset += len(data)

    hdr = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    hdr += b" " * ((-len(hdr)) % 8)

    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hdr)))
        f.write(hdr)
        for b in blobs:
            f.write(b)
    return os.path.getsize(path)


def report(name, tensors, size, extra=""):
    keys = ", ".join("%s%s" % (k, list(v.shape)) for k, v in tensors.items())
    print("wrote %-30s %8d bytes  %s%s" % (name, size, keys, extra))


def save(name, tensors, metadata, extra=""):
    path = os.path.join(OUT_DIR, name)
    size = write_safetensors(path, tensors, metadata)
    report(name, tensors, size, extra)
    return size


# --------------------------------------------------------------------------
# layer fixtures
# --------------------------------------------------------------------------

def layer_fixture(name, seed, make_layer, make_x, metadata):
    torch.manual_seed(seed)
    layer = make_layer()
    x = make_x().detach().requires_grad_(True)
    y = layer(x)
    dy = torch.randn(y.shape)
    y.backward(dy)

    tensors = collections.OrderedDict()
    tensors["x"] = x
    tensors["y"] = y
    tensors["dy"] = dy
    tensors["dx"] = x.grad
    if getattr(layer, "weight", None) is not None:
        tensors["weight"] = layer.weight
        tensors["bias"] = layer.bias
        tensors["dweight"] = layer.weight.grad
        tensors["dbias"] = layer.bias.grad
    return save(name, tensors, metadata)


def conv_fixture(name, seed, cin, cout, k, stride, padding, groups, xshape):
    return layer_fixture(
        name, seed,
        lambda: nn.Conv2d(cin, cout, kernel_size=k, stride=stride,
                          padding=padding, groups=groups),
        lambda: torch.randn(*xshape),
        {"in_channels": cin, "out_channels": cout, "kernel": k,
         "stride": stride, "padding": padding, "groups": groups})


def lrn_fixture(name, seed, size, alpha, beta, k, xshape, scale):
    return layer_fixture(
        name, seed,
        lambda: nn.LocalResponseNorm(size, alpha=alpha, beta=beta, k=k),
        lambda: scale * torch.randn(*xshape),
        {"size": size, "alpha": repr(alpha), "beta": repr(beta), "k": repr(k)})


def relu_x(shape):
    while True:
        x = torch.randn(*shape)
        if x.abs().min().item() >= 1e-3:
            return x


def cross_entropy_fixture(name, seed):
    torch.manual_seed(seed)
    x = (torch.randn(4, 10) * 3).requires_grad_(True)
    labels = torch.randint(0, 10, (4,))
    loss = nn.CrossEntropyLoss()(x, labels)
    loss.backward()
    tensors = collections.OrderedDict()
    tensors["x"] = x
    tensors["labels"] = labels.to(torch.float32)
    tensors["loss"] = loss.reshape(1)
    tensors["dx"] = x.grad
    return save(name, tensors, {"reduction": "mean", "classes": 10})


# --------------------------------------------------------------------------
# reduced paper AlexNet
# --------------------------------------------------------------------------

def paper_reduced_model():
    L = collections.OrderedDict()
    L["conv1"] = nn.Conv2d(3, 16, 11, stride=4, padding=0)
    L["relu1"] = nn.ReLU()
    L["lrn1"] = nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0)
    L["pool1"] = nn.MaxPool2d(3, 2)
    L["conv2"] = nn.Conv2d(16, 32, 5, padding=2, groups=2)
    L["relu2"] = nn.ReLU()
    L["lrn2"] = nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0)
    L["pool2"] = nn.MaxPool2d(3, 2)
    L["conv3"] = nn.Conv2d(32, 48, 3, padding=1)
    L["relu3"] = nn.ReLU()
    L["conv4"] = nn.Conv2d(48, 48, 3, padding=1, groups=2)
    L["relu4"] = nn.ReLU()
    L["conv5"] = nn.Conv2d(48, 32, 3, padding=1, groups=2)
    L["relu5"] = nn.ReLU()
    L["pool5"] = nn.MaxPool2d(3, 2)
    L["flatten"] = nn.Flatten()
    L["fc6"] = nn.Linear(32 * 2 * 2, 64)
    L["relu6"] = nn.ReLU()
    L["fc7"] = nn.Linear(64, 64)
    L["relu7"] = nn.ReLU()
    L["fc8"] = nn.Linear(64, 10)
    return nn.Sequential(L)


PAPER_X_SCALE = 10.0
MOMENTUM = 0.9
WEIGHT_DECAY = 5e-4
ADAM_LR = 1e-3


def train_losses(model0, x, labels, make_opt, steps=5):
    model = copy.deepcopy(model0)
    opt = make_opt(model.parameters())
    crit = nn.CrossEntropyLoss()
    losses = []
    for step in range(steps + 1):
        opt.zero_grad()
        loss = crit(model(x), labels)
        losses.append(loss.item())
        if step == steps:
            break
        loss.backward()
        opt.step()
    return torch.tensor(losses, dtype=torch.float32), model.fc8.weight.detach().clone()


def paper_reduced_fixture(name):
    torch.manual_seed(0)
    model = paper_reduced_model()
    x = torch.randn(2, 3, 99, 99) * PAPER_X_SCALE
    labels = torch.tensor([3, 7])
    init = copy.deepcopy(model)

    logits = model(x)
    loss = nn.CrossEntropyLoss()(logits, labels)
    loss.backward()

    tensors = collections.OrderedDict()
    tensors["x"] = x
    tensors["labels"] = labels.to(torch.float32)
    params = list(init.named_parameters())
    for pname, p in params:
        tensors[pname] = p
    tensors["logits"] = logits
    tensors["loss"] = loss.reshape(1)
    for pname, p in model.named_parameters():
        tensors["grad." + pname] = p.grad

    def sgd(lr, nesterov):
        return lambda ps: torch.optim.SGD(ps, lr=lr, momentum=MOMENTUM,
                                          weight_decay=WEIGHT_DECAY,
                                          nesterov=nesterov)

    sgd_lr = 0.01
    sgd_losses, sgd_w = train_losses(init, x, labels, sgd(sgd_lr, False))
    if (sgd_losses.max() - sgd_losses.min()).item() < 1e-3:
        sgd_lr = 0.05
        sgd_losses, sgd_w = train_losses(init, x, labels, sgd(sgd_lr, False))
    nes_lr = sgd_lr
    nes_losses, nes_w = train_losses(init, x, labels, sgd(nes_lr, True))
    adam_losses, adam_w = train_losses(
        init, x, labels,
        lambda ps: torch.optim.Adam(ps, lr=ADAM_LR, betas=(0.9, 0.999), eps=1e-8,
                                    weight_decay=WEIGHT_DECAY))

    tensors["sgd.losses"] = sgd_losses
    tensors["sgd.fc8.weight"] = sgd_w
    tensors["nesterov.losses"] = nes_losses
    tensors["nesterov.fc8.weight"] = nes_w
    tensors["adam.losses"] = adam_losses
    tensors["adam.fc8.weight"] = adam_w

    metadata = {
        "model": "paper AlexNet (Krizhevsky 2012) at reduced width, no dropout",
        "input_scale": repr(PAPER_X_SCALE),
        "steps": 5,
        "sgd.lr": repr(sgd_lr),
        "nesterov.lr": repr(nes_lr),
        "adam.lr": repr(ADAM_LR),
        "adam.betas": "0.9,0.999",
        "adam.eps": repr(1e-8),
        "momentum": repr(MOMENTUM),
        "weight_decay": repr(WEIGHT_DECAY),
        "loss": "CrossEntropyLoss(mean)",
    }
    fmt = lambda t: "[" + ", ".join("%.6f" % v for v in t.tolist()) + "]"
    extra = ("\n    loss %.6f  sgd(lr=%g) %s\n    nesterov(lr=%g) %s\n    adam(lr=%g) %s"
             % (loss.item(), sgd_lr, fmt(sgd_losses), nes_lr, fmt(nes_losses),
                ADAM_LR, fmt(adam_losses)))
    return save(name, tensors, metadata, extra)


# --------------------------------------------------------------------------

def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(OUT_DIR, exist_ok=True)

    total = 0
    total += conv_fixture("conv_grouped.safetensors", 1, 4, 6, 3, 2, 1, 2, (3, 4, 9, 11))
    total += conv_fixture("conv_stride.safetensors", 2, 3, 4, 5, 3, 0, 1, (2, 3, 13, 13))
    total += conv_fixture("conv_alexnet1.safetensors", 3, 3, 8, 11, 4, 2, 1, (1, 3, 35, 35))

    total += lrn_fixture("lrn_paper.safetensors", 4, 5, 1e-4, 0.75, 2.0, (2, 7, 5, 6), 10.0)
    total += lrn_fixture("lrn_strong.safetensors", 5, 3, 0.5, 0.75, 1.0, (2, 6, 4, 5), 1.0)
    total += lrn_fixture("lrn_caffe.safetensors", 6, 5, 1e-4, 0.75, 1.0, (1, 9, 3, 3), 30.0)

    total += layer_fixture("maxpool.safetensors", 7, lambda: nn.MaxPool2d(3, 2),
                           lambda: torch.randn(2, 3, 9, 9), {"kernel": 3, "stride": 2})
    total += layer_fixture("maxpool_even.safetensors", 8, lambda: nn.MaxPool2d(3, 2),
                           lambda: torch.randn(1, 2, 8, 10), {"kernel": 3, "stride": 2})

    total += layer_fixture("adaptive_avgpool.safetensors", 9,
                           lambda: nn.AdaptiveAvgPool2d((6, 6)),
                           lambda: torch.randn(2, 3, 13, 11), {"out_h": 6, "out_w": 6})
    total += layer_fixture("adaptive_avgpool_up.safetensors", 10,
                           lambda: nn.AdaptiveAvgPool2d((6, 6)),
                           lambda: torch.randn(1, 2, 5, 4), {"out_h": 6, "out_w": 6})

    total += layer_fixture("linear.safetensors", 11, lambda: nn.Linear(10, 7),
                           lambda: torch.randn(3, 10),
                           {"in_features": 10, "out_features": 7})
    total += layer_fixture("relu.safetensors", 12, nn.ReLU,
                           lambda: relu_x((2, 3, 4, 5)), {"min_abs_x": "0.001"})

    total += cross_entropy_fixture("cross_entropy.safetensors", 13)
    total += paper_reduced_fixture("paper_reduced.safetensors")
    print("total %d bytes in %s" % (total, os.path.relpath(OUT_DIR)))


if __name__ == "__main__":
    sys.exit(main())
