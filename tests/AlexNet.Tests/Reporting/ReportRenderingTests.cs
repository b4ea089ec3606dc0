using AlexNet.Data.Images;
using AlexNet.Imaging;
using AlexNet.Reporting;
using Xunit;

namespace AlexNet.Tests.Reporting;

/// <summary>Opens a report in headless Chromium: it must render its charts, and the browser must log no console message.</summary>
public sealed class ReportRenderingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-render-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [ChromiumFact]
    public void ChromiumRendersTheChartsWithoutConsoleMessages()
    {
        string[] names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
        var confusion = Enumerable.Range(0, 10).Select(t => Enumerable.Range(0, 10).Select(p => p == t ? 80 : (t + p) % 4).ToArray()).ToArray();
        var samples = Enumerable.Range(0, 8).Select(i => ReportFixtures.Sample(i, i, [(i, 0.6), ((i + 1) % 10, 0.2), ((i + 2) % 10, 0.1), ((i + 3) % 10, 0.05), ((i + 4) % 10, 0.05)])).ToList();
        var html = Path.Combine(_folder, "report.html");
        ReportHtml.Write(ReportFixtures.Report(names, confusion, epochs: 12, samples: samples), html);
        var png = Path.Combine(_folder, "screenshot.png");

        var log = Chromium.Screenshot(html, png, 1280, 2000, TimeSpan.FromSeconds(60));

        Assert.True(File.Exists(png), $"No screenshot was written. Chromium said:\n{log}");
        var consoleLines = log.Split('\n').Where(line => line.Contains("CONSOLE", StringComparison.Ordinal)).ToList();
        Assert.True(consoleLines.Count == 0, "Console messages:\n" + string.Join("\n", consoleLines));
        var screenshot = new NativeImageDecoder().Load(png, 3);
        Assert.Equal((1280, 2000), (screenshot.Width, screenshot.Height));
        Assert.True(DistinctColors(screenshot) > 200, "The screenshot is (nearly) blank.");
        // The training line, the validation line and the darkest heat-map cells must all be on screen.
        Assert.True(CountNear(screenshot, 0x1f, 0x77, 0xb4) > 300, "No training curve (#1f77b4) in the screenshot.");
        Assert.True(CountNear(screenshot, 0xff, 0x7f, 0x0e) > 300, "No validation curve (#ff7f0e) in the screenshot.");
        Assert.True(CountNear(screenshot, 0x08, 0x30, 0x6b) > 1000, "No dark heat-map cells (#08306b) in the screenshot.");
    }

    private static int DistinctColors(Image image)
    {
        var colors = new HashSet<int>();
        for (var i = 0; i < image.Pixels.Length; i += 3) colors.Add(image.Pixels[i] << 16 | image.Pixels[i + 1] << 8 | image.Pixels[i + 2]);
        return colors.Count;
    }

    private static int CountNear(Image image, int r, int g, int b)
    {
        var count = 0;
        for (var i = 0; i < image.Pixels.Length; i += 3)
        {
            if (Math.Abs(image.Pixels[i] - r) + Math.Abs(image.Pixels[i + 1] - g) + Math.Abs(image.Pixels[i + 2] - b) <= 24) count++;
        }
        return count;
    }
}
