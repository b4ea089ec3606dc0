#!/usr/bin/python3
"""Writes the image-decoding fixtures for tests/AlexNet.Imaging.Tests.

Run with Debian's Python (PIL 9.4, skimage):  /usr/bin/python3 tests/make_imaging_fixtures.py

Small images made from skimage's bundled photographs and from synthetic arrays, encoded by PIL in
every variant the decoder supports, plus corrupt files. For every decodable file the expected
pixels are written as raw bytes (HWC, 8-bit): `<name>.rgb` (what PIL's `Image.open(f).convert('RGB')`
gives) and `<name>.l` (`.convert('L')`). `manifest.json` lists them with the PIL version, and, where
exact parity with PIL is impossible or PIL is wrong, the rule used instead and the tolerance.

Re-running gives byte-identical files (fixed seeds, fixed zlib levels, sorted JSON).
"""
import io
import json
import os
import struct
import warnings
import zlib

import numpy as np
import PIL
import skimage
import skimage.data
from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "AlexNet.Imaging.Tests", "Fixtures")

entries = []
bad = []


def photo(name, size, box=None):
    """A skimage photograph, optionally cropped to box, resized to size (w, h) with PIL's Lanczos."""
    im = Image.fromarray(getattr(skimage.data, name)())
    if box is not None:
        im = im.crop(box)
    return im.resize(size, Image.LANCZOS)


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def add(name, data, expected_rgb=None, expected_l=None, tolerance=0, rule=None):
    """Writes an encoded fixture and PIL's decoded pixels (or the stated rule's, when given)."""
    write(name, data)
    pil = Image.open(io.BytesIO(data))
    rgb = np.asarray(pil.convert("RGB")) if expected_rgb is None else expected_rgb
    lum = np.asarray(Image.open(io.BytesIO(data)).convert("L")) if expected_l is None else expected_l
    h, w = rgb.shape[:2]
    assert rgb.shape == (h, w, 3) and lum.shape == (h, w), (name, rgb.shape, lum.shape)
    write(name + ".rgb", np.ascontiguousarray(rgb, dtype=np.uint8).tobytes())
    write(name + ".l", np.ascontiguousarray(lum, dtype=np.uint8).tobytes())
    entry = {"name": name, "width": w, "height": h, "pil_mode": pil.mode,
             "rgb": name + ".rgb", "l": name + ".l", "tolerance": tolerance}
    if rule is not None:
        entry["rule"] = rule
    entries.append(entry)


def add_bad(name, data, reason):
    write(name, data)
    bad.append({"name": name, "reason": reason})


def encode(im, fmt, **kw):
    b = io.BytesIO()
    im.save(b, fmt, **kw)
    return b.getvalue()


def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png16(arr, color_type):
    """A hand-written 16-bit PNG (PIL 9.4 cannot write 16-bit RGB): filter 0 rows, zlib level 9."""
    h, w = arr.shape[:2]
    rows = arr.reshape(h, -1).astype(">u2").tobytes()
    stride = len(rows) // h
    raw = b"".join(b"\x00" + rows[y * stride:(y + 1) * stride] for y in range(h))
    ihdr = struct.pack(">IIBBBBB", w, h, 16, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(raw, 9))
            + png_chunk(b"IEND", b""))


def to8(v):
    """The decoder's 16 -> 8 bit rule: round(v / 257), i.e. (v * 255 + 32767) // 65535 (libpng's)."""
    return ((v.astype(np.int64) * 255 + 32767) // 65535).astype(np.uint8)


def luma(rgb):
    """PIL 9.4's RGB -> L (Convert.c L24): (R*19595 + G*38470 + B*7471 + 0x8000) >> 16."""
    r = rgb.astype(np.int64)
    return ((r[..., 0] * 19595 + r[..., 1] * 38470 + r[..., 2] * 7471 + 0x8000) >> 16).astype(np.uint8)


def main():
    # PIL warns that palette + byte transparency "should be converted to RGBA"; that file is the point.
    warnings.filterwarnings("ignore", message="Palette images with Transparency")
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    rng = np.random.default_rng(20240601)

    # Odd sizes on purpose: chroma subsampling edges and row padding.
    astronaut = photo("astronaut", (97, 71), box=(100, 0, 412, 230))
    coffee = photo("coffee", (120, 80))
    chelsea = photo("chelsea", (101, 67))
    camera = photo("camera", (96, 96))
    rocket = photo("rocket", (64, 43))

    # JPEG variants
    add("astronaut_420.jpg", encode(astronaut, "JPEG", quality=90, subsampling=2))
    add("coffee_444.jpg", encode(coffee, "JPEG", quality=92, subsampling=0))
    add("chelsea_422.jpg", encode(chelsea, "JPEG", quality=85, subsampling=1))
    add("chelsea_progressive.jpg", encode(chelsea, "JPEG", quality=88, progressive=True))
    add("camera_gray.jpg", encode(camera, "JPEG", quality=90))
    # PIL writes CMYK JPEGs with an Adobe marker and inverted values ("CMYK;I") and reads them back
    # the same way; convert('RGB') then applies its own CMYK -> RGB formula.
    add("rocket_cmyk.jpg", encode(rocket.convert("CMYK"), "JPEG", quality=90))
    add("synthetic_cmyk.jpg", encode(Image.fromarray(rng.integers(0, 256, (24, 40, 4), dtype=np.uint8), "CMYK"),
                                     "JPEG", quality=95))
    add("pixel_1x1.jpg", encode(Image.new("RGB", (1, 1), (200, 30, 90)), "JPEG", quality=95))

    # PNG variants
    add("astronaut_rgb.png", encode(astronaut, "PNG"))
    alpha = np.tile(np.linspace(0, 255, chelsea.width).astype(np.uint8), (chelsea.height, 1))
    rgba = np.dstack([np.asarray(chelsea), alpha])
    add("chelsea_rgba.png", encode(Image.fromarray(rgba, "RGBA"), "PNG"))
    pal = coffee.quantize(colors=64, method=Image.MEDIANCUT, dither=Image.NONE)
    add("coffee_palette.png", encode(pal, "PNG"))
    add("coffee_palette_trns.png", encode(pal, "PNG", transparency=bytes(range(0, 256, 4))))
    add("camera_gray.png", encode(camera, "PNG"))
    la = np.dstack([np.asarray(camera), np.asarray(camera)[::-1, ::-1]])
    add("camera_gray_alpha.png", encode(Image.fromarray(la, "LA"), "PNG"))
    add("camera_1bit.png", encode(camera.convert("1"), "PNG"))
    add("pixel_1x1.png", encode(Image.new("RGB", (1, 1), (200, 30, 90)), "PNG"))

    # 16-bit PNGs. PIL 9.4 reads 16-bit RGB/RGBA/LA by keeping the high byte (v >> 8); libpng's
    # simplified API scales with rounding, round(v / 257): they differ by at most 1.
    base16 = np.asarray(astronaut).astype(np.uint16) * 257 + rng.integers(0, 257, (71, 97, 3), dtype=np.uint16)
    add("astronaut_rgb16.png", png16(base16, 2), tolerance=1,
        rule="16-bit: decoder uses round(v/257), PIL 9.4 uses v>>8; differ by <= 1")
    a16 = np.dstack([base16, rng.integers(0, 65536, (71, 97, 1), dtype=np.uint16)])
    add("astronaut_rgba16.png", png16(a16, 6), tolerance=1,
        rule="16-bit: decoder uses round(v/257), PIL 9.4 uses v>>8; differ by <= 1")
    la16 = np.dstack([np.asarray(camera).astype(np.uint16) * 257 + 128,
                      rng.integers(0, 65536, (96, 96), dtype=np.uint16)])
    add("camera_gray_alpha16.png", png16(la16, 4), tolerance=1,
        rule="16-bit: decoder uses round(v/257), PIL 9.4 uses v>>8; differ by <= 1")
    # 16-bit grey: PIL 9.4 opens it as mode 'I' and convert('L'/'RGB') CLIPS to 0..255, so nearly the
    # whole image turns white. That is a PIL bug, not a reference: the expected pixels are round(v/257).
    grey16 = np.tile(np.arange(0, 65536, 331, dtype=np.uint16)[:180], (33, 1))
    grey16[:, ::7] = np.arange(33, dtype=np.uint16)[:, None] * 7  # a few dark values PIL keeps
    g16 = png16(grey16, 0)
    assert Image.open(io.BytesIO(g16)).mode == "I"
    assert np.asarray(Image.open(io.BytesIO(g16)).convert("L")).max() == 255  # the clipping
    assert (np.asarray(Image.open(io.BytesIO(g16)).convert("L")) == np.minimum(grey16, 255)).all()
    g8 = to8(grey16)
    add("gradient_gray16.png", g16, expected_rgb=np.dstack([g8, g8, g8]), expected_l=g8,
        rule="16-bit grey: round(v/257); PIL 9.4 clips mode I to 0..255 (wrong)")

    # Sanity: the RGB -> L formula the decoder uses is PIL's.
    assert (luma(np.asarray(astronaut)) == np.asarray(astronaut.convert("L"))).all()

    # Pixel-limit headers: tiny files whose headers claim 20000 x 20000.
    ihdr = struct.pack(">IIBBBBB", 20000, 20000, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64, 9)
    write("huge_20000.png", b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat)
          + png_chunk(b"IEND", b""))
    small = bytearray(encode(Image.new("RGB", (8, 8), (10, 20, 30)), "JPEG", quality=90))
    sof = small.index(b"\xff\xc0")
    small[sof + 5:sof + 9] = struct.pack(">HH", 20000, 20000)  # SOF0: length, precision, height, width
    write("huge_20000.jpg", bytes(small))

    # Corrupt and foreign files.
    jpg = encode(coffee, "JPEG", quality=90)
    add_bad("truncated.jpg", jpg[:len(jpg) // 2], "truncated JPEG (half the entropy-coded data)")
    png = encode(coffee, "PNG")
    add_bad("truncated.png", png[:len(png) // 2], "truncated PNG (IDAT cut in half)")
    crc = bytearray(png)
    crc[33 + 8 + 40] ^= 0xFF  # a byte inside the first IDAT's data: zlib or CRC error
    add_bad("bad_idat.png", bytes(crc), "PNG with a corrupted IDAT byte")
    add_bad("empty.jpg", b"", "zero bytes")
    add_bad("text.jpg", b"This is not an image, just a text file renamed to .jpg.\n", "text file")
    add_bad("image.bmp", encode(Image.new("RGB", (4, 4), (1, 2, 3)), "BMP"), "BMP, another format")
    add_bad("header_only.jpg", b"\xff\xd8\xff\xe0", "JPEG magic, then nothing")

    manifest = {"pil_version": PIL.__version__, "skimage_version": skimage.__version__,
                "numpy_version": np.__version__, "images": entries, "corrupt": bad,
                "huge": ["huge_20000.png", "huge_20000.jpg"]}
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"{len(entries)} images, {len(bad)} corrupt files, {total} bytes in {OUT}")


if __name__ == "__main__":
    main()
