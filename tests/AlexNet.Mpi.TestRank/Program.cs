using AlexNet;
using AlexNet.Backends;
using AlexNet.Data;
using AlexNet.Data.Loading;
using AlexNet.Data.Sources;
using AlexNet.Data.Transforms;
using AlexNet.Distributed;
using AlexNet.Imaging;
using AlexNet.Models;
using AlexNet.Mpi;
using AlexNet.OneDnn;
using AlexNet.Optim;
using AlexNet.Training;

// Usage: AlexNet.Mpi.TestRank equivalence|bad-sample DATA RUN_DIR managed|auto
//        AlexNet.Mpi.TestRank overlap managed|auto
//        AlexNet.Mpi.TestRank ring managed
// Runs alone, or as one rank under mpirun; rank 0 writes RUN_DIR like `alexnet train` does. ALEXNET_TEST_ALLREDUCE=mpi
// sums the gradients with MPI_Allreduce instead of the ring.
var (mode, backendName) = (args[0], args[^1]);
var (data, runDirectory) = mode is "overlap" or "ring" ? ("", "") : (args[1], args[2]);
// The overlap probe wants a bucket per parameter (one byte each), so that the last layer's gradients go at once.
var bucketMegabytes = mode == "overlap" ? 1e-6 : 0.05;
var allReduce = MpiGroupOptions.ParseAllReduce(Environment.GetEnvironmentVariable("ALEXNET_TEST_ALLREDUCE") ?? "ring");
var process = DataParallelProcess.Join(new MpiGroupOptions(BucketMegabytes: bucketMegabytes, PeerTimeoutSeconds: 20, AllReduce: allReduce), Console.Out, Console.Error);
try
{
    return process.Run(() =>
    {
        if (mode == "ring")
        {
            var mpi = process.Group as MpiTrainingGroup ?? throw new AlexNetException("The ring probe runs under mpirun.");
            Console.Out.WriteLine($"rank {mpi.Rank} of {mpi.Size}: {AlexNet.Mpi.TestRank.RingProbe.Run(mpi)}");
            return 0;
        }
        var backend = BackendResolver.Resolve(backendName == "auto" ? BackendChoice.Auto : BackendChoice.Managed, TextWriter.Null);
        if (mode == "overlap")
        {
            Console.Out.WriteLine($"rank {process.Group.Rank} of {process.Group.Size}: {AlexNet.Mpi.TestRank.OverlapProbe.Run(backend, process.Group)}");
            return 0;
        }
        var trainer = mode switch
        {
            "equivalence" => ReducedPaper(data, new RunDirectory(runDirectory), backend, process.Group),
            "bad-sample" => UnscannedMini(data, new RunDirectory(runDirectory), backend, process.Group),
            _ => throw new AlexNetException($"unknown mode '{mode}'"),
        };
        trainer.Run();
        process.Output.WriteLine($"trained {trainer.State.Step} steps on {process.Group.Size} ranks");
        return 0;
    });
}
catch (AlexNetException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

// The reduced-width paper network of the PyTorch fixtures (16/32/48/48/32 filters, 64 hidden units, 99×99 input) with
// dropout 0.5, trained on the paper's augmentation (random crops, flips, PCA lighting) with SGD and momentum.
static Trainer ReducedPaper(string data, RunDirectory run, IBackend backend, ITrainingGroup group)
{
    var config = new ModelConfig(Architecture.Paper, Classes: 3, InputChannels: 3, InputSize: 99, Widths: new LayerWidths(16, 32, 48, 48, 32, 64));
    var options = new TrainingOptions(Epochs: 1, BatchSize: 6, LearningRate: 0.01, Seed: 7, ValidationFraction: 0, Schedule: new ScheduleOptions(ScheduleKind.Constant));
    // Each rank initialises its own weights differently: the run must start from rank 0's, which it broadcasts.
    var initial = ModelFactory.Create(config, options.Seed + 1000 * (ulong)group.Rank);
    return TrainingRuns.Start(new DataRequest(data, Workers: 1), Architecture.Paper, 99, options, run, new NativeImageDecoder(), backend,
        startFrom: (initial, ["astronaut", "cat", "coffee"]), group: group);
}

// mini on a loader that does not check the images first, as a data set that changed under a running job would be:
// the bad file fails on whichever rank's share holds it, in the middle of an epoch.
static Trainer UnscannedMini(string data, RunDirectory run, IBackend backend, ITrainingGroup group)
{
    var source = DataSetDetector.Open(data, new NativeImageDecoder()).Train!;
    var converter = SampleConverter.PerChannel(32, ChannelOrder.Rgb, [0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f]);
    var pipeline = new SamplePipeline([new ResizeShorterSide(32), new CenterCrop(32), new RandomHorizontalFlip()], converter);
    var options = new TrainingOptions(Epochs: 2, BatchSize: 6, Seed: 3, ValidationFraction: 0);
    var loader = new DataLoader(source, pipeline, new DataLoaderOptions { BatchSize = 6, Seed = options.Seed, Workers = 1, Shard = group.Shard });
    var network = ModelFactory.Create(new ModelConfig(Architecture.Mini, source.ClassNames.Count, 3, 32), options.Seed);
    return Trainer.StartNew(network, options, new LoaderBatches(loader, data), null, converter.ToPreprocessing(), run, backend, group);
}
