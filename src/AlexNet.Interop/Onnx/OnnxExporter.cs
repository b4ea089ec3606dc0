using System.Globalization;
using System.Text.Json;
using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Interop.Onnx.Schema;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Tensors;
using Google.Protobuf;

namespace AlexNet.Interop.Onnx;

/// <summary>
/// Writes a network as an ONNX model for inference (opset 13, IR version 7): Conv (with group), Relu, LRN,
/// MaxPool, Flatten and Gemm nodes, the weights as initializers, dropout left out. Input "input" is
/// (batch, C, H, W), output "logits" is (batch, classes). The preprocessing and class names go into the
/// model's metadata so that a consumer can feed it as the checkpoint was fed.
/// </summary>
public static class OnnxExporter
{
    public const int Opset = 13;

    /// <summary>The ONNX IR version that goes with opset 13 (ONNX 1.8).</summary>
    public const int IrVersion = 7;

    public const string InputName = "input";
    public const string OutputName = "logits";

    public static void Export(string path, Network network, IReadOnlyList<string> classNames, Preprocessing preprocessing)
    {
        var model = Build(network, classNames, preprocessing);
        AtomicFile.Write(path, stream => model.WriteTo(stream));
    }

    internal static ModelProto Build(Network network, IReadOnlyList<string> classNames, Preprocessing preprocessing)
    {
        var config = network.Config;
        var graph = new OnnxGraphBuilder($"alexnet_{config.Architecture.ToName()}");
        graph.Graph.Input.Add(OnnxGraphBuilder.Value(InputName, null, config.InputChannels, config.InputSize, config.InputSize));
        var value = InputName;
        var shape = network.InputShape;
        for (var i = 0; i < network.Layers.Count; i++)
        {
            value = AddLayer(graph, network.Layers[i], value, shape);
            shape = network.Summary[i].OutputShape;
        }
        graph.Graph.Output.Add(OnnxGraphBuilder.Value(value, null, config.Classes));
        // The last node's output is renamed so that consumers find the logits under a fixed name.
        graph.Graph.Node[^1].Output[0] = OutputName;
        graph.Graph.Output[0].Name = OutputName;

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "alexnet",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "",
            Graph = graph.Graph,
            DocString = $"AlexNet ({config.Architecture.ToName()}), {config.Classes} classes. Input: x = (pixel / 255 - mean[c]) / std[c] in {preprocessing.ChannelOrder} order.",
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, text) in Metadata(network, classNames, preprocessing))
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = text });
        }
        return model;
    }

    private static string AddLayer(OnnxGraphBuilder graph, Layer layer, string input, Shape inputShape)
    {
        switch (layer)
        {
            case ConvolutionLayer conv:
                return graph.Node("Conv", conv.Name, [input, graph.Initializer(conv.Weight.Name, conv.Weight.Value), graph.Initializer(conv.Bias.Name, conv.Bias.Value)],
                    OnnxGraphBuilder.Ints("kernel_shape", conv.Kernel, conv.Kernel), OnnxGraphBuilder.Ints("strides", conv.Stride, conv.Stride),
                    OnnxGraphBuilder.Ints("pads", conv.Padding, conv.Padding, conv.Padding, conv.Padding), OnnxGraphBuilder.Int("group", conv.Groups));
            case ReluLayer:
                return graph.Node("Relu", layer.Name, [input]);
            case LrnLayer lrn:
                // ONNX's LRN divides alpha by size, as this toolkit's and PyTorch's do.
                return graph.Node("LRN", lrn.Name, [input], OnnxGraphBuilder.Int("size", lrn.Size), OnnxGraphBuilder.Float("alpha", lrn.Alpha),
                    OnnxGraphBuilder.Float("beta", lrn.Beta), OnnxGraphBuilder.Float("bias", lrn.K));
            case MaxPoolLayer pool:
                return graph.Node("MaxPool", pool.Name, [input], OnnxGraphBuilder.Ints("kernel_shape", pool.Window, pool.Window), OnnxGraphBuilder.Ints("strides", pool.Stride, pool.Stride));
            case AdaptiveAvgPoolLayer adaptive:
                return AdaptivePool(graph, adaptive, input, inputShape);
            case FlattenLayer:
                return graph.Node("Flatten", layer.Name, [input], OnnxGraphBuilder.Int("axis", 1));
            case LinearLayer linear:
                return graph.Node("Gemm", linear.Name, [input, graph.Initializer(linear.Weight.Name, linear.Weight.Value), graph.Initializer(linear.Bias.Name, linear.Bias.Value)],
                    OnnxGraphBuilder.Int("transB", 1));
            case DropoutLayer:
                return input; // Inference: dropout is the identity (inverted dropout scales while training).
            default:
                throw new AlexNetException($"Layer '{layer.Name}' ({layer.Description}) has no ONNX export.");
        }
    }

    /// <summary>
    /// Adaptive average pooling is the identity when the input already has the output size (torchvision at
    /// 224×224: 6×6), and a plain AveragePool when the sizes divide; other sizes have no exact ONNX form.
    /// </summary>
    private static string AdaptivePool(OnnxGraphBuilder graph, AdaptiveAvgPoolLayer layer, string input, Shape inputShape)
    {
        var (h, w) = (inputShape[1], inputShape[2]);
        if (h == layer.OutputHeight && w == layer.OutputWidth) return input;
        if (h % layer.OutputHeight != 0 || w % layer.OutputWidth != 0)
        {
            throw new AlexNetException(
                $"Layer '{layer.Name}' pools {h}×{w} to {layer.OutputHeight}×{layer.OutputWidth}, which ONNX cannot express exactly; export a model whose input size gives a multiple of the output size.");
        }
        var (kh, kw) = (h / layer.OutputHeight, w / layer.OutputWidth);
        return graph.Node("AveragePool", layer.Name, [input], OnnxGraphBuilder.Ints("kernel_shape", kh, kw), OnnxGraphBuilder.Ints("strides", kh, kw));
    }

    private static IEnumerable<(string Key, string Value)> Metadata(Network network, IReadOnlyList<string> classNames, Preprocessing p)
    {
        string Floats(float[] values) => string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        yield return ("architecture", network.Config.Architecture.ToName());
        yield return ("model", JsonSerializer.Serialize(network.Config, JsonDefaults.Options));
        yield return ("preprocessing", JsonSerializer.Serialize(p, JsonDefaults.Options));
        yield return ("preprocessing_formula", p.Resize == ResizeMode.Squash
            ? "x[c] = (pixel[c] / 255 - mean[c]) / std[c], channels in channel_order, after resizing both sides to resize_shorter_side (aspect ratio not kept) and centre-cropping input_size"
            : "x[c] = (pixel[c] / 255 - mean[c]) / std[c], channels in channel_order, after resizing the shorter side to resize_shorter_side and centre-cropping input_size");
        yield return ("resize", p.Resize == ResizeMode.Squash ? "squash" : "shorter-side");
        yield return ("mean", Floats(p.Mean));
        yield return ("std", Floats(p.Std));
        yield return ("channel_order", p.ChannelOrder.ToString().ToLowerInvariant());
        yield return ("input_size", p.InputSize.ToString(CultureInfo.InvariantCulture));
        yield return ("resize_shorter_side", p.ResizeShorterSide.ToString(CultureInfo.InvariantCulture));
        yield return ("classes", JsonSerializer.Serialize(classNames, JsonDefaults.Options));
    }
}
