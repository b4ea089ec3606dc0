using AlexNet.Interop.Caffe;
using AlexNet.Pickle;
using AlexNet.Models;
using AlexNet.Tensors;

namespace AlexNet.Interop.Numpy;

/// <summary>
/// Caffe's bvlc_alexnet weights as converted for TensorFlow (<c>bvlc_alexnet.npy</c>: <c>np.save</c> of a dict
/// mapping conv1…conv5, fc6…fc8 to [weights, biases]) onto the <c>caffe</c> architecture. TensorFlow's layouts are
/// turned back into Caffe's: convolution kernels (height, width, in/groups, out) into (out, in/groups, height,
/// width), the grouped conv2/4/5 already holding the two groups' kernels side by side along "out"; fully
/// connected weights (in, out) into (out, in), where fc6's inputs come in TensorFlow's (height, width, channel)
/// flattening of pool5 and are reordered to Caffe's (channel, height, width). Input channels stay BGR.
/// </summary>
internal static class TensorFlowCaffeImporter
{
    private static readonly string[] Convolutions = ["conv1", "conv2", "conv3", "conv4", "conv5"];
    private static readonly string[] Linears = ["fc6", "fc7", "fc8"];

    public static Network Import(object? root, Architecture? requested, string source)
    {
        if (requested is not (null or Architecture.Caffe))
        {
            throw new AlexNetException($"'{source}' holds Caffe's bvlc_alexnet weights for TensorFlow: import it as caffe, not {requested.Value.ToName()}.");
        }
        var layers = root as PickleDict ?? throw new AlexNetException(
            $"'{source}' is a .npy file but not a dict of layer weights (it holds {root?.ToString() ?? "None"}); expected conv1…conv5 and fc6…fc8 → [weights, biases].");
        var problems = new List<string>();
        var unknown = layers.Entries.Select(e => e.Key.ToString()!).Where(k => !Convolutions.Contains(k) && !Linears.Contains(k)).ToList();
        if (unknown.Count > 0) problems.Add($"layers AlexNet does not have: {string.Join(", ", unknown.Select(k => $"'{k}'"))}");
        var arrays = new Dictionary<string, (float[] Values, int[] Shape)>();
        var owners = new Dictionary<byte[], string>(ReferenceEqualityComparer.Instance);
        foreach (var name in Convolutions.Concat(Linears))
        {
            if (!layers.TryGet(name, out var entry)) { problems.Add($"missing layer '{name}'"); continue; }
            var pair = entry switch { List<object?> list => list, object?[] tuple => tuple.ToList(), _ => null };
            if (pair is not { Count: 2 }) { problems.Add($"'{name}' is not a [weights, biases] pair"); continue; }
            var rank = name.StartsWith("conv", StringComparison.Ordinal) ? 4 : 2;
            Add(name + ".weight", pair[0], rank, arrays, owners, problems);
            Add(name + ".bias", pair[1], 1, arrays, owners, problems);
        }
        if (problems.Count > 0) throw Problems(source, problems);

        var tensors = new Dictionary<string, Tensor>();
        foreach (var name in Convolutions) tensors[name + ".weight"] = KernelsToOihw(arrays[name + ".weight"]);
        var conv5Out = arrays["conv5.weight"].Shape[3];
        tensors["fc6.weight"] = Fc6ToCaffeOrder(arrays["fc6.weight"], conv5Out, problems);
        foreach (var name in new[] { "fc7", "fc8" }) tensors[name + ".weight"] = Transpose(arrays[name + ".weight"]);
        foreach (var name in Convolutions.Concat(Linears)) tensors[name + ".bias"] = new Tensor(new Shape(arrays[name + ".bias"].Shape), arrays[name + ".bias"].Values);
        if (problems.Count > 0) throw Problems(source, problems);

        return CaffeImporter.Build(Architecture.Caffe, tensors, source);
    }

    /// <summary>
    /// Converts one array. A pickle can name one array's bytes (or the array itself) under several keys through its memo;
    /// np.save never does, and reading them once per key would multiply the file, so <paramref name="owners"/> refuses it.
    /// </summary>
    private static void Add(string key, object? value, int rank, Dictionary<string, (float[], int[])> arrays, Dictionary<byte[], string> owners,
        List<string> problems)
    {
        if (value is not NpyObject { Objects: null, Numbers: var array }) { problems.Add($"'{key}' is {value?.ToString() ?? "None"}, not a numpy array of numbers"); return; }
        if (array.Shape.Length != rank) { problems.Add($"'{key}' has shape ({string.Join(", ", array.Shape)}), expected {rank} dimensions"); return; }
        if (array.Data.Length > 0 && !owners.TryAdd(array.Data, key)) { problems.Add($"'{key}' holds the same data as '{owners[array.Data]}'"); return; }
        var values = Floats(array, out var problem);
        if (values is null) problems.Add($"'{key}' {problem}");
        else arrays[key] = (values, array.Shape);
    }

    /// <summary>A float32 or float64 array's values as float32, in C order; null with the reason for anything else.</summary>
    private static float[]? Floats(NumpyArray array, out string? problem)
    {
        problem = array.FortranOrder ? "is stored in Fortran order" : array.Dtype is not { Kind: 'f', ItemSize: 4 or 8 } ? $"has dtype {array.Dtype}, not float32 or float64" : null;
        if (problem is not null) return null;
        var (size, big) = (array.Dtype!.ItemSize, array.Dtype.ByteOrder == '>');
        var values = new float[array.ElementCount];
        for (var i = 0; i < values.Length; i++)
        {
            var bytes = array.Data.AsSpan(i * size, size);
            values[i] = size == 4
                ? big ? System.Buffers.Binary.BinaryPrimitives.ReadSingleBigEndian(bytes) : System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(bytes)
                : (float)(big ? System.Buffers.Binary.BinaryPrimitives.ReadDoubleBigEndian(bytes) : System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(bytes));
        }
        return values;
    }

    /// <summary>(R, S, C, K) → (K, C, R, S).</summary>
    private static Tensor KernelsToOihw((float[] Values, int[] Shape) kernels)
    {
        var (r, s, c, k) = (kernels.Shape[0], kernels.Shape[1], kernels.Shape[2], kernels.Shape[3]);
        var result = new Tensor(new Shape(k, c, r, s));
        for (var y = 0; y < r; y++)
            for (var x = 0; x < s; x++)
                for (var i = 0; i < c; i++)
                    for (var o = 0; o < k; o++)
                        result.Data[((o * c + i) * r + y) * s + x] = kernels.Values[((y * s + x) * c + i) * k + o];
        return result;
    }

    /// <summary>(in, out) → (out, in).</summary>
    private static Tensor Transpose((float[] Values, int[] Shape) weights)
    {
        var (inputs, outputs) = (weights.Shape[0], weights.Shape[1]);
        var result = new Tensor(new Shape(outputs, inputs));
        for (var i = 0; i < inputs; i++)
            for (var o = 0; o < outputs; o++)
                result.Data[o * inputs + i] = weights.Values[i * outputs + o];
        return result;
    }

    /// <summary>fc6's (H·W·C, out) rows in TensorFlow's flattening → (out, C·H·W) in Caffe's.</summary>
    private static Tensor Fc6ToCaffeOrder((float[] Values, int[] Shape) weights, int channels, List<string> problems)
    {
        var (inputs, outputs) = (weights.Shape[0], weights.Shape[1]);
        var plane = channels == 0 ? 0 : inputs / channels;
        var side = (int)Math.Round(Math.Sqrt(plane));
        if (channels == 0 || inputs % channels != 0 || side * side != plane)
        {
            problems.Add($"'fc6.weight' has {inputs} inputs, which is not a square of conv5's {channels} channels");
            return new Tensor(new Shape(outputs, inputs));
        }
        var result = new Tensor(new Shape(outputs, inputs));
        for (var p = 0; p < plane; p++)
            for (var c = 0; c < channels; c++)
            {
                var row = (p * channels + c) * outputs;
                var column = c * plane + p;
                for (var o = 0; o < outputs; o++) result.Data[o * inputs + column] = weights.Values[row + o];
            }
        return result;
    }

    private static AlexNetException Problems(string source, List<string> problems) =>
        new($"'{source}' does not hold bvlc_alexnet's weights for TensorFlow ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):\n  " + string.Join("\n  ", problems));
}
