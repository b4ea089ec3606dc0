#!/usr/bin/python3
"""Writes an ImageNet-like folder of JPEG photographs for loader benchmarks.

Usage: /usr/bin/python3 bench/make_jpeg_folder.py OUT_DIR [COUNT (1000)] [CLASSES (10)]

Each image is a random 500x375 (or 375x500) view of one of the real photographs that python3-skimage
ships (astronaut, coffee, chelsea, rocket, ...), rescaled and cropped with PIL and saved as a baseline
JPEG of quality 90 — about the size and encoding of an average ImageNet training image. Files go to
OUT_DIR/class_<k>/img_<n>.jpg so that the class-folder layout is detected.
"""
import os
import random
import sys

from PIL import Image
from skimage import data


def photos():
    names = ["astronaut", "coffee", "chelsea", "rocket", "immunohistochemistry", "retina", "motorcycle_left"]
    result = []
    for name in names:
        loader = getattr(data, name, None)
        if loader is None:
            continue
        try:
            array = loader()
        except Exception:  # some data files are downloaded on demand; skip those
            continue
        if isinstance(array, tuple):
            array = array[0]
        image = Image.fromarray(array)
        result.append(image.convert("RGB"))
    if not result:
        raise SystemExit("no skimage photographs found: install python3-skimage")
    return result


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    out, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    classes = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    rng = random.Random(1)
    sources = photos()
    for n in range(count):
        source = rng.choice(sources)
        width, height = (500, 375) if rng.random() < 0.75 else (375, 500)
        scale = max(width / source.width, height / source.height) * rng.uniform(1.0, 1.6)
        resized = source.resize((max(width, round(source.width * scale)), max(height, round(source.height * scale))), Image.BILINEAR)
        left = rng.randint(0, resized.width - width)
        top = rng.randint(0, resized.height - height)
        view = resized.crop((left, top, left + width, top + height))
        if rng.random() < 0.5:
            view = view.transpose(Image.FLIP_LEFT_RIGHT)
        folder = os.path.join(out, "class_%d" % (n % classes))
        os.makedirs(folder, exist_ok=True)
        view.save(os.path.join(folder, "img_%05d.jpg" % n), quality=90)
    print("wrote %d JPEGs into %s" % (count, out))


if __name__ == "__main__":
    main()
