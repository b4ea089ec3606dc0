namespace AlexNet.Mpi.Tests.Support;

/// <summary>Class folders of the fixture photographs in several copies each (every copy is its own sample: its own crops, flips and lighting).</summary>
internal static class TrainingPhotos
{
    private static readonly string Photos = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Photos");

    private static readonly Dictionary<string, string[]> Classes = new()
    {
        ["astronaut"] = ["astronaut_420.jpg", "astronaut_rgb.png", "astronaut_rgba16.png"],
        ["cat"] = ["chelsea_422.jpg", "chelsea_progressive.jpg", "chelsea_rgba.png"],
        ["coffee"] = ["coffee_444.jpg", "coffee_palette.png", "coffee_palette_trns.png"],
    };

    /// <summary>
    /// Writes <paramref name="perClass"/> training images per class under <paramref name="folder"/>/train (and
    /// <paramref name="validationPerClass"/> under val/) and returns <paramref name="folder"/>.
    /// </summary>
    public static string Create(string folder, int perClass, int validationPerClass = 0)
    {
        foreach (var (label, files) in Classes)
        {
            foreach (var (split, count) in new[] { ("train", perClass), ("val", validationPerClass) })
            {
                if (count == 0) continue;
                var target = Directory.CreateDirectory(Path.Combine(folder, split, label)).FullName;
                for (var i = 0; i < count; i++)
                {
                    var file = files[i % files.Length];
                    File.Copy(Path.Combine(Photos, file), Path.Combine(target, $"{i:D2}_{file}"));
                }
            }
        }
        return folder;
    }

    /// <summary>A file with a JPEG's name that is not one: it fails whenever it is decoded.</summary>
    public static void AddBrokenImage(string folder, string label, string name)
    {
        File.WriteAllBytes(Path.Combine(folder, "train", label, name), [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F']);
    }
}
