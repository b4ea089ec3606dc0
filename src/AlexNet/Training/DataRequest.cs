using AlexNet.Data;
using AlexNet.Data.Sources;

namespace AlexNet.Training;

/// <summary>
/// The data a run trains on, as the user named it; saved in the run directory (run.json) so that
/// <c>--resume</c> reopens exactly the same data. <see cref="CifarLabels"/> picks CIFAR-100's fine or coarse labels;
/// <see cref="ClassNamesFile"/> (a synset_words.txt, see <see cref="SynsetWords"/>) gives the classes readable names
/// in the run's report.
/// </summary>
public sealed record DataRequest(
    string Data = DataRequest.FashionMnistName,
    DataSetLayout? Layout = null,
    string? ImageLabelsJson = null,
    string? LabelIndexJson = null,
    bool SkipBadImages = false,
    int Workers = 0,
    CifarLabels CifarLabels = CifarLabels.Fine,
    string? ClassNamesFile = null)
{
    /// <summary>The name that stands for Debian's Fashion-MNIST folder.</summary>
    public const string FashionMnistName = "fashion-mnist";

    public string Path => Data == FashionMnistName ? FashionMnist.DefaultDirectory : Data;
}
