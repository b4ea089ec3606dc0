using System.Xml;
using System.Xml.Linq;
using AlexNet.Data.Images;
using AlexNet.Models;
using AlexNet.Reporting;
using AlexNet.Training;

namespace AlexNet.Tests.Reporting;

/// <summary>Reports built in memory from known figures, and the XHTML parser the tests read them with.</summary>
public static class ReportFixtures
{
    /// <summary>A known 3-class confusion matrix: rows are true classes.</summary>
    public static readonly int[][] Confusion3 = [[8, 1, 1], [2, 5, 3], [0, 0, 10]];

    public static IReadOnlyList<EpochMetrics> History(int epochs, bool validation = true) =>
        Enumerable.Range(1, epochs).Select(e => new EpochMetrics(
            e, e <= epochs / 2 ? 0.01 : 0.001, 2.0 / e, 1 - 0.7 / (e + 1), validation ? 2.2 / e : null, validation ? 1 - 0.75 / (e + 1) : null,
            validation ? 1 - 0.3 / (e + 1) : null, 400 + e, 150 + e, 1 - 0.35 / (e + 1))).ToList();

    public static RunReport Report(IReadOnlyList<string> classNames, int[][] confusion, int epochs = 5, EvaluatedSplit split = EvaluatedSplit.Validation,
        bool validation = true, IReadOnlyList<SamplePrediction>? samples = null)
    {
        var count = confusion.Sum(row => row.Sum());
        var correct = confusion.Select((row, c) => row[c]).Sum();
        var result = new EvaluationResult(0.4321, (double)correct / count, 0.95, count, confusion);
        samples ??= [Sample(0, 0, [(0, 0.7), (1, 0.2), (2, 0.1)]), Sample(1, 1, [(2, 0.6), (1, 0.3), (0, 0.1)])];
        var evaluation = new ReportEvaluation(split, "squares (validation)", result, samples, samples.Where(s => !s.Correct).ToList());
        var model = new ModelConfig(Architecture.Mini, classNames.Count).Resolve();
        var description = new RunDescription(new DataRequest("/data/squares"), model, new TrainingOptions(Epochs: epochs));
        return new RunReport("run-test", description, model, 550_538, History(epochs, validation), null, classNames, "best.safetensors", epochs, evaluation);
    }

    public static SamplePrediction Sample(int position, int label, (int Class, double P)[] top)
    {
        var pixels = new byte[28 * 28];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i * 7 % 256);
        return new SamplePrediction(position, label, new Image(28, 28, 1, pixels), top.Select(t => new ClassProbability(t.Class, t.P)).ToList());
    }

    /// <summary>Parses the report as XML (it is written in XHTML syntax); fails the test if it is not well-formed.</summary>
    public static XDocument Parse(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    public static IEnumerable<XElement> All(this XDocument document, string localName) =>
        document.Descendants().Where(e => e.Name.LocalName == localName);

    public static XElement ById(this XDocument document, string id) =>
        document.Descendants().Single(e => (string?)e.Attribute("id") == id);

    public static IEnumerable<XElement> Named(this XElement element, string localName) =>
        element.Descendants().Where(e => e.Name.LocalName == localName);
}
