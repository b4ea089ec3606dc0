using System.Text.RegularExpressions;
using System.Xml.Linq;
using AlexNet.Reporting;
using Xunit;

namespace AlexNet.Tests.Reporting;

public sealed class ReportHtmlTests
{
    private static readonly string[] Names3 = ["cat", "dog", "bird"];

    [Fact]
    public void ReportIsWellFormedWithEveryPart()
    {
        var document = ReportFixtures.Parse(ReportHtml.Render(ReportFixtures.Report(Names3, ReportFixtures.Confusion3)));
        Assert.Equal("Training report · run-test", document.All("head").Single().Named("title").Single().Value);
        foreach (var id in new[] { "curves", "chart-loss", "chart-top1", "chart-top5", "chart-lr", "confusion-counts", "confusion-normalized", "confused-pairs", "class-accuracy", "samples-random" })
        {
            Assert.Single(document.Descendants(), e => (string?)e.Attribute("id") == id);
        }
        Assert.Contains("validation top-1", document.Root!.Value);
    }

    [Fact]
    public void EveryCurveHasOnePointPerEpoch()
    {
        const int epochs = 7;
        var document = ReportFixtures.Parse(ReportHtml.Render(ReportFixtures.Report(Names3, ReportFixtures.Confusion3, epochs)));
        foreach (var (chart, series) in new[] { ("chart-loss", "train"), ("chart-loss", "validation"), ("chart-top1", "train"), ("chart-top1", "validation"),
                     ("chart-top5", "train"), ("chart-top5", "validation"), ("chart-lr", "learning rate") })
        {
            var group = document.ById(chart).Named("g").Single(g => (string?)g.Attribute("data-series") == series);
            Assert.Equal(epochs, group.Named("circle").Count());
            var points = (string)group.Named("polyline").Single().Attribute("points")!;
            // The learning rate is drawn as steps: a corner before every epoch after the first.
            Assert.Equal(series == "learning rate" ? 2 * epochs - 1 : epochs, points.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        }
    }

    [Fact]
    public void TheLearningRateStepsDownAtTheEpochItChanges()
    {
        // The fixture trains epochs 1–3 at 0.01 and 4–6 at 0.001: the line stays level until epoch 4, then drops there.
        var document = ReportFixtures.Parse(ReportHtml.Render(ReportFixtures.Report(Names3, ReportFixtures.Confusion3, 6)));
        var group = document.ById("chart-lr").Named("g").Single(g => (string?)g.Attribute("data-series") == "learning rate");
        var points = ((string)group.Named("polyline").Single().Attribute("points")!).Split(' ')
            .Select(p => p.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToList();
        var markers = group.Named("circle").Select(c => (X: double.Parse((string)c.Attribute("cx")!, System.Globalization.CultureInfo.InvariantCulture),
            Y: double.Parse((string)c.Attribute("cy")!, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var (high, low) = (markers[0].Y, markers[5].Y);
        Assert.True(low > high);
        Assert.Equal([markers[3].X, high], points[5]);
        Assert.Equal([markers[3].X, low], points[6]);
    }

    [Fact]
    public void PointsRiseWhereTheValuesRise()
    {
        // Top-1 grows every epoch in the fixture, so each marker must sit higher (smaller y) than the last.
        var document = ReportFixtures.Parse(ReportHtml.Render(ReportFixtures.Report(Names3, ReportFixtures.Confusion3, 6)));
        var group = document.ById("chart-top1").Named("g").Single(g => (string?)g.Attribute("data-series") == "train");
        var ys = group.Named("circle").Select(c => double.Parse((string)c.Attribute("cy")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(ys.Zip(ys.Skip(1)), pair => Assert.True(pair.Second < pair.First, $"{pair.Second} should be above {pair.First}"));
        var xs = group.Named("circle").Select(c => double.Parse((string)c.Attribute("cx")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(xs.Zip(xs.Skip(1)), pair => Assert.True(pair.Second > pair.First));
    }

    [Fact]
    public void ARunWithoutValidationDrawsOnlyTrainingLines()
    {
        var document = ReportFixtures.Parse(ReportHtml.Render(ReportFixtures.Report(Names3, ReportFixtures.Confusion3, 3, EvaluatedSplit.Test, validation: false)));
        var series = document.ById("chart-loss").Named("g").Select(g => (string?)g.Attribute("data-series")).ToList();
        Assert.Equal(["train"], series);
        Assert.Contains("test top-1", document.Root!.Value);
        Assert.Contains("on the test split", document.ById("confusion").Value);
    }

    [Fact]
    public void ConfusionCellsHoldTheMatrix()
    {
        var document = ReportFixtures.Parse(ReportHtml.Render(ReportFixtures.Report(Names3, ReportFixtures.Confusion3)));
        foreach (var id in new[] { "confusion-counts", "confusion-normalized" })
        {
            var cells = document.ById(id).Named("rect").Where(r => ((string?)r.Attribute("class"))?.StartsWith("cell") == true).ToList();
            Assert.Equal(9, cells.Count);
            var matrix = new int[3][];
            for (var t = 0; t < 3; t++) matrix[t] = new int[3];
            foreach (var cell in cells) matrix[(int)cell.Attribute("data-true")!][(int)cell.Attribute("data-predicted")!] = (int)cell.Attribute("data-count")!;
            Assert.Equal(ReportFixtures.Confusion3, matrix);
        }
        // Row 1 is (2, 5, 3) of 10 images: the normalized map prints 20, 50 and 30.
        var texts = document.ById("confusion-normalized").Named("text").Where(t => (string?)t.Attribute("class") == "cell-text").Select(t => t.Value).ToList();
        Assert.Equal(["80", "10", "10", "20", "50", "30", "100"], texts);
        var counts = document.ById("confusion-counts").Named("text").Where(t => (string?)t.Attribute("class") == "cell-text").Select(t => t.Value).ToList();
        Assert.Equal(["8", "1", "1", "2", "5", "3", "10"], counts);
    }

    [Fact]
    public void PerClassBarsCountCorrectImages()
    {
        var document = ReportFixtures.Parse(ReportHtml.Render(ReportFixtures.Report(Names3, ReportFixtures.Confusion3)));
        var bars = document.ById("class-accuracy").Named("g").Where(g => (string?)g.Attribute("class") == "class-bar").ToList();
        Assert.Equal([8, 5, 10], bars.Select(b => (int)b.Attribute("data-correct")!));
        Assert.Equal([10, 10, 10], bars.Select(b => (int)b.Attribute("data-total")!));
        Assert.Contains("50.0% (5/10)", bars[1].Value);
    }

    [Fact]
    public void MostConfusedPairsComeFirst()
    {
        var document = ReportFixtures.Parse(ReportHtml.Render(ReportFixtures.Report(Names3, ReportFixtures.Confusion3)));
        var rows = document.ById("confused-pairs").Named("tr").Where(r => r.Attribute("data-count") is not null).ToList();
        Assert.Equal([3, 2, 1, 1], rows.Select(r => (int)r.Attribute("data-count")!));
        Assert.Equal(("dog", "bird"), (rows[0].Named("td").ElementAt(0).Value, rows[0].Named("td").ElementAt(1).Value));
    }

    [Fact]
    public void ManyClassesGetPairsInsteadOfAGrid()
    {
        const int classes = 120;
        var names = Enumerable.Range(0, classes).Select(c => $"n{c:D8}").ToArray();
        var confusion = Enumerable.Range(0, classes).Select(t => Enumerable.Range(0, classes).Select(p => p == t ? 10 : 0).ToArray()).ToArray();
        confusion[17][42] = 7;
        confusion[99][3] = 5;
        var document = ReportFixtures.Parse(ReportHtml.Render(ReportFixtures.Report(names, confusion)));
        Assert.DoesNotContain(document.Descendants(), e => (string?)e.Attribute("id") == "confusion-counts");
        var rows = document.ById("confused-pairs").Named("tr").Where(r => r.Attribute("data-count") is not null).ToList();
        Assert.Equal([(17, 42, 7), (99, 3, 5)], rows.Select(r => ((int)r.Attribute("data-true")!, (int)r.Attribute("data-predicted")!, (int)r.Attribute("data-count")!)));
        var weakest = document.ById("class-accuracy-lowest").Named("g").Where(g => (string?)g.Attribute("class") == "class-bar").Select(g => (int)g.Attribute("data-class")!).ToList();
        Assert.Equal(20, weakest.Count);
        Assert.Equal([17, 99], weakest.Take(2));
    }

    [Fact]
    public void HostileClassNamesAreEscaped()
    {
        string[] names = ["<script>alert('x')</script>", "a & \"b\"", "ctrl\u0001char"];
        var html = ReportHtml.Render(ReportFixtures.Report(names, ReportFixtures.Confusion3,
            samples: [ReportFixtures.Sample(0, 0, [(0, 0.9), (1, 0.05), (2, 0.05)])]));
        var document = ReportFixtures.Parse(html);
        Assert.Empty(document.All("script"));
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains("a &amp; &quot;b&quot;", html);
        Assert.Contains("<script>alert('x')</script>", document.ById("confused-pairs").Value);
    }

    [Fact]
    public void ReportNeedsNothingFromOutside()
    {
        var html = ReportHtml.Render(ReportFixtures.Report(Names3, ReportFixtures.Confusion3));
        var document = ReportFixtures.Parse(html);
        Assert.Empty(document.All("script"));
        Assert.Empty(document.All("link"));
        foreach (var attribute in document.Descendants().Attributes().Where(a => a.Name.LocalName is "src" or "href"))
        {
            Assert.StartsWith("data:", attribute.Value);
        }
        Assert.All(Regex.Matches(html, @"url\(([^)]*)\)").Select(m => m.Groups[1].Value), target => Assert.StartsWith("#", target));
        Assert.DoesNotContain("@import", html);
        Assert.DoesNotContain("@font-face", html);
    }

    [Fact]
    public void SampleCardsShowTopFiveWithTheTruthHighlighted()
    {
        var document = ReportFixtures.Parse(ReportHtml.Render(ReportFixtures.Report(Names3, ReportFixtures.Confusion3)));
        var cards = document.ById("samples-random").Named("figure").ToList();
        Assert.Equal(["sample correct", "sample wrong"], cards.Select(c => (string?)c.Attribute("class")));
        var wrong = cards[1];
        Assert.Equal("dog", wrong.Named("figcaption").Single().Named("span").Last().Value);
        var guesses = wrong.Named("g").ToList();
        Assert.Equal(["2", "1", "0"], guesses.Select(g => (string?)g.Attribute("data-class")));
        Assert.Equal("guess truth", (string?)guesses[1].Attribute("class"));
        Assert.StartsWith("data:image/png;base64,", (string?)wrong.Named("img").Single().Attribute("src"));
        Assert.Single(document.ById("samples-wrong").Named("figure"));
    }

    [Fact]
    public void RenderingIsDeterministic() =>
        Assert.Equal(ReportHtml.Render(ReportFixtures.Report(Names3, ReportFixtures.Confusion3)), ReportHtml.Render(ReportFixtures.Report(Names3, ReportFixtures.Confusion3)));
}
