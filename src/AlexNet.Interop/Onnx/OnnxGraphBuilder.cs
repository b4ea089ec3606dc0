using AlexNet.Interop.Onnx.Schema;
using AlexNet.Tensors;
using Google.Protobuf;

namespace AlexNet.Interop.Onnx;

/// <summary>Accumulates nodes and initializers of one ONNX graph, naming each intermediate value after its layer.</summary>
internal sealed class OnnxGraphBuilder(string name)
{
    public GraphProto Graph { get; } = new() { Name = name };

    /// <summary>Adds a float32 initializer (raw little-endian bytes, as ONNX stores them).</summary>
    public string Initializer(string tensorName, Tensor tensor)
    {
        var proto = new TensorProto { Name = tensorName, DataType = (int)TensorProto.Types.DataType.Float };
        proto.Dims.AddRange(tensor.Shape.Dimensions.Select(d => (long)d));
        var bytes = new byte[tensor.Length * 4];
        for (var i = 0; i < tensor.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), tensor.Data[i]);
        proto.RawData = ByteString.CopyFrom(bytes);
        Graph.Initializer.Add(proto);
        return tensorName;
    }

    /// <summary>Adds a node whose single output is named after <paramref name="nodeName"/>; returns that name.</summary>
    public string Node(string opType, string nodeName, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = nodeName };
        node.Input.AddRange(inputs);
        node.Output.Add(nodeName);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return nodeName;
    }

    public static AttributeProto Int(string attributeName, long value) =>
        new() { Name = attributeName, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string attributeName, float value) =>
        new() { Name = attributeName, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Ints(string attributeName, params long[] values)
    {
        var attribute = new AttributeProto { Name = attributeName, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>A float tensor value; a null dimension is the symbolic batch size.</summary>
    public static ValueInfoProto Value(string valueName, params long?[] dimensions)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dimensions)
        {
            shape.Dim.Add(d is { } size ? new TensorShapeProto.Types.Dimension { DimValue = size } : new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        }
        return new ValueInfoProto
        {
            Name = valueName,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
