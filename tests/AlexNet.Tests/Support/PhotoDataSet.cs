namespace AlexNet.Tests.Support;

/// <summary>A class-folder data set (train/ and val/) of the fixture photographs: three classes, JPEG and PNG.</summary>
public static class PhotoDataSet
{
    private static readonly string Photos = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Photos");

    /// <summary>Writes the data set under <paramref name="folder"/>/photos and returns that path; extra files go to train/cat.</summary>
    public static string Create(string folder, params string[] extraTrainCatFiles)
    {
        var classes = new Dictionary<string, string[]>
        {
            ["astronaut"] = ["astronaut_420.jpg", "astronaut_rgb.png", "astronaut_rgba16.png"],
            ["cat"] = ["chelsea_422.jpg", "chelsea_progressive.jpg", "chelsea_rgba.png"],
            ["coffee"] = ["coffee_444.jpg", "coffee_palette.png", "coffee_palette_trns.png"],
        };
        var root = Path.Combine(folder, "photos");
        foreach (var (label, files) in classes)
        {
            foreach (var split in new[] { "train", "val" })
            {
                var target = Directory.CreateDirectory(Path.Combine(root, split, label)).FullName;
                foreach (var file in files) File.Copy(Path.Combine(Photos, file), Path.Combine(target, file));
            }
        }
        foreach (var file in extraTrainCatFiles) File.Copy(Path.Combine(Photos, file), Path.Combine(root, "train", "cat", file));
        return root;
    }
}
