"""Generate small CIFAR data sets in every form the real ones are downloaded in (tests/AlexNet.Tests/Fixtures/Cifar).

What it writes
    cifar-10-batches-bin/      data_batch_1.bin ... data_batch_5.bin (1 image each), test_batch.bin (2 images),
                               batches.meta.txt: records of 1 label byte + 3072 pixel bytes (R, G, B planes)
    cifar-10-batches-py/       data_batch_1 ... data_batch_5, test_batch, batches.meta: dicts pickled the way the
                               real files are (Python 2 cPickle, protocol 2: str keys, a uint8 numpy array rebuilt
                               by numpy.core.multiarray._reconstruct with its bytes as a Python 2 str)
    cifar-100-binary/          train.bin (3 images), test.bin (2), fine_label_names.txt, coarse_label_names.txt:
                               records of a coarse and a fine label byte + 3072 pixel bytes
    cifar-100-python/          train, test, meta: the same dicts with fine_labels and coarse_labels
    cifar-10-binary.tar.gz, cifar-10-python.tar.gz, cifar-100-binary.tar.gz, cifar-100-python.tar.gz
                               the four folders archived as the downloads are (the folder at the archive's root)
    numpy_protocols/           a CIFAR-10 batch dict pickled by this Python 3 and numpy at protocols 2 (bytes via
                               _codecs.encode), 3, 4 and 5 (numpy's _frombuffer), with numpy ints as labels at 4
    expected.json              what each set holds: labels per split, class names, and the first pixels of every
                               image in HWC order, computed here with numpy

Why
    The readers must take the files as people download them. The Python 2 style pickles are written opcode by
    opcode, because Python 3 cannot write Python 2 str values, and each is checked here by loading it with
    pickle.load(f, encoding="bytes"), as the CIFAR page's own loading code does.

How to run
    /usr/bin/python3 tests/make_cifar_fixtures.py     (Debian's python3-numpy)
"""

import io
import json
import os
import pickle
import shutil
import struct
import tarfile

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "AlexNet.Tests", "Fixtures", "Cifar")

CIFAR10_NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
FINE = ("apple aquarium_fish baby bear beaver bed bee beetle bicycle bottle bowl boy bridge bus butterfly camel can castle "
        "caterpillar cattle chair chimpanzee clock cloud cockroach couch crab crocodile cup dinosaur dolphin elephant flatfish "
        "forest fox girl hamster house kangaroo keyboard lamp lawn_mower leopard lion lizard lobster man maple_tree motorcycle "
        "mountain mouse mushroom oak_tree orange orchid otter palm_tree pear pickup_truck pine_tree plain plate poppy porcupine "
        "possum rabbit raccoon ray road rocket rose sea seal shark shrew skunk skyscraper snail snake spider squirrel streetcar "
        "sunflower sweet_pepper table tank telephone television tiger tractor train trout tulip turtle wardrobe whale "
        "willow_tree wolf woman worm").split()
COARSE = ("aquatic_mammals fish flowers food_containers fruit_and_vegetables household_electrical_devices household_furniture "
          "insects large_carnivores large_man-made_outdoor_things large_natural_outdoor_scenes large_omnivores_and_herbivores "
          "medium_mammals non-insect_invertebrates people reptiles small_mammals trees vehicles_1 vehicles_2").split()
assert len(FINE) == 100 and len(COARSE) == 20


def images(seed, count):
    """count images as N x 3072 uint8 rows (R plane, G plane, B plane), distinct per plane and position."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, size=(count, 3072), dtype=np.uint8)


class Py2Pickler:
    """Writes the protocol-2 opcodes Python 2's cPickle wrote for CIFAR's dicts (str values as BINSTRING)."""

    def __init__(self):
        self.out = bytearray(b"\x80\x02")
        self.memo = 0

    def put(self):
        self.memo += 1
        self.out += b"q" + bytes([self.memo]) if self.memo < 256 else b"r" + struct.pack("<I", self.memo)

    def string(self, data):
        data = data.encode("ascii") if isinstance(data, str) else bytes(data)
        self.out += (b"U" + bytes([len(data)])) if len(data) < 256 else (b"T" + struct.pack("<i", len(data)))
        self.out += data
        self.put()

    def integer(self, value):
        if 0 <= value < 256:
            self.out += b"K" + bytes([value])
        elif 0 <= value < 65536:
            self.out += b"M" + struct.pack("<H", value)
        else:
            self.out += b"J" + struct.pack("<i", value)

    def value(self, value):
        if isinstance(value, (str, bytes)):
            self.string(value)
        elif isinstance(value, int):
            self.integer(value)
        elif isinstance(value, list):
            self.out += b"]"
            self.put()
            if value:
                self.out += b"("
                for item in value:
                    self.value(item)
                self.out += b"e"
        elif isinstance(value, np.ndarray):
            self.array(value)
        else:
            raise TypeError(type(value))

    def array(self, array):
        assert array.dtype == np.uint8 and array.flags.c_contiguous
        self.out += b"cnumpy.core.multiarray\n_reconstruct\n"
        self.put()
        self.out += b"cnumpy\nndarray\n"
        self.put()
        self.out += b"K\x00\x85"
        self.put()
        self.string("b")
        self.out += b"\x87R"
        self.put()
        self.out += b"(K\x01"
        for d in array.shape:
            self.integer(d)
        self.out += b"\x86" if array.ndim == 2 else b"\x85"
        self.put()
        self.out += b"cnumpy\ndtype\n"
        self.put()
        self.string("u1")
        self.out += b"K\x00K\x01\x87R"
        self.put()
        self.out += b"(K\x03"
        self.string("|")
        self.out += b"NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb"
        self.out += b"\x89"
        self.string(array.tobytes())
        self.out += b"tb"

    def dump(self, mapping):
        self.out += b"}"
        self.put()
        self.out += b"("
        for key, value in mapping.items():
            self.string(key)
            self.value(value)
        self.out += b"u."
        return bytes(self.out)


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def write_py2(path, mapping):
    data = Py2Pickler().dump(mapping)
    write(path, data)
    loaded = pickle.loads(data, encoding="bytes")
    for key, value in mapping.items():
        got = loaded[key.encode()]
        if isinstance(value, np.ndarray):
            assert got.dtype == np.uint8 and (got == value).all()
        elif isinstance(value, list):
            assert got == [v.encode() if isinstance(v, str) else v for v in value]


def hwc_head(rows):
    """The first 12 values of each image in HWC order (4 pixels x RGB), as a reader must return them."""
    return [row.reshape(3, 32, 32).transpose(1, 2, 0).reshape(-1)[:12].tolist() for row in rows]


def main():
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    expected = {}

    # CIFAR-10: one image per training batch, two in the test batch.
    train10 = images(10, 5)
    test10 = images(11, 2)
    train10_labels = [3, 0, 9, 5, 1]
    test10_labels = [7, 2]
    for i in range(5):
        record = bytes([train10_labels[i]]) + train10[i].tobytes()
        write(f"{OUT}/cifar-10-batches-bin/data_batch_{i + 1}.bin", record)
        write_py2(f"{OUT}/cifar-10-batches-py/data_batch_{i + 1}", {
            "data": train10[i:i + 1], "labels": [train10_labels[i]],
            "batch_label": f"training batch {i + 1} of 5", "filenames": [f"image_{i}.png"]})
    write(f"{OUT}/cifar-10-batches-bin/test_batch.bin", b"".join(bytes([l]) + r.tobytes() for l, r in zip(test10_labels, test10)))
    write(f"{OUT}/cifar-10-batches-bin/batches.meta.txt", ("\n".join(CIFAR10_NAMES) + "\n\n").encode())
    write_py2(f"{OUT}/cifar-10-batches-py/test_batch", {
        "data": test10, "labels": test10_labels, "batch_label": "testing batch 1 of 1", "filenames": ["t0.png", "t1.png"]})
    write_py2(f"{OUT}/cifar-10-batches-py/batches.meta", {"num_cases_per_batch": 1, "label_names": CIFAR10_NAMES, "num_vis": 3072})
    expected["cifar10"] = {"classes": CIFAR10_NAMES, "train_labels": train10_labels, "test_labels": test10_labels,
                           "train_head": hwc_head(train10), "test_head": hwc_head(test10)}

    # CIFAR-100: three training images, two test images.
    train100 = images(100, 3)
    test100 = images(101, 2)
    fine_train, coarse_train = [0, 99, 42], [4, 19, 8]
    fine_test, coarse_test = [77, 3], [13, 8]
    write(f"{OUT}/cifar-100-binary/train.bin", b"".join(bytes([c, f]) + r.tobytes() for c, f, r in zip(coarse_train, fine_train, train100)))
    write(f"{OUT}/cifar-100-binary/test.bin", b"".join(bytes([c, f]) + r.tobytes() for c, f, r in zip(coarse_test, fine_test, test100)))
    write(f"{OUT}/cifar-100-binary/fine_label_names.txt", ("\n".join(FINE) + "\n").encode())
    write(f"{OUT}/cifar-100-binary/coarse_label_names.txt", ("\n".join(COARSE) + "\n").encode())
    for name, rows, fine, coarse in [("train", train100, fine_train, coarse_train), ("test", test100, fine_test, coarse_test)]:
        write_py2(f"{OUT}/cifar-100-python/{name}", {
            "filenames": [f"{name}_{i}.png" for i in range(len(fine))], "batch_label": f"{name}ing batch 1 of 1",
            "fine_labels": fine, "coarse_labels": coarse, "data": rows})
    write_py2(f"{OUT}/cifar-100-python/meta", {"fine_label_names": FINE, "coarse_label_names": COARSE})
    expected["cifar100"] = {"fine_classes": FINE, "coarse_classes": COARSE,
                            "train_fine": fine_train, "train_coarse": coarse_train, "test_fine": fine_test, "test_coarse": coarse_test,
                            "train_head": hwc_head(train100), "test_head": hwc_head(test100)}

    for folder, archive in [("cifar-10-batches-bin", "cifar-10-binary"), ("cifar-10-batches-py", "cifar-10-python"),
                            ("cifar-100-binary", "cifar-100-binary"), ("cifar-100-python", "cifar-100-python")]:
        with tarfile.open(f"{OUT}/{archive}.tar.gz", "w:gz") as tar:
            tar.add(f"{OUT}/{folder}", arcname=folder)

    # The test batch re-pickled by Python 3 and numpy at each protocol, labels as numpy ints at protocol 4.
    for protocol in (2, 3, 4, 5):
        labels = [np.int64(l) for l in test10_labels] if protocol == 4 else test10_labels
        mapping = {b"data": test10, b"labels": labels, b"batch_label": b"testing batch 1 of 1"}
        write(f"{OUT}/numpy_protocols/test_batch_protocol{protocol}", pickle.dumps(mapping, protocol=protocol))

    with open(f"{OUT}/expected.json", "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
