"""Generate the PyTorch fixtures for batch normalization, 'same' padding and the keras-cifar10 network.

What it writes
    tests/AlexNet.Tests/Fixtures/Parity/
        bn2d_keras.safetensors, bn2d_torch.safetensors   BatchNorm2d with Keras's settings (momentum 0.01,
                                    eps 1e-3) and PyTorch's defaults (0.1, 1e-5)
        bn1d_keras.safetensors, bn1d_wide.safetensors    BatchNorm1d, the second with 300 features
            each: weight, bias, running_mean, running_var (before), x, y (training mode), dy, dx, dweight,
            dbias, running_mean_after, running_var_after, and x_eval / y_eval (eval mode, updated statistics)
        conv_same_stride.safetensors  ZeroPad2d((1, 2, 1, 2)) + Conv2d(3, 4, 5, stride 3) on 14x14: the
                                    unequal 'same' padding of a strided convolution (layer fixture layout)
        keras_reduced.safetensors   a reduced-width keras-cifar10 (widths 8/16/24/24/16, dense 32/32/20,
                                    10 classes, 32x32x3 input, batch 8, no dropout) from bench/keras_cifar10_torch.py,
                                    computed in float64 (the network is sensitive to float32 rounding):
                                    every parameter and running statistic, the training-mode logits, loss
                                    and all parameter gradients, the running statistics after that forward,
                                    eval-mode logits, and the losses of 4 SGD steps with the statistics and
                                    fc9.weight after them
    tests/AlexNet.Interop.Tests/Fixtures/
        keras_reduced.pth           torch.save of that network's state_dict (num_batches_tracked included)
        keras_reduced_io.safetensors  an input and the eval-mode logits of the saved weights

Why
    The C# batch normalization (both layouts, both backends), the unequally padded convolution and the
    whole keras-cifar10 network are held to PyTorch's numbers without Python at test time.

How to run
    /usr/bin/python3 tests/make_batchnorm_fixtures.py
    Deterministic (fixed seeds, one thread). Existing fixtures of make_parity_fixtures.py are not touched.
"""

import collections
import copy
import os
import sys

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "bench"))

import make_parity_fixtures as parity  # noqa: E402  (the safetensors writer and layer fixture layout)
from keras_cifar10_torch import keras_cifar10  # noqa: E402

parity.GENERATOR = "tests/make_batchnorm_fixtures.py"
INTEROP_DIR = os.path.join(HERE, "AlexNet.Interop.Tests", "Fixtures")

REDUCED_WIDTHS = (8, 16, 24, 24, 16, 32, 20)
SGD_LR, SGD_MOMENTUM, SGD_WEIGHT_DECAY, SGD_STEPS = 0.01, 0.9, 5e-4, 4


def batchnorm_fixture(name, seed, layer, xshape, offset, scale):
    torch.manual_seed(seed)
    channels = layer.num_features
    with torch.no_grad():
        layer.weight.copy_(1 + 0.5 * torch.randn(channels))
        layer.bias.copy_(0.5 * torch.randn(channels))
        layer.running_mean.copy_(torch.randn(channels))
        layer.running_var.copy_(0.5 + torch.rand(channels))
    tensors = collections.OrderedDict()
    for key in ("weight", "bias", "running_mean", "running_var"):
        tensors[key] = getattr(layer, key).detach().clone()
    layer.train()
    x = (offset + scale * torch.randn(*xshape)).requires_grad_(True)
    y = layer(x)
    dy = torch.randn(y.shape)
    y.backward(dy)
    tensors["x"], tensors["y"], tensors["dy"], tensors["dx"] = x, y, dy, x.grad
    tensors["dweight"], tensors["dbias"] = layer.weight.grad, layer.bias.grad
    tensors["running_mean_after"] = layer.running_mean.clone()
    tensors["running_var_after"] = layer.running_var.clone()
    layer.eval()
    x_eval = offset + scale * torch.randn(*xshape)
    with torch.no_grad():
        tensors["x_eval"], tensors["y_eval"] = x_eval, layer(x_eval)
    return parity.save(name, tensors, {"features": channels, "momentum": repr(layer.momentum), "eps": repr(layer.eps)})


class PaddedConv(nn.Module):
    """An explicit unequal zero pad, then the convolution: TensorFlow's 'same' on a strided convolution."""

    def __init__(self, cin, cout, kernel, stride, before, after):
        super().__init__()
        self.pad = nn.ZeroPad2d((before, after, before, after))
        self.conv = nn.Conv2d(cin, cout, kernel, stride=stride)

    @property
    def weight(self):
        return self.conv.weight

    @property
    def bias(self):
        return self.conv.bias

    def forward(self, x):
        return self.conv(self.pad(x))


def randomize_batchnorm(model, generator):
    """Non-trivial gamma, beta and running statistics, so that each takes part in the comparison."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.modules.batchnorm._BatchNorm):
                n = module.num_features
                module.weight.copy_(1 + 0.2 * torch.randn(n, generator=generator))
                module.bias.copy_(0.1 * torch.randn(n, generator=generator))
                module.running_mean.copy_(0.1 * torch.randn(n, generator=generator))
                module.running_var.copy_(0.5 + torch.rand(n, generator=generator))


def statistics(model):
    return collections.OrderedDict((k, v.clone()) for k, v in model.state_dict().items() if k.endswith(("running_mean", "running_var")))


def keras_reduced_model(seed):
    torch.manual_seed(seed)
    model = keras_cifar10(classes=10, channels=3, size=32, widths=REDUCED_WIDTHS, dropout=0.0)
    randomize_batchnorm(model, torch.Generator().manual_seed(seed + 1))
    return model


def keras_reduced_fixture(name):
    model = keras_reduced_model(20)
    x = torch.randn(8, 3, 32, 32)
    labels = torch.tensor([3, 7, 1, 3, 0, 9, 7, 5])
    init = copy.deepcopy(model)
    # Nine batch normalizations over small batches amplify float32 rounding (PyTorch's own float32 run drifts from
    # its float64 one by ~1e-4 in a few gradients): the reference is computed in float64 and stored as float32.
    model = model.double()
    x64 = x.double()

    tensors = collections.OrderedDict()
    tensors["x"] = x
    tensors["labels"] = labels.to(torch.float32)
    for key, value in init.state_dict().items():
        if not key.endswith("num_batches_tracked"):
            tensors[key] = value.clone()

    model.train()
    logits = model(x64)
    loss = nn.CrossEntropyLoss()(logits, labels)
    loss.backward()
    tensors["logits"] = logits
    tensors["loss"] = loss.reshape(1)
    for key, p in model.named_parameters():
        tensors["grad." + key] = p.grad
    for key, value in statistics(model).items():
        tensors["after." + key] = value
    model.eval()
    with torch.no_grad():
        tensors["eval_logits"] = model(x64)

    trained = copy.deepcopy(init).double()
    trained.train()
    optimizer = torch.optim.SGD(trained.parameters(), lr=SGD_LR, momentum=SGD_MOMENTUM, weight_decay=SGD_WEIGHT_DECAY)
    losses = []
    for step in range(SGD_STEPS):
        optimizer.zero_grad()
        step_loss = nn.CrossEntropyLoss()(trained(x64), labels)
        losses.append(step_loss.item())
        step_loss.backward()
        optimizer.step()
    tensors["sgd.losses"] = torch.tensor(losses, dtype=torch.float64)
    tensors["sgd.fc9.weight"] = trained.fc9.weight.detach().clone()
    for key, value in statistics(trained).items():
        tensors["sgd." + key] = value

    metadata = {
        "model": "keras-cifar10 at reduced width, no dropout (bench/keras_cifar10_torch.py)",
        "widths": ",".join(str(w) for w in REDUCED_WIDTHS),
        "sgd.lr": repr(SGD_LR), "momentum": repr(SGD_MOMENTUM), "weight_decay": repr(SGD_WEIGHT_DECAY),
        "steps": SGD_STEPS,
    }
    extra = "\n    loss %.6f  sgd %s" % (loss.item(), ["%.6f" % v for v in losses])
    return parity.save(name, tensors, metadata, extra)


def keras_interop_fixture():
    model = keras_reduced_model(30)
    model.train()
    with torch.no_grad():
        for _ in range(3):  # some training batches move the running statistics and num_batches_tracked
            model(torch.randn(6, 3, 32, 32))
    model.eval()
    path = os.path.join(INTEROP_DIR, "keras_reduced.pth")
    torch.save(model.state_dict(), path)
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        logits = model(x)
    parity.write_safetensors(os.path.join(INTEROP_DIR, "keras_reduced_io.safetensors"),
                             collections.OrderedDict([("x", x), ("logits", logits)]),
                             {"widths": ",".join(str(w) for w in REDUCED_WIDTHS)})
    print("wrote keras_reduced.pth %d bytes, keras_reduced_io.safetensors" % os.path.getsize(path))


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    total = 0
    total += batchnorm_fixture("bn2d_keras.safetensors", 41, nn.BatchNorm2d(5, eps=1e-3, momentum=0.01), (3, 5, 4, 6), 2.0, 3.0)
    total += batchnorm_fixture("bn2d_torch.safetensors", 42, nn.BatchNorm2d(4), (2, 4, 7, 5), -1.0, 0.5)
    total += batchnorm_fixture("bn1d_keras.safetensors", 43, nn.BatchNorm1d(7, eps=1e-3, momentum=0.01), (4, 7), 0.5, 2.0)
    total += batchnorm_fixture("bn1d_wide.safetensors", 44, nn.BatchNorm1d(300), (6, 300), 3.0, 1.0)
    total += parity.layer_fixture("conv_same_stride.safetensors", 45, lambda: PaddedConv(3, 4, 5, 3, 1, 2),
                                  lambda: torch.randn(2, 3, 14, 14),
                                  {"in_channels": 3, "out_channels": 4, "kernel": 5, "stride": 3, "padding": 1,
                                   "padding_end": 2, "groups": 1})
    total += keras_reduced_fixture("keras_reduced.safetensors")
    keras_interop_fixture()
    print("total %d bytes of parity fixtures" % total)


if __name__ == "__main__":
    sys.exit(main())
