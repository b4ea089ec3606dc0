using AlexNet.Cli;

namespace AlexNet.Tests.Cli;

/// <summary>
/// A mini model trained once through the CLI on class folders of photographs (three classes), shared by the
/// tests that need a real checkpoint: predict, ten-crop evaluation, the library API.
/// </summary>
public sealed class TrainedPhotoModel : IDisposable
{
    public static readonly string Photos = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Photos");

    public static readonly Dictionary<string, string[]> Classes = new()
    {
        ["astronaut"] = ["astronaut_420.jpg", "astronaut_rgb.png", "astronaut_rgba16.png"],
        ["cat"] = ["chelsea_422.jpg", "chelsea_progressive.jpg", "chelsea_rgba.png"],
        ["coffee"] = ["coffee_444.jpg", "coffee_palette.png", "coffee_palette_trns.png"],
    };

    public TrainedPhotoModel()
    {
        Folder = Directory.CreateTempSubdirectory("alexnet-trained-").FullName;
        Data = Path.Combine(Folder, "photos");
        foreach (var (label, files) in Classes)
        {
            foreach (var split in new[] { "train", "val" })
            {
                var folder = Directory.CreateDirectory(Path.Combine(Data, split, label)).FullName;
                foreach (var file in files) File.Copy(Path.Combine(Photos, file), Path.Combine(folder, file));
            }
        }
        Run = Path.Combine(Folder, "run");
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = Program.Run(["train", "--data", Data, "--out", Run, "--epochs", "2", "--batch-size", "3", "--input-size", "32"], output, error);
        if (code != 0) throw new InvalidOperationException($"Training the shared test model failed: {error}");
    }

    public string Folder { get; }

    /// <summary>train/ and val/ folders of the three classes.</summary>
    public string Data { get; }

    public string Run { get; }

    public string Checkpoint => Path.Combine(Run, "last.safetensors");

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
