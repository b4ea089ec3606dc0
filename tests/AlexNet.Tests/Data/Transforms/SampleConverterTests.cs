using AlexNet.Data;
using AlexNet.Data.Images;
using AlexNet.Data.Transforms;
using AlexNet.Randomness;
using AlexNet.Tensors;
using Xunit;

namespace AlexNet.Tests.Data.Transforms;

public sealed class SampleConverterTests
{
    // A 2×1 RGB image: pixel 0 = (255, 0, 51), pixel 1 = (102, 204, 153).
    private static readonly Image TwoPixels = new(2, 1, 3, [255, 0, 51, 102, 204, 153]);

    [Fact]
    public void NormalizesRgbPerChannelIntoTheSlot()
    {
        var converter = SampleConverter.PerChannel(1, ChannelOrder.Rgb, [0.5f, 0.25f, 0f], [0.5f, 0.25f, 2f]);
        var batch = new Tensor(2, 3, 1, 1);
        converter.Write(new Image(1, 1, 3, [255, 0, 51]), batch, 1);
        Assert.Equal([0f, 0f, 0f], batch.Data[..3]);
        Assert.Equal(1f, batch.Data[3], 6);      // (1 − 0.5) / 0.5
        Assert.Equal(-1f, batch.Data[4], 6);     // (0 − 0.25) / 0.25
        Assert.Equal(0.1f, batch.Data[5], 6);    // (0.2 − 0) / 2
    }

    [Fact]
    public void BgrReversesChannelsAndUsesMeanInNetworkOrder()
    {
        // Caffe's bvlc_alexnet: raw 0..255 values minus the (B, G, R) mean.
        float[] caffeMean = [104.007f / 255, 116.669f / 255, 122.679f / 255];
        var converter = SampleConverter.PerChannel(2, ChannelOrder.Bgr, caffeMean, [1 / 255f, 1 / 255f, 1 / 255f]);
        var image = new Image(2, 2, 3, [255, 0, 51, 102, 204, 153, 1, 2, 3, 4, 5, 6]);
        var batch = new Tensor(1, 3, 2, 2);
        converter.Write(image, batch, 0);
        float[] expected =
        [
            51 - 104.007f, 153 - 104.007f, 3 - 104.007f, 6 - 104.007f,     // B plane
            0 - 116.669f, 204 - 116.669f, 2 - 116.669f, 5 - 116.669f,      // G plane
            255 - 122.679f, 102 - 122.679f, 1 - 122.679f, 4 - 122.679f,    // R plane
        ];
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], batch.Data[i], 3);
    }

    [Fact]
    public void GreyImagesUseOneChannel()
    {
        var converter = SampleConverter.PerChannel(2, ChannelOrder.Gray, [0.5f], [0.5f]);
        var batch = new Tensor(1, 1, 2, 2);
        converter.Write(new Image(2, 2, 1, [0, 255, 51, 204]), batch, 0);
        Assert.Equal([-1f, 1f, -0.6f, 0.6f], batch.Data.Select(v => MathF.Round(v, 5)).ToArray());
    }

    [Fact]
    public void PerPixelMeanIsSubtractedPixelByPixelInImageOrder()
    {
        var mean = MeanImage.Compute([TwoPixels, new Image(2, 1, 3, [255, 0, 51, 0, 0, 0])]);
        Assert.Equal((3, 1, 2), (mean.Channels, mean.Height, mean.Width));
        Assert.Equal(51 / 255f, mean.Values[1], 6); // R of pixel 1: (102 + 0) / 2
        var converter = SampleConverter.PerPixel(2, ChannelOrder.Bgr, PadToSquare(mean), [1f, 1f, 1f]);
        var image = new Image(2, 2, 3, [255, 0, 51, 102, 204, 153, 255, 0, 51, 102, 204, 153]);
        var batch = new Tensor(1, 3, 2, 2);
        converter.Write(image, batch, 0);
        // Row 0 equals the mean (first image) up to the second image's half: B plane first (BGR).
        Assert.Equal(0f, batch.Data[0], 6);                          // B of pixel (0,0): 51 − 51
        Assert.Equal((153 - 76.5f) / 255f, batch.Data[1], 5);        // B of pixel (1,0): 153 − (153 + 0) / 2
        Assert.Equal((102 - 51f) / 255f, batch.Data[2 * 4 + 1], 5);  // R of pixel (1,0)
        Assert.Equal(51 / 255f, batch.Data[2], 6);                   // B of pixel (0,1): padded mean is 0
    }

    [Fact]
    public void MeanImageCentreCropMatchesImageCentreCrop()
    {
        var images = Enumerable.Range(0, 3).Select(i => TestImages.Noise(9, 8, 3, (ulong)i)).ToArray();
        var cropped = MeanImage.Compute(images).CenterCrop(5);
        var direct = MeanImage.Compute(images.Select(i => new CenterCrop(5).Apply(i, new RandomStream(0))));
        Assert.Equal(direct, cropped, new MeanImageComparer());
    }

    [Fact]
    public void LightingShiftsEveryPixelBeforeNormalization()
    {
        var converter = SampleConverter.PerChannel(2, ChannelOrder.Bgr, [0.1f, 0.2f, 0.3f], [0.5f, 0.5f, 0.5f]);
        var image = TestImages.Noise(2, 2, 3, 5);
        var plain = new Tensor(1, 3, 2, 2);
        var lit = new Tensor(1, 3, 2, 2);
        converter.Write(image, plain, 0);
        converter.Write(image, lit, 0, [0.01f, 0.02f, 0.04f]);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(0.04f / 0.5f, lit.Data[i] - plain.Data[i], 5);     // B plane gets the B shift
            Assert.Equal(0.01f / 0.5f, lit.Data[8 + i] - plain.Data[8 + i], 5);
        }
    }

    [Fact]
    public void ZeroSigmaLightingChangesNothingAndAFixedStreamIsReproducible()
    {
        var converter = SampleConverter.PerChannel(8, ChannelOrder.Rgb, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);
        var image = TestImages.Noise(12, 10, 3, 8);
        var plain = Run(SamplePipeline.PaperTraining(converter, null, 10), image, 21);
        var zero = Run(SamplePipeline.PaperTraining(converter, new PcaLighting(PcaStatistics.ImageNet, 0), 10), image, 21);
        Assert.Equal(plain.Data, zero.Data);
        var lighting = new PcaLighting(PcaStatistics.ImageNet);
        var once = Run(SamplePipeline.PaperTraining(converter, lighting, 10), image, 21);
        var again = Run(SamplePipeline.PaperTraining(converter, lighting, 10), image, 21);
        Assert.Equal(once.Data, again.Data);
        Assert.NotEqual(plain.Data, once.Data);
    }

    [Fact]
    public void PaperTrainingProducesTheInputSizeFromAnyPhoto()
    {
        var converter = SampleConverter.PerChannel(227, ChannelOrder.Rgb, [0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f]);
        var pipeline = SamplePipeline.PaperTraining(converter, new PcaLighting(PcaStatistics.ImageNet));
        Assert.Equal(["ResizeShorterSide(256)", "CenterCrop(256×256)", "RandomCrop(227×227)", "RandomHorizontalFlip(0.5)"],
            pipeline.Transforms.Select(t => t.ToString()));
        var image = TestImages.Noise(50, 70, 3, 1);
        var transformed = pipeline.Transform(image, new RandomStream(1));
        Assert.Equal((227, 227), (transformed.Width, transformed.Height));
        var batch = Run(pipeline, image, 3);
        Assert.All(batch.Data, v => Assert.InRange(v, -2.5f, 2.5f));
    }

    [Fact]
    public void EvaluationIsTorchvisionResizeAndCentreCrop()
    {
        var converter = SampleConverter.PerChannel(224, ChannelOrder.Rgb, [0f, 0f, 0f], [1f, 1f, 1f]);
        var image = TestImages.Noise(300, 260, 3, 2);
        var evaluated = SamplePipeline.Evaluation(converter).Transform(image, new RandomStream(1));
        var resized = new ResizeShorterSide(256).Apply(image, new RandomStream(0));
        var torchvision = new CenterCrop(224).Apply(resized, new RandomStream(0));
        Assert.Equal(torchvision.Pixels, evaluated.Pixels);
    }

    [Fact]
    public void WrongSizesAndChannelsNameTheCulprit()
    {
        var converter = SampleConverter.PerChannel(4, ChannelOrder.Rgb, [0f, 0f, 0f], [1f, 1f, 1f]);
        var error = Assert.Throws<AlexNetException>(() => converter.Write(new Image(5, 4, 3, new byte[60]), new Tensor(1, 3, 4, 4), 0));
        Assert.Contains("Image(5×4×3)", error.Message);
        Assert.Contains("4×4×3", error.Message);
        error = Assert.Throws<AlexNetException>(() => converter.Write(new Image(4, 4, 1, new byte[16]), new Tensor(1, 3, 4, 4), 0));
        Assert.Contains("Image(4×4×1)", error.Message);
        Assert.Contains("std", Assert.Throws<AlexNetException>(() => SampleConverter.PerChannel(4, ChannelOrder.Rgb, [0f, 0f, 0f], [1f])).Message);
        Assert.Contains("0", Assert.Throws<AlexNetException>(() => SampleConverter.PerChannel(4, ChannelOrder.Gray, [0f], [0f])).Message);
        var grey = SampleConverter.PerChannel(4, ChannelOrder.Gray, [0f], [1f]);
        Assert.Contains("PCA lighting has 3", Assert.Throws<AlexNetException>(() => new SamplePipeline([], grey, new PcaLighting(PcaStatistics.ImageNet))).Message);
    }

    [Fact]
    public void RoundTripsThroughTheCheckpointRecord()
    {
        var preprocessing = new Preprocessing([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f], ChannelOrder.Rgb, 224);
        var converter = SampleConverter.From(preprocessing);
        Assert.Equal((224, 3), (converter.InputSize, converter.Channels));
        var back = converter.ToPreprocessing();
        Assert.Equal(preprocessing.Mean, back.Mean);
        Assert.Equal(preprocessing.Std, back.Std);
        Assert.Equal((preprocessing.ChannelOrder, preprocessing.InputSize), (back.ChannelOrder, back.InputSize));
    }

    private static Tensor Run(SamplePipeline pipeline, Image image, ulong seed)
    {
        var batch = new Tensor(1, pipeline.Channels, pipeline.InputSize, pipeline.InputSize);
        pipeline.Process(image, new RandomStream(seed), batch, 0);
        return batch;
    }

    /// <summary>Pads a 2×1 mean image to 2×2 with a zero row.</summary>
    private static MeanImage PadToSquare(MeanImage mean)
    {
        var values = new float[3 * 4];
        for (var c = 0; c < 3; c++)
        for (var x = 0; x < 2; x++) values[c * 4 + x] = mean.Values[c * 2 + x];
        return new MeanImage(3, 2, 2, values);
    }

    private sealed class MeanImageComparer : IEqualityComparer<MeanImage>
    {
        public bool Equals(MeanImage? a, MeanImage? b) =>
            a is not null && b is not null && (a.Channels, a.Height, a.Width) == (b.Channels, b.Height, b.Width) && a.Values.SequenceEqual(b.Values);

        public int GetHashCode(MeanImage obj) => obj.Width;
    }
}
