using AlexNet.Tests.Cli;
using Xunit;

namespace AlexNet.Tests.Classification;

/// <summary>The example application in examples/ClassifyImages runs against a real checkpoint.</summary>
[Collection(nameof(ConsoleOutput))]
public sealed class ExampleProgramTests(TrainedPhotoModel model) : IClassFixture<TrainedPhotoModel>
{
    [Fact]
    public void PredictsTheTopThreeClassesOfEachImage()
    {
        var images = new[] { "chelsea_422.jpg", "coffee_444.jpg" }.Select(n => Path.Combine(TrainedPhotoModel.Photos, n)).ToArray();
        var (code, output) = ConsoleOutput.Capture(() => ClassifyImages.Program.Main(["predict", model.Checkpoint, .. images]));
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2 * 4, lines.Length);
        Assert.Equal(images[0], lines[0]);
        Assert.Equal(images[1], lines[4]);
        Assert.All(lines.Where(l => l.StartsWith("  ")), l => Assert.Matches("(astronaut|cat|coffee)$", l));
    }

    [Fact]
    public void AMissingModelIsNamed()
    {
        var missing = Path.Combine(model.Folder, "none.safetensors");
        var (code, _) = ConsoleOutput.Capture(() => ClassifyImages.Program.Main(["predict", missing, "x.jpg"]));
        Assert.Equal(1, code);
    }
}

/// <summary>Tests that redirect Console.Out run one at a time.</summary>
[CollectionDefinition(nameof(ConsoleOutput), DisableParallelization = true)]
public sealed class ConsoleOutput
{
    public static (int Code, string Output) Capture(Func<int> run)
    {
        var original = Console.Out;
        var writer = new StringWriter();
        Console.SetOut(writer);
        try
        {
            return (run(), writer.ToString());
        }
        finally
        {
            Console.SetOut(original);
        }
    }
}
