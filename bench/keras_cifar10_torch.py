"""The keras-cifar10 network in PyTorch, named like the C# layers so that state_dict keys match ours.

conv 96 11x11/4, 256 5x5, 384 3x3, 384 3x3, 256 3x3, each + BatchNorm2d + ReLU, 2x2/2 max pooling after
conv1, conv2 and conv5, TensorFlow 'same' padding (the odd pixel of a strided convolution after the data,
done with an explicit ZeroPad2d); dense 4096, 4096, 1000, each + BatchNorm1d + ReLU + dropout 0.4; dense
10 + BatchNorm1d (the logits; the softmax is the loss's). Keras's BatchNormalization(momentum=0.99,
epsilon=1e-3) is PyTorch's momentum=0.01, eps=1e-3. Keras initialization: Glorot-uniform kernels, zero
biases, BN gamma 1 and beta 0.

Imported by tests/make_batchnorm_fixtures.py (parity fixtures) and bench/pytorch_keras_cifar10.py (the
training twin), so that the network the fixtures prove is the one the benchmark trains.
"""

import collections

import torch.nn as nn

KERAS_WIDTHS = (96, 256, 384, 384, 256, 4096, 1000)
BN_MOMENTUM = 0.01  # Keras's 0.99
BN_EPS = 1e-3       # Keras's default


def same_padding(size, kernel, stride):
    """TensorFlow's 'same' for one axis: (before, after, output size)."""
    output = (size + stride - 1) // stride
    total = max((output - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2, output


def keras_cifar10(classes=10, channels=3, size=32, widths=KERAS_WIDTHS, dropout=0.4):
    c1, c2, c3, c4, c5, hidden, last = widths
    layers = collections.OrderedDict()
    state = {"size": size}

    def conv(index, cin, cout, kernel, stride):
        before, after, output = same_padding(state["size"], kernel, stride)
        if before == after:
            layers["conv%d" % index] = nn.Conv2d(cin, cout, kernel, stride=stride, padding=before)
        else:
            layers["pad%d" % index] = nn.ZeroPad2d((before, after, before, after))
            layers["conv%d" % index] = nn.Conv2d(cin, cout, kernel, stride=stride)
        layers["bn%d" % index] = nn.BatchNorm2d(cout, eps=BN_EPS, momentum=BN_MOMENTUM)
        layers["relu%d" % index] = nn.ReLU()
        state["size"] = output

    def pool(index):
        assert state["size"] % 2 == 0
        layers["pool%d" % index] = nn.MaxPool2d(2, 2)
        state["size"] //= 2

    def dense(index, fin, fout, hidden_layer):
        layers["fc%d" % index] = nn.Linear(fin, fout)
        layers["bn%d" % index] = nn.BatchNorm1d(fout, eps=BN_EPS, momentum=BN_MOMENTUM)
        if hidden_layer:
            layers["relu%d" % index] = nn.ReLU()
            layers["drop%d" % index] = nn.Dropout(dropout)

    conv(1, channels, c1, 11, 4)
    pool(1)
    conv(2, c1, c2, 5, 1)
    pool(2)
    conv(3, c2, c3, 3, 1)
    conv(4, c3, c4, 3, 1)
    conv(5, c4, c5, 3, 1)
    pool(5)
    layers["flatten"] = nn.Flatten()
    dense(6, c5 * state["size"] ** 2, hidden, True)
    dense(7, hidden, hidden, True)
    dense(8, hidden, last, True)
    dense(9, last, classes, False)
    return nn.Sequential(layers)


def keras_initialize(model):
    """Glorot-uniform weights, zero biases (Keras's defaults); BatchNorm keeps gamma 1, beta 0."""
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(module.weight)
            nn.init.zeros_(module.bias)
    return model
