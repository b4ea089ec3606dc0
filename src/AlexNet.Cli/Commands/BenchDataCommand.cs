using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Data.Loading;
using AlexNet.Data.Transforms;
using AlexNet.Imaging;
using AlexNet.Training;

namespace AlexNet.Cli.Commands;

/// <summary>
/// <c>alexnet bench-data DIR</c>: images per second through the paper's training pipeline (decode, shorter
/// side to 256, crops, flip, PCA lighting, normalization) with the worker-thread loader, so that one can
/// see whether loading keeps up with training.
/// </summary>
public static class BenchDataCommand
{
    public static Command Create(TextWriter output)
    {
        var data = new Argument<string>("data") { Description = "Data set folder or CSV list (any layout train reads)" };
        var inputSize = new Option<int>("--input-size") { Description = "Crop size", DefaultValueFactory = _ => 227 };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per batch", DefaultValueFactory = _ => 128 };
        var batches = new Option<int>("--batches") { Description = "Batches to time, from the loader's start (start-up included, so the figure is conservative)", DefaultValueFactory = _ => 20 };
        var workers = new Option<int>("--workers") { Description = "Loader threads (default: all cores)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var command = new Command("bench-data", "Measure decoding and augmentation throughput of the data loader") { data, inputSize, batchSize, batches, workers, json };
        command.SetAction((result, cancellation) =>
        {
            var request = new DataRequest(result.GetValue(data)!, Workers: result.GetValue(workers));
            var dataSet = TrainingData.Open(request, new NativeImageDecoder());
            var train = dataSet.Train ?? throw new AlexNetException($"Data set '{dataSet.Path}' has no training split.");
            var batchCount = result.GetValue(batches);
            if (batchCount < 1) throw new AlexNetException($"--batches must be at least 1, got {batchCount}.");
            // ImageNet's usual statistics: the figure measures the work, not the data's own statistics.
            var converter = SampleConverter.PerChannel(result.GetValue(inputSize), ChannelOrder.Rgb, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);
            var loader = new DataLoader(train, SamplePipeline.PaperTraining(converter, new PcaLighting(PcaStatistics.ImageNet)), new DataLoaderOptions
            {
                BatchSize = result.GetValue(batchSize),
                Workers = request.Workers > 0 ? request.Workers : Environment.ProcessorCount,
                Seed = 1,
            });
            var images = 0;
            var seen = 0;
            var clock = Stopwatch.StartNew();
            for (var epoch = 0; seen < batchCount; epoch++)
            {
                foreach (var batch in loader.Epoch(epoch, cancellation))
                {
                    images += batch.Labels.Length;
                    if (++seen == batchCount) break;
                }
            }
            clock.Stop();
            var perSecond = images / clock.Elapsed.TotalSeconds;
            if (result.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    data = dataSet.Path,
                    images,
                    seconds = clock.Elapsed.TotalSeconds,
                    images_per_sec = perSecond,
                    workers = loader.Options.Workers,
                    input_size = converter.InputSize,
                }, JsonDefaults.Options));
            }
            else
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{images:N0} images in {clock.Elapsed.TotalSeconds:F2} s: {perSecond:F0} images/s (decode, resize 256, crop {converter.InputSize}, flip, PCA lighting, normalize; {loader.Options.Workers} workers)"));
            }
            return Task.FromResult(0);
        });
        return command;
    }
}
