using AlexNet.Interop.Caffe.Schema;

namespace AlexNet.Interop.Caffe;

/// <summary>One layer of a Caffe net in either file format, with the type as the current format spells it.</summary>
internal sealed record CaffeLayer(
    string Name,
    string Type,
    IReadOnlyList<BlobProto> Blobs,
    ConvolutionParameter? Convolution,
    InnerProductParameter? InnerProduct,
    LRNParameter? Lrn,
    PoolingParameter? Pooling)
{
    public static CaffeLayer From(LayerParameter layer) =>
        new(layer.Name, layer.Type, layer.Blobs, layer.ConvolutionParam, layer.InnerProductParam, layer.LrnParam, layer.PoolingParam);

    public static CaffeLayer From(V1LayerParameter layer) =>
        new(layer.Name, TypeName(layer.Type), layer.Blobs, layer.ConvolutionParam, layer.InnerProductParam, layer.LrnParam, layer.PoolingParam);

    /// <summary>The current format's name of a V1 layer type (Caffe's own upgrade table), else the enum's name.</summary>
    private static string TypeName(V1LayerParameter.Types.LayerType type) => type switch
    {
        V1LayerParameter.Types.LayerType.Convolution => "Convolution",
        V1LayerParameter.Types.LayerType.Relu => "ReLU",
        V1LayerParameter.Types.LayerType.Lrn => "LRN",
        V1LayerParameter.Types.LayerType.Pooling => "Pooling",
        V1LayerParameter.Types.LayerType.InnerProduct => "InnerProduct",
        V1LayerParameter.Types.LayerType.Dropout => "Dropout",
        V1LayerParameter.Types.LayerType.Softmax => "Softmax",
        V1LayerParameter.Types.LayerType.SoftmaxLoss => "SoftmaxWithLoss",
        V1LayerParameter.Types.LayerType.Accuracy => "Accuracy",
        V1LayerParameter.Types.LayerType.Data => "Data",
        V1LayerParameter.Types.LayerType.ImageData => "ImageData",
        V1LayerParameter.Types.LayerType.MemoryData => "MemoryData",
        V1LayerParameter.Types.LayerType.DummyData => "DummyData",
        V1LayerParameter.Types.LayerType.Split => "Split",
        V1LayerParameter.Types.LayerType.Silence => "Silence",
        V1LayerParameter.Types.LayerType.Flatten => "Flatten",
        _ => type.ToString().ToUpperInvariant(),
    };
}
