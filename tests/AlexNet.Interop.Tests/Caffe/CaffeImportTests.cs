using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Data.Transforms;
using AlexNet.Imaging;
using AlexNet.Interop.Caffe.Schema;
using AlexNet.Interop.Tests.Support;
using AlexNet.Models;
using AlexNet.Randomness;
using AlexNet.Tensors;
using Google.Protobuf;
using static AlexNet.Interop.Tests.Support.InteropFixtures;

namespace AlexNet.Interop.Tests.Caffe;

/// <summary>
/// .caffemodel files written by the fixture script (hand-encoded protobuf, known weights): bvlc_alexnet's
/// layout in the V1 format with legacy 4-D blobs, CaffeNet's in the current format.
/// </summary>
public sealed class CaffeImportTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("caffe_v1", Architecture.Caffe)]
    [InlineData("caffenet", Architecture.CaffeNet)]
    public void EveryLayerMapsToItsParameters(string name, Architecture architecture)
    {
        var model = ModelImporter.Import(new ImportOptions(InteropFixtures.Path(name + ".caffemodel")));

        Assert.Equal(ImportFormat.Caffe, model.Format);
        Assert.Equal(architecture, model.Network.Config.Architecture);
        var expected = Expected("caffe_io.safetensors");
        foreach (var parameter in model.Network.Parameters)
        {
            var reference = expected[$"{name}.{parameter.Name}"];
            Assert.Equal(reference.Shape, parameter.Shape);
            Assert.Equal(reference.Data, parameter.Value.Data); // Copied bit for bit, channel order untouched.
        }
        Assert.Equal(16, model.Network.Parameters.Count);
    }

    [Theory]
    [InlineData("caffe_v1")]
    [InlineData("caffenet")]
    public void PhotoFedTheCaffeWayGivesCaffesLogits(string name)
    {
        using var folder = new TempFolder();
        var path = folder.File("model.safetensors");
        ModelImporter.ImportToFile(new ImportOptions(InteropFixtures.Path(name + ".caffemodel")), path);
        var checkpoint = Checkpoint.Load(path);
        var p = checkpoint.Preprocessing;
        Assert.Equal(ChannelOrder.Bgr, p.ChannelOrder);
        Assert.Equal(227, p.InputSize);
        Assert.Equal(256, p.ResizeShorterSide);
        Assert.Equal(104.007f, p.Mean[0] * 255f, 3);
        Assert.Equal(122.679f, p.Mean[2] * 255f, 3);
        Assert.Equal("tench", checkpoint.ClassNames[0]);

        var expected = Expected("caffe_io.safetensors");
        var photo = expected.Metadata["photo"];
        var pipeline = SamplePipeline.Evaluation(SampleConverter.From(p), p.ResizeShorterSide);
        var batch = new Tensor(1, 3, 227, 227);
        pipeline.Process(new NativeImageDecoder().Decode(File.ReadAllBytes(Photo(photo)), photo, 3), new RandomStream(0), batch, 0);
        Agreement.Close(expected[name + ".photo_logits"], Logits(checkpoint.Network, batch), Relative, $"{name} logits of {photo}");
    }

    [Fact]
    public void RequestedArchitectureMustMatchTheLayerOrder()
    {
        var error = Assert.Throws<AlexNetException>(() =>
            ModelImporter.Import(new ImportOptions(InteropFixtures.Path("caffenet.caffemodel"), Architecture.Caffe)));
        Assert.Contains("'pool1' before 'norm1'", error.Message);
        Assert.Contains("caffenet", error.Message);
    }

    [Fact]
    public void UnknownLayerTypesAreNamed()
    {
        var net = Load("caffenet");
        net.Layer.Insert(3, new LayerParameter { Name = "bn1", Type = "BatchNorm" });
        net.Layer.Add(new LayerParameter { Name = "mystery", Type = "Python" });
        var error = Fails(net);
        Assert.Contains("'bn1' (BatchNorm)", error.Message);
        Assert.Contains("'mystery' (Python)", error.Message);
    }

    [Fact]
    public void WrongGroupsAndKernelsAreAllListed()
    {
        var net = Load("caffenet");
        var convolutions = net.Layer.Where(l => l.Type == "Convolution").ToList();
        convolutions[1].ConvolutionParam.Group = 1;
        convolutions[2].ConvolutionParam.KernelSize[0] = 5;
        var error = Fails(net);
        Assert.Contains("'conv2' (conv2) has group 1, AlexNet has 2", error.Message);
        Assert.Contains("'conv3' (conv3) has kernel_size 5, AlexNet has 3", error.Message);
    }

    [Fact]
    public void BlobOfTheWrongSizeIsReported()
    {
        var net = Load("caffe_v1");
        var fc7 = net.Layers.Single(l => l.Name == "fc7");
        fc7.Blobs[1].Data.RemoveAt(0);
        var error = Fails(net);
        Assert.Contains("'fc7' (fc7) bias", error.Message);
        Assert.Contains("holds 15", error.Message);
    }

    [Fact]
    public void TruncatedModel()
    {
        var bytes = File.ReadAllBytes(InteropFixtures.Path("caffe_v1.caffemodel"));
        var path = _folder.File("cut.caffemodel");
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
        var output = _folder.File("out.safetensors");
        var error = Assert.Throws<AlexNetException>(() => ModelImporter.ImportToFile(new ImportOptions(path), output));
        Assert.Contains(path, error.Message);
        Assert.Contains("truncated or corrupt", error.Message);
        Assert.False(File.Exists(output));
    }

    private static NetParameter Load(string name) => NetParameter.Parser.ParseFrom(File.ReadAllBytes(InteropFixtures.Path(name + ".caffemodel")));

    private AlexNetException Fails(NetParameter net)
    {
        var path = _folder.File("edited.caffemodel");
        File.WriteAllBytes(path, net.ToByteArray());
        var output = _folder.File("out.safetensors");
        var error = Assert.Throws<AlexNetException>(() => ModelImporter.ImportToFile(new ImportOptions(path), output));
        Assert.Contains(path, error.Message);
        Assert.False(File.Exists(output));
        return error;
    }
}
