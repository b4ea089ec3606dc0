"""Generate the fixtures of the import/export tests (tests/AlexNet.Interop.Tests).

What it writes (tests/AlexNet.Interop.Tests/Fixtures/)
    torchvision_reduced.pth         torch.save of the state_dict of a reduced-width network laid out and
                                    named exactly like torchvision's AlexNet (features.0 ... classifier.6),
                                    1000 classes
    torchvision_reduced_model.pth   torch.save of the whole module (a torchvision.models.AlexNet whose
                                    features/classifier are swapped for the reduced ones)
    torchvision_reduced_f16.safetensors  the same weights as float16, torchvision key names
    torchvision_reduced_bf16.safetensors the same weights as bfloat16
    torchvision_reduced_io.safetensors   input x (1, 3, 224, 224, stored as F16, exact), PyTorch's logits for
                                    the float32, float16-rounded and bfloat16-rounded weights, and the logits
                                    of photos preprocessed the torchvision way (Resize(256), CenterCrop(224),
                                    ToTensor, Normalize) with their top-5
    paper_reduced.pth               state_dict of a reduced 2012 layout (conv1 ... fc8, LRN k=2, groups 2),
                                    10 classes, 227x227 input
    paper_reduced_dataparallel.pth  the same keys with torch.nn.DataParallel's "module." prefix
    paper_reduced_io.safetensors    logits for a computed input (pattern_input)
    paper_classes.txt               10 class names
    caffe_v1.caffemodel             bvlc_alexnet's layout (conv, relu, norm, pool), reduced widths, written in
                                    the V1 "layers" format with legacy 4-D blobs, as bvlc_alexnet.caffemodel is
    caffenet.caffemodel             CaffeNet's layout (pool before norm) in the current "layer" format
    caffe_io.safetensors            every weight under our names (conv1.weight ...), and for each model the
                                    logits of a photo fed the Caffe way (BGR, 0..255 minus Caffe's mean)
    evil_reduce.pth                 a torch.save archive whose pickle calls os.system (never executed by us)

Why
    Import must give PyTorch's logits on the same input; Caffe import must map every layer (names, groups,
    BGR channel order) and the Caffe files are written here by hand-encoding protobuf, independently of the
    C# schema.

How to run
    /usr/bin/python3 tests/make_interop_fixtures.py     (Debian's python3-torch, python3-torchvision, python3-pil)
"""

import collections
import io
import json
import os
import struct
import zipfile

import torch
import torch.nn as nn
import torchvision
from PIL import Image
import torchvision.transforms as T

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "AlexNet.Interop.Tests", "Fixtures")
PHOTOS = os.path.join(HERE, "AlexNet.Imaging.Tests", "Fixtures")
PHOTO_NAMES = ["astronaut_420.jpg", "chelsea_422.jpg", "coffee_444.jpg"]
CAFFE_MEAN_BGR = [104.007, 116.669, 122.679]  # bvlc_alexnet's per-channel ImageNet mean, 0..255

torch.set_num_threads(1)


# --------------------------------------------------------------------------------------------------
# safetensors writer (F32, F16, BF16)
# --------------------------------------------------------------------------------------------------

def write_safetensors(name, tensors, dtype=torch.float32, metadata=None):
    codes = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16"}
    header = collections.OrderedDict()
    header["__metadata__"] = dict(metadata or {}, generator="tests/make_interop_fixtures.py")
    blobs, offset = [], 0
    for key, t in tensors.items():
        t = t.detach().contiguous().cpu()
        kind = dtype if t.is_floating_point() else torch.float32
        t = t.to(kind)
        data = (t.view(torch.int16) if kind == torch.bfloat16 else t).numpy().tobytes()
        header[key] = {"dtype": codes[kind], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * ((-len(raw)) % 8)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))


def report(name):
    print("wrote %-40s %8d bytes" % (name, os.path.getsize(os.path.join(OUT, name))))


# --------------------------------------------------------------------------------------------------
# networks
# --------------------------------------------------------------------------------------------------

TV = dict(c1=8, c2=16, c3=24, c4=16, c5=16, hidden=16, classes=1000)


def torchvision_reduced():
    """torchvision.models.AlexNet with every width reduced; layer indices and names unchanged."""
    w = TV
    model = torchvision.models.AlexNet(num_classes=w["classes"])
    model.features = nn.Sequential(
        nn.Conv2d(3, w["c1"], 11, stride=4, padding=2), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2),
        nn.Conv2d(w["c1"], w["c2"], 5, padding=2), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2),
        nn.Conv2d(w["c2"], w["c3"], 3, padding=1), nn.ReLU(inplace=True),
        nn.Conv2d(w["c3"], w["c4"], 3, padding=1), nn.ReLU(inplace=True),
        nn.Conv2d(w["c4"], w["c5"], 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2))
    model.classifier = nn.Sequential(
        nn.Dropout(0.5), nn.Linear(w["c5"] * 36, w["hidden"]), nn.ReLU(inplace=True),
        nn.Dropout(0.5), nn.Linear(w["hidden"], w["hidden"]), nn.ReLU(inplace=True),
        nn.Linear(w["hidden"], w["classes"]))
    return model.eval()


def stacked(order, k, classes):
    """The paper's / Caffe's layer stack with reduced widths, named as ours (conv1, norm1, pool1 ...)."""
    L = collections.OrderedDict()
    L["conv1"] = nn.Conv2d(3, 8, 11, stride=4)
    L["relu1"] = nn.ReLU()
    for block in (1, 2):
        if block == 2:
            L["conv2"] = nn.Conv2d(8, 16, 5, padding=2, groups=2)
            L["relu2"] = nn.ReLU()
        parts = [("norm%d" % block, nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=k)),
                 ("pool%d" % block, nn.MaxPool2d(3, 2))]
        for name, layer in (parts if order == "norm-pool" else parts[::-1]):
            L[name] = layer
    L["conv3"] = nn.Conv2d(16, 16, 3, padding=1)
    L["relu3"] = nn.ReLU()
    L["conv4"] = nn.Conv2d(16, 16, 3, padding=1, groups=2)
    L["relu4"] = nn.ReLU()
    L["conv5"] = nn.Conv2d(16, 8, 3, padding=1, groups=2)
    L["relu5"] = nn.ReLU()
    L["pool5"] = nn.MaxPool2d(3, 2)
    L["flatten"] = nn.Flatten()
    L["fc6"] = nn.Linear(8 * 6 * 6, 16)
    L["relu6"] = nn.ReLU()
    L["drop6"] = nn.Dropout(0.5)
    L["fc7"] = nn.Linear(16, 16)
    L["relu7"] = nn.ReLU()
    L["drop7"] = nn.Dropout(0.5)
    L["fc8"] = nn.Linear(16, classes)
    return nn.Sequential(L).eval()


def amplify(model, factor=2.0):
    """PyTorch's default init shrinks activations layer by layer, so a random net gives nearly the same logits
    for every photo; doubling every parameter makes the top-5 depend on the photo and keeps it well separated,
    so that float32 summation order cannot reorder it."""
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(factor)


# --------------------------------------------------------------------------------------------------
# photos
# --------------------------------------------------------------------------------------------------

def torchvision_photo(name):
    image = Image.open(os.path.join(PHOTOS, name)).convert("RGB")
    transform = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(),
                           T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    return transform(image)


def caffe_photo(name, size=227):
    """Shorter side to 256 (PIL bilinear, as torchvision's Resize), the central 256x256, its central 227x227
    (the toolkit's evaluation crop; rounding the two offsets separately can differ by a pixel from one direct
    227 crop), BGR, 0..255 minus the mean."""
    image = Image.open(os.path.join(PHOTOS, name)).convert("RGB")
    image = T.CenterCrop(size)(T.CenterCrop(256)(T.Resize(256)(image)))
    x = torch.tensor(list(image.getdata()), dtype=torch.float32).view(size, size, 3)
    x = x[:, :, [2, 1, 0]] - torch.tensor(CAFFE_MEAN_BGR)
    return x.permute(2, 0, 1).contiguous()


def pattern_input(n, size, scale):
    """An input both languages compute exactly: integers in [-1000, 1000] divided in float32 by 1000/scale.
    Stored nowhere, so the fixtures stay small; the C# twin is InteropFixtures.PatternInput."""
    count = n * 3 * size * size
    i = torch.arange(count, dtype=torch.int64)
    values = ((i * 7919 + (i // 977) * 104729) % 2001 - 1000).to(torch.float32)
    return (values / torch.tensor(1000.0 / scale, dtype=torch.float32)).view(n, 3, size, size)


def top5_margin(logits):
    values = logits.sort(descending=True).values
    return (values[4] - values[5]).item() / (values[0] - values[-1]).item()


# --------------------------------------------------------------------------------------------------
# protobuf encoding for .caffemodel (wire format by hand; field numbers from Caffe's caffe.proto)
# --------------------------------------------------------------------------------------------------

def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field_varint(number, value):
    return varint(number << 3) + varint(value)


def field_bytes(number, payload):
    return varint((number << 3) | 2) + varint(len(payload)) + payload


def field_float(number, value):
    return varint((number << 3) | 5) + struct.pack("<f", value)


def blob(t, legacy):
    """BlobProto: legacy = (num, channels, height, width) fields 1-4, else BlobShape (field 7); data field 5."""
    dims = list(t.shape)
    out = b""
    if legacy:
        dims4 = [1] * (4 - len(dims)) + dims
        for number, d in zip((1, 2, 3, 4), dims4):
            out += field_varint(number, d)
    else:
        out += field_bytes(7, field_bytes(1, b"".join(varint(d) for d in dims)))
    out += field_bytes(5, t.detach().contiguous().numpy().astype("<f4").tobytes())
    return out


V1 = dict(DATA=5, CONVOLUTION=4, RELU=18, LRN=15, POOLING=17, INNER_PRODUCT=14, DROPOUT=6, SOFTMAX=20)
NEW_TYPES = dict(DATA="Input", CONVOLUTION="Convolution", RELU="ReLU", LRN="LRN", POOLING="Pooling",
                 INNER_PRODUCT="InnerProduct", DROPOUT="Dropout", SOFTMAX="Softmax")


def caffe_layer(v1, name, kind, bottom, top, blobs=(), conv=None, lrn=None, pool=None, ip=None):
    f = dict(name=4, type=5, bottom=2, top=3, blobs=6, conv=10, ip=17, lrn=18, pool=19) if v1 else \
        dict(name=1, type=2, bottom=3, top=4, blobs=7, conv=106, ip=117, lrn=118, pool=121)
    out = field_bytes(f["name"], name.encode())
    out += field_varint(f["type"], V1[kind]) if v1 else field_bytes(f["type"], NEW_TYPES[kind].encode())
    if bottom:
        out += field_bytes(f["bottom"], bottom.encode())
    out += field_bytes(f["top"], top.encode())
    for b in blobs:
        out += field_bytes(f["blobs"], blob(b, legacy=v1))
    if conv:
        p = field_varint(1, conv["out"]) + field_varint(4, conv["kernel"]) + field_varint(5, conv["group"])
        if conv["pad"]:
            p += field_varint(3, conv["pad"])
        if conv["stride"] != 1:
            p += field_varint(6, conv["stride"])
        out += field_bytes(f["conv"], p)
    if lrn:
        out += field_bytes(f["lrn"], field_varint(1, 5) + field_float(2, 1e-4) + field_float(3, 0.75))  # k: default 1
    if pool:
        out += field_bytes(f["pool"], field_varint(1, 0) + field_varint(2, 3) + field_varint(3, 2))
    if ip:
        out += field_bytes(f["ip"], field_varint(1, ip))
    return out


def caffemodel(model, v1):
    """A NetParameter with the model's layers in its own order; V1 files use 'layers' (field 2)."""
    layers, previous = [], "data"
    layers.append(caffe_layer(v1, "data", "DATA", None, "data"))
    for name, m in model.named_children():
        if isinstance(m, nn.Conv2d):
            layer = caffe_layer(v1, name, "CONVOLUTION", previous, name, [m.weight, m.bias],
                                conv=dict(out=m.out_channels, kernel=m.kernel_size[0], group=m.groups,
                                          pad=m.padding[0], stride=m.stride[0]))
        elif isinstance(m, nn.Linear):
            layer = caffe_layer(v1, name, "INNER_PRODUCT", previous, name, [m.weight, m.bias], ip=m.out_features)
        elif isinstance(m, nn.LocalResponseNorm):
            layer = caffe_layer(v1, name, "LRN", previous, name, lrn=True)
        elif isinstance(m, nn.MaxPool2d):
            layer = caffe_layer(v1, name, "POOLING", previous, name, pool=True)
        elif isinstance(m, nn.ReLU):
            layer = caffe_layer(v1, name, "RELU", previous, previous)  # in place, as Caffe's AlexNet
        elif isinstance(m, nn.Dropout):
            layer = caffe_layer(v1, name, "DROPOUT", previous, previous)
        else:
            continue  # Caffe's InnerProduct flattens by itself
        layers.append(layer)
        if not isinstance(m, (nn.ReLU, nn.Dropout)):
            previous = name
    layers.append(caffe_layer(v1, "prob", "SOFTMAX", previous, "prob"))
    number = 2 if v1 else 100
    return field_bytes(1, b"CaffeNet" if not v1 else b"AlexNet") + b"".join(field_bytes(number, l) for l in layers)


# --------------------------------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------------------------------

def separated_torchvision_model():
    """The first seed whose top-5 is clearly separated on every photo (margin > 0.2% of the logit range)."""
    for seed in range(1, 100):
        torch.manual_seed(seed)
        model = torchvision_reduced()
        amplify(model)
        with torch.no_grad():
            margins = [top5_margin(model(torchvision_photo(p).unsqueeze(0))[0]) for p in PHOTO_NAMES]
        if min(margins) > 2e-3:
            return model
    raise RuntimeError("no seed separates the top-5")


def torchvision_fixtures():
    model = separated_torchvision_model()
    state = model.state_dict()
    torch.save(state, os.path.join(OUT, "torchvision_reduced.pth"))
    torch.save(model, os.path.join(OUT, "torchvision_reduced_model.pth"))
    write_safetensors("torchvision_reduced_f16.safetensors", state, torch.float16)
    write_safetensors("torchvision_reduced_bf16.safetensors", state, torch.bfloat16)
    x = pattern_input(1, 224, 2.0)
    io_tensors = collections.OrderedDict()
    with torch.no_grad():
        io_tensors["logits"] = model(x)
        for kind, name in ((torch.float16, "logits_f16"), (torch.bfloat16, "logits_bf16")):
            rounded = torchvision_reduced()
            rounded.load_state_dict({k: v.to(kind).float() for k, v in state.items()})
            io_tensors[name] = rounded(x)
        for photo in PHOTO_NAMES:
            logits = model(torchvision_photo(photo).unsqueeze(0))[0]
            margin = top5_margin(logits)
            assert margin > 2e-3, "top-5 of %s too close to call (%g): change the seed" % (photo, margin)
            io_tensors["photo." + photo] = logits
            io_tensors["top5." + photo] = logits.topk(5).indices.float()
            print("  %s: top-5 %s (margin %.3g of the logit range)" % (photo, logits.topk(5).indices.tolist(), margin))
    write_safetensors("torchvision_reduced_io.safetensors", io_tensors, metadata={"photos": ",".join(PHOTO_NAMES)})
    for name in ("torchvision_reduced.pth", "torchvision_reduced_model.pth", "torchvision_reduced_f16.safetensors",
                 "torchvision_reduced_bf16.safetensors", "torchvision_reduced_io.safetensors"):
        report(name)


def paper_fixtures():
    torch.manual_seed(2)
    model = stacked("norm-pool", k=2.0, classes=10)
    amplify(model)
    state = model.state_dict()
    torch.save(state, os.path.join(OUT, "paper_reduced.pth"))
    torch.save(collections.OrderedDict(("module." + k, v) for k, v in state.items()),
               os.path.join(OUT, "paper_reduced_dataparallel.pth"))
    x = pattern_input(2, 227, 4.0)
    with torch.no_grad():
        logits = model(x)
    write_safetensors("paper_reduced_io.safetensors", {"logits": logits})
    with open(os.path.join(OUT, "paper_classes.txt"), "w") as f:
        f.write("".join("class_%d\n" % i for i in range(10)))
    for name in ("paper_reduced.pth", "paper_reduced_dataparallel.pth", "paper_reduced_io.safetensors"):
        report(name)


def caffe_fixtures():
    tensors = collections.OrderedDict()
    for name, order, v1, seed in (("caffe_v1", "norm-pool", True, 3), ("caffenet", "pool-norm", False, 4)):
        torch.manual_seed(seed)
        model = stacked(order, k=1.0, classes=1000)
        amplify(model)
        with open(os.path.join(OUT, name + ".caffemodel"), "wb") as f:
            f.write(caffemodel(model, v1))
        for key, value in model.state_dict().items():
            tensors[name + "." + key] = value
        with torch.no_grad():
            x = caffe_photo(PHOTO_NAMES[1]).unsqueeze(0)
            tensors[name + ".photo_logits"] = model(x)[0]
        report(name + ".caffemodel")
    write_safetensors("caffe_io.safetensors", tensors, metadata={"photo": PHOTO_NAMES[1]})
    report("caffe_io.safetensors")


class Evil:
    """Pickles as a call of os.system: what a malicious checkpoint looks like."""

    def __reduce__(self):
        return (os.system, ("echo this must never run",))


def evil_fixture():
    torch.save(collections.OrderedDict(weight=torch.zeros(2), payload=Evil()), os.path.join(OUT, "evil_reduce.pth"))
    report("evil_reduce.pth")


def main():
    os.makedirs(OUT, exist_ok=True)
    torchvision_fixtures()
    paper_fixtures()
    caffe_fixtures()
    evil_fixture()


if __name__ == "__main__":
    main()
