"""Generate PIL reference fixtures for the C# image-resize parity tests.

What it writes
    tests/AlexNet.Tests/Fixtures/Transforms/: raw 8-bit pixel files
    (HWC interleaved, no header, ``.u8``) and ``resize_manifest.json`` that
    describes them. Each *input* is a real photograph from ``skimage.data``
    (astronaut, coffee, chelsea, camera), cropped and brought to a modest
    size with PIL itself; each *output* is PIL's
    ``Image.resize((w, h), Image.BILINEAR)`` of that input: shorter side 256
    (up- and downscaling, as torchvision's ``Resize(256)`` computes the long
    side), 227x227, 224x224, 64x48, non-uniform aspect changes, one-axis resizes, and a tiny
    5x7 crop upscaled to shorter side 256.

Why
    ``AlexNet.Data.Transforms.Resize`` re-implements PIL's antialiased
    bilinear resampling; the tests check it against PIL without needing Python
    at test time.

How to run
    /usr/bin/python3 tests/make_transform_fixtures.py

    Needs Debian's python3-pil (9.4) and python3-skimage (0.19) and numpy.
    Deterministic: re-running writes byte-identical files. Total size about
    1.8 MB.
"""

import json
import os

import numpy as np
import PIL
from PIL import Image
import skimage.data

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   "AlexNet.Tests", "Fixtures", "Transforms")


def shorter_side(width, height, size):
    """torchvision's Resize(int): the shorter side becomes `size`, the longer int(size * long / short)."""
    if width <= height:
        return size, int(size * height / width)
    return int(size * width / height), size


def make_input(name, array, box, size):
    """Crop `array` (HWC or HW uint8) to box (left, top, right, bottom), resize with PIL to `size`."""
    image = Image.fromarray(array)
    image = image.crop(box)
    if size is not None and image.size != size:
        image = image.resize(size, Image.BILINEAR)
    return name, image


def save(image, file_name):
    data = np.asarray(image, dtype=np.uint8)
    with open(os.path.join(OUT, file_name), "wb") as f:
        f.write(data.tobytes())
    return file_name


def main():
    os.makedirs(OUT, exist_ok=True)
    inputs = [
        # (name, image, list of (kind, target)) ; target = size for "shorter_side", (w, h) for "exact"
        (*make_input("astronaut", skimage.data.astronaut(), (0, 64, 512, 448), (240, 180)),
         [("exact", (227, 227)), ("exact", (64, 48)), ("exact", (100, 240))]),
        (*make_input("coffee", skimage.data.coffee(), (0, 0, 600, 400), (240, 160)),
         [("exact", (224, 224)), ("exact", (150, 190)), ("exact", (300, 100))]),
        # An ImageNet-like 4:3 photo larger than 256 on both sides: the common downscaling case.
        (*make_input("chelsea", skimage.data.chelsea(), (25, 0, 425, 300), None),
         [("shorter_side", 256)]),
        (*make_input("camera", skimage.data.camera(), (0, 0, 512, 512), (200, 200)),
         [("shorter_side", 256), ("exact", (97, 61)),
          ("exact", (200, 130)), ("exact", (150, 200))]),  # one axis only
        (*make_input("coffee_tiny", skimage.data.coffee(), (300, 150, 305, 157), None),
         [("shorter_side", 256)]),
    ]
    manifest = {"pil_version": PIL.__version__, "filter": "BILINEAR", "inputs": []}
    for name, image, cases in inputs:
        channels = 1 if image.mode == "L" else 3
        width, height = image.size
        entry = {
            "name": name, "width": width, "height": height, "channels": channels,
            "file": save(image, f"{name}_{width}x{height}.u8"), "outputs": [],
        }
        for kind, target in cases:
            if kind == "shorter_side":
                size = shorter_side(width, height, target)
            else:
                size = target
            out = image.resize(size, Image.BILINEAR)
            entry["outputs"].append({
                "kind": kind,
                "size": target if kind == "shorter_side" else None,
                "width": size[0], "height": size[1],
                "file": save(out, f"{name}_{width}x{height}_to_{size[0]}x{size[1]}.u8"),
            })
        manifest["inputs"].append(entry)
    with open(os.path.join(OUT, "resize_manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
