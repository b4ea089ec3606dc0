using AlexNet.Checkpoints;

namespace AlexNet.Tests.Support;

/// <summary>Parity fixtures written by tests/make_parity_fixtures.py with Debian's PyTorch.</summary>
public static class Fixtures
{
    public static SafeTensorsFile Parity(string name) =>
        SafeTensorsFile.Read(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Parity", name + ".safetensors"));

    public static int Int(this SafeTensorsFile file, string key) => int.Parse(file.Metadata[key], System.Globalization.CultureInfo.InvariantCulture);

    public static float Float(this SafeTensorsFile file, string key) => float.Parse(file.Metadata[key], System.Globalization.CultureInfo.InvariantCulture);

    public static int[] Labels(this SafeTensorsFile file, string key = "labels") => file[key].Data.Select(v => (int)v).ToArray();
}
