using System.CommandLine;
using AlexNet.OneDnn;
using AlexNet.Imaging;
using AlexNet.Reporting;

namespace AlexNet.Cli.Commands;

/// <summary>
/// <c>alexnet report RUN_DIR</c>: evaluates the run's best checkpoint and writes one self-contained HTML file
/// with its training curves, confusion matrix, per-class accuracy and sample predictions.
/// </summary>
public static class ReportCommand
{
    public static Command Create(TextWriter output)
    {
        var runDirectory = new Argument<string>("RUN_DIR") { Description = "Run directory written by alexnet train" };
        var outFile = new Option<string?>("--out") { Description = $"HTML file to write (default RUN_DIR/{RunReportOptions.FileName})" };
        var samples = new Option<int>("--samples")
        {
            Description = "Random sample predictions to show (half as many misclassified images are added)",
            DefaultValueFactory = _ => RunReportOptions.DefaultSamples,
        };
        var workers = new Option<int>("--workers") { Description = "Loader threads (default: all cores)" };
        var backendOption = CommonOptions.Backend();
        var classNames = CommonOptions.ClassNames();
        var command = new Command("report", "Write an HTML report of a training run: curves, confusion matrix, per-class accuracy, sample predictions")
        {
            runDirectory, outFile, samples, workers, backendOption, classNames,
        };
        command.SetAction((result, cancellation) =>
        {
            var options = new RunReportOptions(result.GetValue(samples), OutputPath: result.GetValue(outFile), Workers: result.GetValue(workers),
                ClassNamesFile: result.GetValue(classNames)).Validate();
            var backend = BackendResolver.Resolve(CommonOptions.ParseBackend(result.GetValue(backendOption)!), output);
            var path = RunReportWriter.Write(result.GetValue(runDirectory)!, new NativeImageDecoder(), backend, options, cancellation);
            output.WriteLine($"Report: {path}");
            return Task.FromResult(0);
        });
        return command;
    }
}
