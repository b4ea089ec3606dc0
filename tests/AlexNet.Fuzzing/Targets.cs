using System.Formats.Tar;
using AlexNet.Checkpoints;
using AlexNet.Data.Sources;
using AlexNet.Imaging;
using AlexNet.Interop;

namespace AlexNet.Fuzzing;

/// <summary>
/// Every format the toolkit reads from users, each with its seeds, the call a command makes to read it, and the
/// allocation it may cost. Bounds are stated as a multiple of the mutant's size plus a constant: what the
/// reader keeps (the file, the values decoded from it, the structures around them) and the fixed cost of a call.
/// </summary>
internal static class Targets
{
    private const long MiB = 1 << 20;

    /// <summary>deflate cannot inflate more than 1032 bytes from one (RFC 1951's longest match in the shortest code).</summary>
    public const long DeflateRatio = 1032;

    public static IReadOnlyList<FuzzTarget> All(string scratch) =>
    [
        Safetensors(), SafetensorsImport(), PyTorchZip(), PyTorchPickle(), Caffe(), Numpy(), Idx(), CifarBinary(), CifarPython(), CifarArchive(),
        Csv(), JsonMaps(), Jpeg(), Png(),
    ];

    private static FuzzTarget Safetensors() => new("safetensors", [FuzzFile.Plain("model.safetensors", Seeds.Checkpoint())],
        _ => { },
        (folder, _) =>
        {
            Checkpoint.Load(Path.Combine(folder, "model.safetensors"));
            return null;
        },
        size => 16 * size + 8 * MiB, "16 × size + 8 MiB");

    private static FuzzTarget SafetensorsImport() => Import("safetensors-import", "torchvision_reduced_f16.safetensors", classes: false);

    private static FuzzTarget PyTorchZip() => Import("pytorch-zip", "paper_reduced.pth", classes: true);

    /// <summary>The pickle inside a torch.save archive, mutated and zipped again so that mutants get past the zip layer.</summary>
    private static FuzzTarget PyTorchPickle()
    {
        var archive = Seeds.Read("paper_reduced.pth");
        const string entry = "paper_reduced/data.pkl";
        var pickle = Containers.ZipEntry(archive, entry);
        var file = new FuzzFile("model.pth", pickle, inner => Containers.ReplaceZipEntry(archive, entry, inner), "data.pkl");
        return Import("pytorch-pickle", file, classes: true);
    }

    private static FuzzTarget Caffe() =>
        Import("caffe", FuzzFile.Plain("model.caffemodel", Seeds.Read("caffe_v1.caffemodel")), classes: false,
            more: [FuzzFile.Plain("model.caffemodel", Seeds.Read("caffenet.caffemodel"))]);

    /// <summary>
    /// bvlc_alexnet.npy at reduced widths (20 classes), as Python 2's pickle wrote it and as numpy.save does; the pickle
    /// after the .npy header is also mutated on its own, the header put back in front, so that mutants reach it.
    /// </summary>
    private static FuzzTarget Numpy()
    {
        var python2 = Seeds.Read("bvlc_reduced.npy");
        var headerLength = 10 + System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(python2.AsSpan(8));
        var (header, pickle) = (python2[..headerLength], python2[headerLength..]);
        return Import("numpy", FuzzFile.Plain("model.npy", python2), classes: true, classCount: 20,
            more: [FuzzFile.Plain("model.npy", Seeds.Read("bvlc_reduced_np_save.npy")), new FuzzFile("model.npy", pickle, inner => [.. header, .. inner], "pickle")]);
    }

    private static FuzzTarget Import(string name, string seed, bool classes) =>
        Import(name, FuzzFile.Plain("model" + Path.GetExtension(seed), Seeds.Read(seed)), classes);

    /// <summary>alexnet import: reads the weights, builds the network, writes the checkpoint only when every check passed.</summary>
    private static FuzzTarget Import(string name, FuzzFile file, bool classes, int classCount = 10, FuzzFile[]? more = null) => new(name,
        [file, .. more ?? []],
        folder => File.WriteAllLines(Path.Combine(folder, "classes.txt"), Enumerable.Range(0, classCount).Select(i => $"class{i}")),
        (folder, path) =>
        {
            var output = Path.Combine(folder, "out", "imported.safetensors");
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            ModelImporter.ImportToFile(new ImportOptions(path, ClassesFile: classes ? Path.Combine(folder, "classes.txt") : null), output);
            return output;
        },
        size => 24 * size + 16 * MiB, "24 × size + 16 MiB");

    private static FuzzTarget Idx()
    {
        var images = Seeds.Idx([3, 5, 4], i => (byte)(i * 13));
        var labels = Seeds.Idx([3], i => (byte)(i * 4));
        return new FuzzTarget("idx",
        [
            FuzzFile.Plain("train-images-idx3-ubyte", images),
            FuzzFile.Plain("train-labels-idx1-ubyte", labels),
            new FuzzFile("train-images-idx3-ubyte", images, Containers.Gzip, "gzip content"),
            new FuzzFile("train-labels-idx1-ubyte", labels, Containers.Gzip, "gzip content"),
        ],
        folder =>
        {
            File.WriteAllBytes(Path.Combine(folder, "train-images-idx3-ubyte"), images);
            File.WriteAllBytes(Path.Combine(folder, "train-labels-idx1-ubyte"), labels);
        },
        (folder, _) =>
        {
            var source = IdxSource.Open(Path.Combine(folder, "train-images-idx3-ubyte"), Path.Combine(folder, "train-labels-idx1-ubyte"));
            for (var i = 0; i < source.Count; i++) source.Load(i, 3);
            return null;
        },
        size => 8 * size + 2 * MiB, "8 × size (inflated size for gzip) + 2 MiB");
    }

    private static readonly string[] CifarFolders = ["cifar-10-batches-bin", "cifar-10-batches-py", "cifar-100-binary", "cifar-100-python"];

    private static FuzzTarget CifarBinary() => CifarFolder("cifar-binary",
        ["cifar-10-batches-bin/data_batch_2.bin", "cifar-10-batches-bin/test_batch.bin", "cifar-10-batches-bin/batches.meta.txt",
         "cifar-100-binary/train.bin", "cifar-100-binary/coarse_label_names.txt"]);

    private static FuzzTarget CifarPython() => CifarFolder("cifar-python",
        ["cifar-10-batches-py/data_batch_3", "cifar-10-batches-py/test_batch", "cifar-10-batches-py/batches.meta",
         "cifar-100-python/train", "cifar-100-python/meta"],
        ("cifar-10-batches-py/test_batch", "numpy_protocols/test_batch_protocol2"),
        ("cifar-10-batches-py/test_batch", "numpy_protocols/test_batch_protocol5"));

    /// <summary>A CIFAR folder with one file mutated; every image is then read.</summary>
    private static FuzzTarget CifarFolder(string name, string[] files, params (string Target, string Seed)[] extra) => new(name,
        files.Select(file => FuzzFile.Plain(file, Seeds.Read(Path.Combine("Cifar", file))))
            .Concat(extra.Select(e => FuzzFile.Plain(e.Target, Seeds.Read(Path.Combine("Cifar", e.Seed))))).ToList(),
        folder =>
        {
            foreach (var set in CifarFolders)
            {
                Directory.CreateDirectory(Path.Combine(folder, set));
                foreach (var file in Directory.GetFiles(Path.Combine(Seeds.Folder, "Cifar", set))) File.Copy(file, Path.Combine(folder, set, Path.GetFileName(file)));
            }
        },
        (folder, path) =>
        {
            var set = Path.GetDirectoryName(path)!;
            TouchAll(CifarData.Open(set, set.Contains("cifar-100", StringComparison.Ordinal) ? CifarLabels.Coarse : CifarLabels.Fine));
            return null;
        },
        size => 6 * size + 4 * MiB, "6 × size + 4 MiB");

    /// <summary>The downloaded archives, mutated as compressed bytes, as a tar (gzipped again) and as one entry (archived again).</summary>
    private static FuzzTarget CifarArchive()
    {
        var files = new List<FuzzFile>();
        foreach (var (archive, entry) in new[] { ("cifar-10-python.tar.gz", "data_batch_1"), ("cifar-100-binary.tar.gz", "test.bin"), ("cifar-10-binary.tar.gz", "batches.meta.txt") })
        {
            var gz = Seeds.Read(Path.Combine("Cifar", archive));
            var tar = Containers.Gunzip(gz);
            var entries = Containers.TarEntries(tar);
            var index = entries.FindIndex(e => e.Name.EndsWith("/" + entry, StringComparison.Ordinal));
            files.Add(FuzzFile.Plain(archive, gz));
            files.Add(new FuzzFile(archive, tar, Containers.Gzip, "tar"));
            files.Add(new FuzzFile(archive, entries[index].Content, inner =>
            {
                var copy = entries.ToList();
                copy[index] = (copy[index].Name, copy[index].Type, inner);
                return Containers.Gzip(Containers.Tar(copy));
            }, "tar entry " + entry));
        }
        return new FuzzTarget("cifar-archive", files, _ => { },
            (_, path) =>
            {
                TouchAll(CifarData.Open(path));
                return null;
            },
            // Memory follows the inflated data (the reader never sizes buffers from headers): bound it by that.
            inflated => 6 * inflated + 8 * MiB, "6 × inflated size (≤ 1032 × size) + 8 MiB");
    }

    private static FuzzTarget Csv()
    {
        var pandas = ",filename,label,split\n0,images/n02091244_1234.JPEG,3,train\n1,\"images/b, c.jpg\",1,val\n2,images/c.png,1,test\n"u8.ToArray();
        var wordNet = "filename,split\nn02091244_1.JPEG,train\ntrain/n01440764_2.JPEG,val\n"u8.ToArray();
        var plain = "path,label\na.jpg,cat\n\"b \"\"x\"\".jpg\",dog\n"u8.ToArray();
        return new FuzzTarget("csv", [FuzzFile.Plain("list.csv", pandas), FuzzFile.Plain("list.csv", wordNet), FuzzFile.Plain("list.csv", plain)], _ => { },
            (_, path) =>
            {
                var set = DataSetDetector.Open(path, new NativeImageDecoder());
                foreach (var split in new[] { set.Train, set.Validation, set.Test }) GC.KeepAlive(split?.ClassNames);
                return null;
            },
            size => 64 * size + 2 * MiB, "64 × size + 2 MiB");
    }

    private static FuzzTarget JsonMaps()
    {
        var labels = """{"img_001": "cat", "img_002": "dog", "img_003": "cat", "img\u00e9": "bird"}"""u8.ToArray();
        var index = """{"bird": 0, "cat": 1, "dog": 2}"""u8.ToArray();
        return new FuzzTarget("json", [FuzzFile.Plain("image_labels.json", labels), FuzzFile.Plain("label_index.json", index)],
            folder =>
            {
                File.WriteAllBytes(Path.Combine(folder, "image_labels.json"), labels);
                File.WriteAllBytes(Path.Combine(folder, "label_index.json"), index);
            },
            (folder, _) =>
            {
                SeedJsonMaps.Read(Path.Combine(folder, "image_labels.json"), Path.Combine(folder, "label_index.json"));
                return null;
            },
            size => 64 * size + 2 * MiB, "64 × size + 2 MiB");
    }

    private static FuzzTarget Jpeg() => Image("jpeg", ["chelsea_422.jpg", "chelsea_progressive.jpg", "camera_gray.jpg", "rocket_cmyk.jpg"],
        size => 8 * 512 * size + 2 * MiB, "8 bytes × 512 pixels per byte × size + 2 MiB");

    private static FuzzTarget Png() => Image("png", ["camera_1bit.png", "coffee_palette_trns.png", "gradient_gray16.png", "camera_gray.png"],
        size => 4 * 8 * DeflateRatio * size + 2 * MiB, "4 bytes × 8 pixels per inflated byte × 1032 × size + 2 MiB");

    /// <summary>Decoding as every command does (NativeImageDecoder), to RGB.</summary>
    private static FuzzTarget Image(string name, string[] seeds, Func<long, long> bound, string boundText) => new(name,
        seeds.Select(seed => FuzzFile.Plain("image" + Path.GetExtension(seed), Seeds.Read(seed))).ToList(), _ => { },
        (_, path) =>
        {
            new NativeImageDecoder().Load(path, 3);
            return null;
        },
        bound, boundText);

    private static void TouchAll(DataSet set)
    {
        foreach (var split in new[] { set.Train, set.Validation, set.Test })
        {
            for (var i = 0; split is not null && i < split.Count; i++) split.Load(i, 3);
        }
    }
}
