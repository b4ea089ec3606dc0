using AlexNet.Interop.Caffe.Schema;
using AlexNet.Tensors;

namespace AlexNet.Interop.Caffe;

/// <summary>Caffe blobs as tensors of a given rank.</summary>
internal static class CaffeBlobs
{
    /// <summary>
    /// The blob's dimensions reduced to <paramref name="rank"/>: files before BlobShape existed store every blob
    /// as 4-D (num, channels, height, width), so an InnerProduct weight is (1, 1, out, in) and a bias
    /// (1, 1, 1, out); the leading ones are dropped.
    /// </summary>
    public static int[] Dimensions(BlobProto blob, int rank)
    {
        var dims = blob.Shape is { } shape ? shape.Dim.Select(d => d is >= 0 and <= int.MaxValue ? (int)d : -1).ToList() : [blob.Num, blob.Channels, blob.Height, blob.Width];
        while (dims.Count > rank && dims[0] == 1) dims.RemoveAt(0);
        return dims.ToArray();
    }

    /// <summary>The blob as a tensor, or a description of why it cannot be one.</summary>
    public static Tensor? ToTensor(BlobProto blob, int rank, out string? problem)
    {
        var dims = Dimensions(blob, rank);
        // A damaged file's dimensions may be negative or beyond int (read as -1 above), or multiply past any array.
        Shape shape;
        try
        {
            shape = new Shape(dims);
        }
        catch (ArgumentException)
        {
            problem = $"its shape ({string.Join(", ", blob.Shape?.Dim.Select(d => d.ToString()) ?? dims.Select(d => d.ToString()))}) is not a tensor's";
            return null;
        }
        var values = blob.Data.Count > 0 ? blob.Data.ToArray() : blob.DoubleData.Select(d => (float)d).ToArray();
        if (values.LongLength != shape.ElementCount)
        {
            problem = $"its shape {shape} needs {shape.ElementCount} values, the blob holds {values.Length}";
            return null;
        }
        problem = null;
        return new Tensor(shape, values);
    }
}
