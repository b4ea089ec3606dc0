using System.CommandLine;
using AlexNet.Backends;
using AlexNet.Data.Sources;
using AlexNet.Training;

namespace AlexNet.Cli.Commands;

/// <summary>Options shared by several commands, defined once so they read the same everywhere.</summary>
public static class CommonOptions
{
    public static Option<string> Architecture(string defaultName) => new("--arch")
    {
        Description = "Architecture: paper, torchvision, mini, caffe, caffenet or keras-cifar10",
        DefaultValueFactory = _ => defaultName,
    };

    /// <summary><c>--backend auto|onednn|managed</c>: where forward and backward passes run.</summary>
    public static Option<string> Backend()
    {
        var option = new Option<string>("--backend")
        {
            Description = "Compute backend: auto (oneDNN when libdnnl2 is installed, else managed), onednn or managed",
            DefaultValueFactory = _ => "auto",
        };
        option.AcceptOnlyFromAmong("auto", "onednn", "managed");
        return option;
    }

    /// <summary>Under mpirun: which all-reduce sums the gradients (parsed by MpiGroupOptions.ParseAllReduce).</summary>
    public static Option<string> AllReduce()
    {
        var option = new Option<string>("--allreduce")
        {
            Description = "Under mpirun: how gradients are summed: ring (ours, segmented, over MPI_Sendrecv) or mpi (the MPI library's MPI_Allreduce, for clusters whose MPI has faster collectives)",
            DefaultValueFactory = _ => "ring",
        };
        option.AcceptOnlyFromAmong("ring", "mpi");
        return option;
    }

    /// <summary>The <see cref="BackendChoice"/> for a value <see cref="Backend"/> accepted.</summary>
    public static BackendChoice ParseBackend(string value) => value switch
    {
        "onednn" => BackendChoice.OneDnn,
        "managed" => BackendChoice.Managed,
        "auto" => BackendChoice.Auto,
        _ => throw new AlexNetException($"--backend: unknown backend '{value}' (expected auto, onednn or managed)."),
    };

    /// <summary>The options that say which data to read; <see cref="Request"/> turns them into a <see cref="DataRequest"/>.</summary>
    public sealed class DataOptions
    {
        public Option<string> Data { get; } = new("--data")
        {
            Description = "Data set: 'fashion-mnist' (Debian's dataset-fashion-mnist), a folder (class folders, the seed's train/val/test + JSON maps, CIFAR-10/100 batches, IDX files), a CIFAR .tar.gz or a CSV list",
            DefaultValueFactory = _ => DataRequest.FashionMnistName,
        };

        public Option<string> Layout { get; } = new("--layout")
        {
            Description = "Force the data set layout instead of detecting it",
            DefaultValueFactory = _ => "auto",
        };

        public Option<string?> ImageLabels { get; } = new("--image-labels") { Description = "JSON file mapping image id to label name (seed layout)" };

        public Option<string?> LabelIndex { get; } = new("--label-index") { Description = "JSON file mapping label name to class index (seed layout)" };

        public Option<int> Workers { get; } = new("--workers") { Description = "Loader threads (default: all cores)" };

        public Option<string> Labels { get; } = new("--labels")
        {
            Description = "CIFAR-100's labels: fine (100 classes) or coarse (20 superclasses)",
            DefaultValueFactory = _ => "fine",
        };

        public DataOptions()
        {
            Layout.AcceptOnlyFromAmong("auto", "class-folders", "seed-json", "csv", "cifar10", "cifar100", "idx");
            Labels.AcceptOnlyFromAmong("fine", "coarse");
        }

        public IEnumerable<Option> All => [Data, Layout, ImageLabels, LabelIndex, Workers, Labels];

        public DataRequest Request(ParseResult result, bool skipBadImages = false) => new(
            result.GetValue(Data)!,
            result.GetValue(Layout) switch
            {
                "class-folders" => DataSetLayout.ClassFolders,
                "seed-json" => DataSetLayout.SeedJson,
                "csv" => DataSetLayout.CsvList,
                "cifar10" => DataSetLayout.Cifar10,
                "cifar100" => DataSetLayout.Cifar100,
                "idx" => DataSetLayout.Idx,
                _ => null,
            },
            result.GetValue(ImageLabels),
            result.GetValue(LabelIndex),
            skipBadImages,
            result.GetValue(Workers),
            result.GetValue(Labels) == "coarse" ? CifarLabels.Coarse : CifarLabels.Fine);
    }

    /// <summary><c>--class-names FILE</c>: readable names for classes named by WordNet ids (ImageNet's synset_words.txt).</summary>
    public static Option<string?> ClassNames() => new("--class-names")
    {
        Description = "A file of 'id words…' lines (ImageNet's synset_words.txt) giving classes named by ids readable names",
    };
}
