// An application that uses the toolkit as a library, through its public API only:
//   dotnet run --project examples/ClassifyImages -- train DATA_DIR RUN_DIR [EPOCHS]
//   dotnet run --project examples/ClassifyImages -- predict MODEL.safetensors IMAGE...
using AlexNet;
using AlexNet.Classification;
using AlexNet.Models;
using AlexNet.Training;

namespace ClassifyImages;

public static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            return args switch
            {
                ["train", var data, var run] => Train(data, run, epochs: 3),
                ["train", var data, var run, var epochs] => Train(data, run, int.Parse(epochs)),
                ["predict", var model, .. var images] when images.Length > 0 => Predict(model, images),
                _ => Usage(),
            };
        }
        catch (AlexNetException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static int Train(string data, string run, int epochs)
    {
        using var classifier = AlexNetClassifier.ForData(data, Architecture.Mini);
        Console.WriteLine($"Classes: {string.Join(", ", classifier.ClassNames)}");
        classifier.Fit(new TrainingOptions(Epochs: epochs), run,
            epoch => Console.WriteLine($"epoch {epoch.Epoch}: train loss {epoch.TrainLoss:F4}, validation top-1 {epoch.ValTop1:P1}"));
        var model = Path.Combine(run, "model.safetensors");
        classifier.Save(model);
        Console.WriteLine($"Saved {model}");
        return 0;
    }

    private static int Predict(string model, string[] images)
    {
        using var classifier = AlexNetClassifier.Load(model);
        // Several images at once: the classifier is safe to call from many threads.
        var results = images.AsParallel().AsOrdered().Select(image => (image, top: classifier.PredictTop(image, 3))).ToList();
        foreach (var (image, top) in results)
        {
            Console.WriteLine(image);
            foreach (var score in top) Console.WriteLine($"  {score.Probability,7:P2}  {score.Label}");
        }
        return 0;
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: ClassifyImages train DATA_DIR RUN_DIR [EPOCHS] | predict MODEL.safetensors IMAGE...");
        return 2;
    }
}
