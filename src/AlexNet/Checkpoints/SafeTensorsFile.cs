using System.Buffers.Binary;
using System.Text.Json;
using AlexNet.Tensors;

namespace AlexNet.Checkpoints;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a UTF-8 JSON header mapping each tensor
/// name to its dtype, shape and byte range (plus an optional <c>__metadata__</c> map of strings), then the raw
/// little-endian data. Only float32 is written; float32, float64, float16 and bfloat16 are read (converted to
/// float32, as PyTorch writes half-precision weights).
/// </summary>
public sealed class SafeTensorsFile
{
    private const string MetadataKey = "__metadata__";
    private const long MaxHeaderBytes = 100L << 20;

    public SafeTensorsFile(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>Tensors in the order of the file's header.</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public Tensor this[string name] =>
        Tensors.TryGetValue(name, out var t) ? t : throw new AlexNetException($"Tensor '{name}' is not in the file.");

    public static SafeTensorsFile Read(string path)
    {
        var bytes = UserFiles.Run($"read '{path}'", () => File.ReadAllBytes(path));
        return Parse(bytes, path);
    }

    public static SafeTensorsFile Parse(ReadOnlySpan<byte> bytes, string sourceName)
    {
        if (bytes.Length < 8) throw Malformed(sourceName, "shorter than the 8-byte header length");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || (long)headerLength > bytes.Length - 8)
        {
            throw Malformed(sourceName, $"header length {headerLength} does not fit the file of {bytes.Length} bytes");
        }
        var data = bytes[(8 + (int)headerLength)..];
        // JsonDocument checks UTF-8 only when a string is read; check it here so that a bad byte is a bad file.
        if (!System.Text.Unicode.Utf8.IsValid(bytes.Slice(8, (int)headerLength))) throw Malformed(sourceName, "header is not valid UTF-8");
        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(bytes.Slice(8, (int)headerLength).ToArray());
        }
        catch (JsonException e)
        {
            throw Malformed(sourceName, "header is not valid JSON: " + e.Message);
        }
        using (header)
        {
            if (header.RootElement.ValueKind != JsonValueKind.Object) throw Malformed(sourceName, "header is not a JSON object");
            var tensors = new Dictionary<string, Tensor>();
            var metadata = new Dictionary<string, string>();
            long claimed = 0;
            foreach (var entry in header.RootElement.EnumerateObject())
            {
                if (entry.Name == MetadataKey)
                {
                    foreach (var m in entry.Value.EnumerateObject())
                    {
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText();
                    }
                    continue;
                }
                tensors[entry.Name] = ReadTensor(entry, data, sourceName, ref claimed);
            }
            return new SafeTensorsFile(tensors, metadata);
        }
    }

    /// <summary>
    /// One tensor, converted to float32. <paramref name="claimed"/> adds up the data bytes of the tensors read so far: ranges
    /// that overlap could otherwise turn a small file into many full copies of its data, so together they may not claim
    /// more bytes than the file holds.
    /// </summary>
    private static Tensor ReadTensor(JsonProperty entry, ReadOnlySpan<byte> data, string sourceName, ref long claimed)
    {
        var name = entry.Name;
        try
        {
            var dtype = entry.Value.GetProperty("dtype").GetString();
            var dims = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var shape = new Shape(dims);
            var elementSize = dtype switch
            {
                "F32" => 4,
                "F64" => 8,
                "F16" or "BF16" => 2,
                _ => throw Malformed(sourceName, $"tensor '{name}' has dtype {dtype}; only F32, F64, F16 and BF16 are supported"),
            };
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > data.Length)
            {
                throw Malformed(sourceName, $"tensor '{name}' has data offsets [{string.Join(", ", offsets)}] outside the {data.Length} data bytes");
            }
            if (offsets[1] - offsets[0] != shape.ElementCount * elementSize)
            {
                throw Malformed(sourceName, $"tensor '{name}' of shape {shape} and dtype {dtype} needs {shape.ElementCount * elementSize} bytes, the offsets give {offsets[1] - offsets[0]}");
            }
            claimed += offsets[1] - offsets[0];
            if (claimed > data.Length)
            {
                throw Malformed(sourceName, $"tensor '{name}' and those before it claim {claimed} bytes of the {data.Length} data bytes: their ranges overlap");
            }
            var raw = data[(int)offsets[0]..(int)offsets[1]];
            var tensor = new Tensor(shape);
            for (var i = 0; i < tensor.Length; i++)
            {
                var element = raw.Slice(i * elementSize, elementSize);
                tensor.Data[i] = dtype switch
                {
                    "F32" => BinaryPrimitives.ReadSingleLittleEndian(element),
                    "F64" => (float)BinaryPrimitives.ReadDoubleLittleEndian(element),
                    "F16" => HalfPrecision.ReadFloat16(element),
                    _ => HalfPrecision.ReadBFloat16(element),
                };
            }
            return tensor;
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw Malformed(sourceName, $"tensor '{name}' has a malformed header entry ({e.Message})");
        }
    }

    /// <summary>Writes the file atomically: to a temporary file beside the target, then renamed over it.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var list = tensors.ToList();
        using var headerJson = new MemoryStream();
        using (var writer = new Utf8JsonWriter(headerJson))
        {
            writer.WriteStartObject();
            writer.WriteStartObject(MetadataKey);
            foreach (var (key, value) in metadata) writer.WriteString(key, value);
            writer.WriteEndObject();
            long offset = 0;
            foreach (var (name, tensor) in list)
            {
                writer.WriteStartObject(name);
                writer.WriteString("dtype", "F32");
                writer.WriteStartArray("shape");
                foreach (var d in tensor.Shape.Dimensions) writer.WriteNumberValue(d);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                offset += tensor.Length * 4L;
                writer.WriteNumberValue(offset);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
        var headerBytes = headerJson.ToArray().AsEnumerable();
        var padding = (8 - (int)(headerJson.Length % 8)) % 8;
        var header = headerBytes.Concat(Enumerable.Repeat((byte)' ', padding)).ToArray();

        AtomicFile.Write(path, stream =>
        {
            Span<byte> lengthBytes = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(lengthBytes, (ulong)header.Length);
            stream.Write(lengthBytes);
            stream.Write(header);
            var buffer = new byte[1 << 16];
            foreach (var (_, tensor) in list)
            {
                var values = tensor.Data;
                for (var start = 0; start < values.Length; start += buffer.Length / 4)
                {
                    var count = Math.Min(buffer.Length / 4, values.Length - start);
                    for (var i = 0; i < count; i++) BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * 4), values[start + i]);
                    stream.Write(buffer, 0, count * 4);
                }
            }
        });
    }

    private static AlexNetException Malformed(string source, string what) =>
        new($"'{source}' is not a valid safetensors file: {what}.");

    public override string ToString() => $"SafeTensorsFile({Tensors.Count} tensors, {Metadata.Count} metadata entries)";
}
