using AlexNet.Interop.Caffe.Schema;
using Google.Protobuf;

namespace AlexNet.Interop.Caffe;

/// <summary>Parses a .caffemodel (a binary NetParameter) into its layers, in either layer format.</summary>
internal static class CaffeModelReader
{
    public static IReadOnlyList<CaffeLayer> Read(byte[] bytes, string source)
    {
        NetParameter net;
        try
        {
            net = NetParameter.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new AlexNetException($"'{source}' is not a readable Caffe model: the protobuf data is truncated or corrupt ({e.Message})", e);
        }
        // Caffe's own reader upgrades V1 "layers" to "layer"; a file holds one or the other.
        var layers = net.Layer.Count > 0 ? net.Layer.Select(CaffeLayer.From).ToList() : net.Layers.Select(CaffeLayer.From).ToList();
        if (layers.Count == 0) throw new AlexNetException($"'{source}' holds no Caffe layers: is it a .caffemodel (binary weights), not a .prototxt or .solverstate?");
        return layers;
    }
}
