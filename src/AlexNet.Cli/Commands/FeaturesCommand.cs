using System.CommandLine;
using AlexNet.Checkpoints;
using AlexNet.Data.Sources;
using AlexNet.Imaging;
using AlexNet.Inference.Features;
using AlexNet.OneDnn;

namespace AlexNet.Cli.Commands;

/// <summary>
/// <c>alexnet features</c>: one row of a layer's activations per image (pool5, fc6, fc7 …) into a .npy or .csv file,
/// with the images and labels listed beside it, for classifiers trained outside the toolkit.
/// </summary>
public static class FeaturesCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Option<string>("--model") { Description = "Checkpoint (.safetensors) whose layer to read", Required = true };
        var layer = new Option<string>("--layer") { Description = "Layer whose output becomes the features: pool5, fc6, fc7, relu7 … (see alexnet summary)", DefaultValueFactory = _ => "fc7" };
        var inputs = new Argument<string[]>("inputs")
        {
            Description = "A data set (any layout --data reads, or 'fashion-mnist'), or image files and folders",
            Arity = ArgumentArity.OneOrMore,
        };
        var outputPath = new Option<string>("--out", "-o") { Description = "Features file to write: NAME.npy or NAME.csv (the image list goes to NAME.images.csv)", Required = true };
        var split = new Option<string?>("--split") { Description = "train, val or test of a data set (default: every split, named in the list)" };
        split.AcceptOnlyFromAmong("train", "val", "test");
        var force = new Option<bool>("--force") { Description = "Replace existing output files" };
        var workers = new Option<int>("--workers") { Description = "Loader threads (default: all cores)" };
        var backendOption = CommonOptions.Backend();
        var command = new Command("features", "Write a layer's activations for every image to a .npy or .csv file, with a list of the images and labels")
        {
            model, layer, inputs, outputPath, split, force, workers, backendOption,
        };
        command.SetAction((result, cancellation) =>
        {
            var target = result.GetValue(outputPath)!;
            FeatureExtraction.FormatOf(target);
            var checkpoint = Checkpoint.Load(result.GetValue(model)!);
            var wanted = result.GetValue(split) switch
            {
                "train" => DataSplit.Train,
                "val" => DataSplit.Validation,
                "test" => DataSplit.Test,
                _ => (DataSplit?)null,
            };
            var parts = FeatureInputs.Resolve(result.GetValue(inputs)!, wanted, new NativeImageDecoder());
            var backend = BackendResolver.Resolve(CommonOptions.ParseBackend(result.GetValue(backendOption)!), output);
            var written = FeatureExtraction.Run(checkpoint.Network, checkpoint.Preprocessing, parts, result.GetValue(layer)!, target, backend,
                result.GetValue(workers), result.GetValue(force), cancellation);
            output.WriteLine($"Wrote {written.Rows:N0} × {written.Dimension:N0} features of {written.Layer} to {written.FeaturesFile}");
            output.WriteLine($"  images and labels, row by row: {written.ListFile}");
            return Task.FromResult(0);
        });
        return command;
    }
}
