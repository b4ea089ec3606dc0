using System.Globalization;
using AlexNet.Checkpoints;
using AlexNet.Interop.Caffe.Schema;
using AlexNet.Models;
using AlexNet.Tensors;

namespace AlexNet.Interop.Caffe;

/// <summary>
/// Maps a Caffe AlexNet (bvlc_alexnet or CaffeNet, V1 or current layer format) onto the <c>caffe</c> or
/// <c>caffenet</c> architecture: the five Convolution layers in order become conv1…conv5, the three
/// InnerProduct layers fc6…fc8, whatever Caffe called them. The order of the first LRN and Pooling layers
/// tells the two apart. Every layer's settings (groups, kernels, strides, padding, LRN and pooling) are
/// checked against the architecture, and all disagreements are reported at once. Weights keep Caffe's BGR
/// input-channel order; the checkpoint records BGR input so that images are fed the same way.
/// </summary>
internal static class CaffeImporter
{
    /// <summary>Layer types a deploy or train_val AlexNet contains; those without weights are left out.</summary>
    private static readonly HashSet<string> KnownTypes =
    [
        "Data", "ImageData", "MemoryData", "DummyData", "Input", "WindowData", "HDF5Data",
        "Convolution", "ReLU", "LRN", "Pooling", "InnerProduct", "Dropout", "Flatten", "Split", "Silence",
        "Softmax", "SoftmaxWithLoss", "Accuracy",
    ];

    /// <summary>AlexNet's convolutions as Caffe's bvlc_alexnet declares them: kernel, stride, pad, group.</summary>
    private static readonly (int Kernel, int Stride, int Pad, int Group)[] Convolutions =
        [(11, 4, 0, 1), (5, 1, 2, 2), (3, 1, 1, 1), (3, 1, 1, 2), (3, 1, 1, 2)];

    public static Network Import(IReadOnlyList<CaffeLayer> layers, Architecture? requested, string source)
    {
        var unknown = layers.Where(l => !KnownTypes.Contains(l.Type)).Select(l => $"'{l.Name}' ({l.Type})").ToList();
        if (unknown.Count > 0)
        {
            throw new AlexNetException($"'{source}' has layer types that AlexNet does not use: {string.Join(", ", unknown)}.");
        }
        var convolutions = layers.Where(l => l.Type == "Convolution").ToList();
        var linears = layers.Where(l => l.Type == "InnerProduct").ToList();
        var norms = layers.Where(l => l.Type == "LRN").ToList();
        var pools = layers.Where(l => l.Type == "Pooling").ToList();
        if (convolutions.Count != 5 || linears.Count != 3 || norms.Count != 2 || pools.Count != 3)
        {
            throw new AlexNetException(
                $"'{source}' is not an AlexNet: it has {convolutions.Count} Convolution, {linears.Count} InnerProduct, {norms.Count} LRN and {pools.Count} Pooling layers (AlexNet has 5, 3, 2 and 3).");
        }
        var architecture = ChooseArchitecture(layers, norms[0], pools[0], requested, source);
        var problems = new List<string>();
        for (var i = 0; i < 5; i++) CheckConvolution(convolutions[i], i, problems);
        foreach (var norm in norms) CheckLrn(norm, problems);
        foreach (var pool in pools) CheckPooling(pool, problems);
        foreach (var linear in linears)
        {
            if (linear.InnerProduct is { BiasTerm: false }) problems.Add($"layer '{linear.Name}' has no bias (bias_term: false)");
        }

        var tensors = new Dictionary<string, Tensor>();
        var ours = Enumerable.Range(1, 5).Select(i => (Layer: convolutions[i - 1], Name: $"conv{i}", Rank: 4))
            .Concat(Enumerable.Range(6, 3).Select(i => (Layer: linears[i - 6], Name: $"fc{i}", Rank: 2)));
        foreach (var (layer, name, rank) in ours) AddBlobs(layer, name, rank, tensors, problems);
        if (problems.Count > 0) throw Problems(source, architecture, problems);

        return Build(architecture, tensors, source);
    }

    /// <summary>
    /// The network whose widths, classes and input channels the named weights (conv1…conv5, fc6…fc8, PyTorch layouts)
    /// give, loaded with them: shared by the Caffe model and the TensorFlow conversion of Caffe's weights.
    /// </summary>
    internal static Network Build(Architecture architecture, Dictionary<string, Tensor> tensors, string source)
    {
        int Out(string name) => tensors[name + ".weight"].Shape[0];
        var config = new ModelConfig(architecture, Classes: Out("fc8"), InputChannels: tensors["conv1.weight"].Shape[1],
            Widths: new LayerWidths(Out("conv1"), Out("conv2"), Out("conv3"), Out("conv4"), Out("conv5"), Out("fc6")));
        Network network;
        try
        {
            network = ModelFactory.Build(config);
        }
        catch (Exception e) when (e is ArgumentException or AlexNetException)
        {
            throw new AlexNetException($"The layers in '{source}' do not make a {architecture.ToName()} network: {e.Message}", e);
        }
        Checkpoint.LoadParameters(network, tensors, source);
        return network;
    }

    private static Architecture ChooseArchitecture(IReadOnlyList<CaffeLayer> layers, CaffeLayer firstNorm, CaffeLayer firstPool, Architecture? requested, string source)
    {
        var poolFirst = IndexOf(layers, firstPool) < IndexOf(layers, firstNorm);
        var found = poolFirst ? Architecture.CaffeNet : Architecture.Caffe;
        if (requested is null || requested == found) return found;
        if (requested is not (Architecture.Caffe or Architecture.CaffeNet))
        {
            throw new AlexNetException($"'{source}' is a Caffe model: import it as caffe or caffenet, not {requested.Value.ToName()}.");
        }
        throw new AlexNetException(
            $"'{source}' has '{(poolFirst ? firstPool.Name : firstNorm.Name)}' before '{(poolFirst ? firstNorm.Name : firstPool.Name)}', the layer order of {found.ToName()}, not of {requested.Value.ToName()}.");
    }

    private static int IndexOf(IReadOnlyList<CaffeLayer> layers, CaffeLayer layer)
    {
        for (var i = 0; i < layers.Count; i++)
        {
            if (ReferenceEquals(layers[i], layer)) return i;
        }
        return -1;
    }

    private static void CheckConvolution(CaffeLayer layer, int index, List<string> problems)
    {
        var expected = Convolutions[index];
        var p = layer.Convolution;
        if (p is null) return; // A weights-only file may omit the settings; the blob shapes are still checked.
        void Check(string what, int actual, int wanted)
        {
            if (actual != wanted) problems.Add($"layer '{layer.Name}' (conv{index + 1}) has {what} {actual}, AlexNet has {wanted}");
        }
        Check("group", (int)p.Group, expected.Group);
        if (p.KernelSize.Count > 0) Check("kernel_size", (int)p.KernelSize[0], expected.Kernel);
        Check("stride", p.Stride.Count > 0 ? (int)p.Stride[0] : 1, expected.Stride);
        Check("pad", p.Pad.Count > 0 ? (int)p.Pad[0] : 0, expected.Pad);
        if (!p.BiasTerm) problems.Add($"layer '{layer.Name}' has no bias (bias_term: false)");
    }

    private static void CheckLrn(CaffeLayer layer, List<string> problems)
    {
        var p = layer.Lrn ?? new LRNParameter();
        if (p.NormRegion != LRNParameter.Types.NormRegion.AcrossChannels) problems.Add($"layer '{layer.Name}' normalizes within channels; AlexNet's LRN is across channels");
        if (p.LocalSize != 5 || Math.Abs(p.Alpha - 1e-4f) > 1e-9f || Math.Abs(p.Beta - 0.75f) > 1e-6f || Math.Abs(p.K - 1f) > 1e-6f)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"layer '{layer.Name}' has LRN local_size {p.LocalSize}, alpha {p.Alpha:G}, beta {p.Beta:G}, k {p.K:G}; Caffe's AlexNet has 5, 0.0001, 0.75, 1"));
        }
    }

    private static void CheckPooling(CaffeLayer layer, List<string> problems)
    {
        var p = layer.Pooling ?? new PoolingParameter();
        if (p.Pool != PoolingParameter.Types.PoolMethod.Max || p.KernelSize != 3 || p.Stride != 2 || p.Pad != 0)
        {
            problems.Add($"layer '{layer.Name}' pools {p.Pool} {p.KernelSize}×{p.KernelSize} stride {p.Stride} pad {p.Pad}; AlexNet pools MAX 3×3 stride 2 pad 0");
        }
    }

    private static void AddBlobs(CaffeLayer layer, string name, int rank, Dictionary<string, Tensor> tensors, List<string> problems)
    {
        if (layer.Blobs.Count != 2)
        {
            problems.Add($"layer '{layer.Name}' ({name}) has {layer.Blobs.Count} blobs, expected 2 (weights and bias)");
            return;
        }
        var weight = CaffeBlobs.ToTensor(layer.Blobs[0], rank, out var weightProblem);
        var bias = CaffeBlobs.ToTensor(layer.Blobs[1], 1, out var biasProblem);
        if (weightProblem is not null) problems.Add($"layer '{layer.Name}' ({name}) weights: {weightProblem}");
        if (biasProblem is not null) problems.Add($"layer '{layer.Name}' ({name}) bias: {biasProblem}");
        if (weight is not null && weight.Shape.Rank != rank) problems.Add($"layer '{layer.Name}' ({name}) weights have shape {weight.Shape}, expected {rank} dimensions");
        else if (weight is not null) tensors[name + ".weight"] = weight;
        if (bias is not null) tensors[name + ".bias"] = bias;
    }

    private static AlexNetException Problems(string source, Architecture architecture, List<string> problems) =>
        new($"'{source}' does not fit the {architecture.ToName()} architecture ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):\n  " + string.Join("\n  ", problems));
}
