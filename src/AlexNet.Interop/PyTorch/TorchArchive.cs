using System.IO.Compression;
using AlexNet.Pickle;

namespace AlexNet.Interop.PyTorch;

/// <summary>
/// A torch.save file (the zip format of PyTorch ≥ 1.6): <c>PREFIX/data.pkl</c> holds the pickled object,
/// <c>PREFIX/data/KEY</c> the raw little-endian bytes of each storage, <c>PREFIX/byteorder</c> (when present)
/// says "little". The pickle is read by <see cref="RestrictedUnpickler"/>, never by Python.
/// </summary>
public sealed class TorchArchive : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly string _prefix;
    private readonly Dictionary<string, byte[]> _storages = [];
    private readonly Dictionary<string, float[]> _views = [];
    private readonly Dictionary<string, long> _bytesViewed = [];

    /// <summary>deflate cannot inflate more than 1032 bytes from one (RFC 1951's longest match in the shortest code).</summary>
    private const long DeflateRatio = 1032;

    private readonly long _fileLength;

    private TorchArchive(ZipArchive zip, string prefix, string source, long fileLength) => (_zip, _prefix, Source, _fileLength) = (zip, prefix, source, fileLength);

    public string Source { get; }

    public static TorchArchive Open(byte[] bytes, string source)
    {
        ZipArchive zip;
        ZipArchiveEntry? pickle;
        try
        {
            zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            pickle = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1);
        }
        catch (InvalidDataException e)
        {
            throw new AlexNetException($"'{source}' is not a readable PyTorch checkpoint: its zip archive is truncated or corrupt ({e.Message})", e);
        }
        if (pickle is null)
        {
            zip.Dispose();
            throw new AlexNetException($"'{source}' is a zip archive but not a torch.save checkpoint: it has no 'PREFIX/data.pkl' entry.");
        }
        var archive = new TorchArchive(zip, pickle.FullName[..^"data.pkl".Length], source, bytes.LongLength);
        if (zip.GetEntry(archive._prefix + "byteorder") is { } order)
        {
            var text = System.Text.Encoding.ASCII.GetString(archive.ReadEntry(order)).Trim();
            if (text != "little")
            {
                archive.Dispose();
                throw new AlexNetException($"'{source}' stores tensors in '{text}' byte order; only little-endian checkpoints are read.");
            }
        }
        return archive;
    }

    /// <summary>The pickled object with tensors as <see cref="TensorReference"/>s.</summary>
    public object? LoadObject()
    {
        var rules = new TorchPickleRules(Source);
        var pickle = ReadEntry(_zip.GetEntry(_prefix + "data.pkl")!);
        return new RestrictedUnpickler(pickle, Source, rules, rules).Load();
    }

    /// <summary>
    /// Copies the strided view a reference describes into a dense float32 array. The values read stay within what the
    /// storages hold: a view may not repeat elements (a stride of 0, as <c>expand</c> makes, would let a one-element
    /// storage fill a 4096 × 4096 tensor), the distinct views of one storage together may not hold more values than it
    /// has, and a view named twice (tied weights) is read once and shared.
    /// </summary>
    public float[] Materialize(TensorReference tensor, string name)
    {
        var viewKey = $"{tensor.Storage.Key}|{tensor.Storage.Type}|{tensor.Offset}|{string.Join(',', tensor.Sizes)}|{string.Join(',', tensor.Strides)}";
        if (_views.TryGetValue(viewKey, out var shared)) return shared;
        var storage = tensor.Storage;
        var bytes = Storage(storage, name);
        var elementSize = storage.Type.ElementSize();
        if (storage.Elements < 0 || storage.Elements > bytes.LongLength / elementSize)
        {
            throw new AlexNetException($"'{Source}': the storage of tensor '{name}' holds {bytes.Length} bytes, fewer than its {storage.Elements} {storage.Type} elements need.");
        }
        var sizes = tensor.Sizes;
        var strides = tensor.Strides;
        if (strides.Length != sizes.Length) throw new AlexNetException($"'{Source}': tensor '{name}' has {sizes.Length} sizes but {strides.Length} strides.");
        // The whole view must lie inside the storage, and hold no more values than it, before anything is allocated for it.
        if (tensor.Offset < 0) throw new AlexNetException($"'{Source}': tensor '{name}' has a negative storage offset.");
        long last = tensor.Offset, count = 1;
        var countsPastStorage = false;
        for (var d = 0; d < sizes.Length; d++)
        {
            if (sizes[d] < 0 || strides[d] < 0) throw new AlexNetException($"'{Source}': tensor '{name}' has a negative size or stride.");
            if (sizes[d] == 0) continue;
            if (strides[d] > (long.MaxValue - last) / sizes[d]) throw new AlexNetException($"'{Source}': tensor '{name}' has strides past any storage.");
            last += (sizes[d] - 1) * strides[d];
            countsPastStorage |= count > storage.Elements / sizes[d];
            count = countsPastStorage ? count : count * sizes[d];
        }
        if (sizes.Contains(0)) (count, countsPastStorage) = (0, false);
        if (count > 0 && last >= storage.Elements)
        {
            throw new AlexNetException($"'{Source}': tensor '{name}' reaches element {last} of a storage with {storage.Elements}.");
        }
        if (countsPastStorage || count > storage.Elements)
        {
            throw new AlexNetException(
                $"'{Source}': tensor '{name}' of size ({string.Join(", ", sizes)}) has more values than its storage's {storage.Elements} elements (a view that repeats elements is not read).");
        }
        var viewed = _bytesViewed.GetValueOrDefault(storage.Key) + count * elementSize;
        if (viewed > bytes.LongLength)
        {
            throw new AlexNetException(
                $"'{Source}': tensor '{name}' and the other views of storage 'data/{storage.Key}' hold {viewed} bytes of values, more than its {bytes.Length} (views that overlap are not read).");
        }
        _bytesViewed[storage.Key] = viewed;
        var values = Copy(tensor, bytes, count, elementSize);
        _views[viewKey] = values;
        return values;
    }

    private static float[] Copy(TensorReference tensor, byte[] bytes, long count, int elementSize)
    {
        var (sizes, strides, type) = (tensor.Sizes, tensor.Strides, tensor.Storage.Type);
        var values = new float[count];
        if (IsContiguous(sizes, strides))
        {
            var source = bytes.AsSpan((int)(tensor.Offset * elementSize), (int)(count * elementSize));
            for (var i = 0; i < values.Length; i++) values[i] = Read(source.Slice(i * elementSize, elementSize), type);
            return values;
        }
        var index = new int[sizes.Length];
        for (long i = 0; i < count; i++)
        {
            var element = tensor.Offset;
            for (var d = 0; d < sizes.Length; d++) element += index[d] * strides[d];
            values[i] = Read(bytes.AsSpan((int)(element * elementSize), elementSize), type);
            for (var d = sizes.Length - 1; d >= 0 && ++index[d] == sizes[d]; d--) index[d] = 0;
        }
        return values;
    }

    /// <summary>Row-major strides: the view is one run of the storage.</summary>
    private static bool IsContiguous(int[] sizes, long[] strides)
    {
        long expected = 1;
        for (var d = sizes.Length - 1; d >= 0; d--)
        {
            if (sizes[d] != 1 && strides[d] != expected) return false;
            expected *= sizes[d];
        }
        return true;
    }

    private static float Read(ReadOnlySpan<byte> bytes, StorageType type) => type switch
    {
        StorageType.Float32 => System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(bytes),
        StorageType.Float64 => (float)System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(bytes),
        StorageType.Float16 => Tensors.HalfPrecision.ReadFloat16(bytes),
        _ => Tensors.HalfPrecision.ReadBFloat16(bytes),
    };

    private byte[] Storage(StorageReference storage, string name)
    {
        if (_storages.TryGetValue(storage.Key, out var cached)) return cached;
        var entry = _zip.GetEntry(_prefix + "data/" + storage.Key)
            ?? throw new AlexNetException($"'{Source}' is incomplete: the storage 'data/{storage.Key}' of tensor '{name}' is missing from the archive.");
        return _storages[storage.Key] = ReadEntry(entry);
    }

    /// <summary>
    /// An entry's bytes, never more than it declares. torch.save stores entries uncompressed; a compressed entry may
    /// declare at most deflate's greatest expansion (1032 ×) of its compressed bytes, which must lie within the file.
    /// </summary>
    private byte[] ReadEntry(ZipArchiveEntry entry)
    {
        if (entry.CompressedLength > _fileLength || entry.Length > DeflateRatio * entry.CompressedLength || entry.Length > Array.MaxLength)
        {
            throw new AlexNetException(
                $"'{Source}' is corrupt: entry '{entry.FullName}' declares {entry.Length} bytes from {entry.CompressedLength} compressed, more than a {_fileLength}-byte archive can hold.");
        }
        try
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            var buffer = new byte[(int)Math.Min(entry.Length + 1, 1 << 16)];
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                if (copy.Length + read > entry.Length) throw new InvalidDataException($"it holds more than the {entry.Length} bytes it declares");
                copy.Write(buffer, 0, read);
            }
            return copy.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new AlexNetException($"'{Source}' is corrupt: entry '{entry.FullName}' cannot be read ({e.Message})", e);
        }
    }

    public void Dispose() => _zip.Dispose();
}
