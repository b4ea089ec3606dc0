using System.CommandLine;
using AlexNet.Cli.Commands;

namespace AlexNet.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        // mpirun hands each rank a pseudo-terminal as stdout, which would make .NET write terminal control sequences
        // (and the trainer draw progress bars) into the job's merged output: a rank writes plain text, as into a file.
        if (Mpi.MpiLaunch.Detected) Environment.SetEnvironmentVariable("TERM", "dumb");
        return Run(args, Console.Out, Console.Error);
    }

    /// <summary>Runs one command line; user errors become a message on stderr and exit code 1, never a stack trace.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("AlexNet (Krizhevsky, Sutskever and Hinton 2012) in C#: build, train and evaluate.")
        {
            SummaryCommand.Create(output),
            TrainCommand.Create(output, error),
            EvaluateCommand.Create(output),
            PredictCommand.Create(output, error),
            BenchDataCommand.Create(output),
            BenchCommand.Create(output, error),
            KernelsCommand.Create(output),
            ReportCommand.Create(output),
            SamplesCommand.Create(output),
            ImportCommand.Create(output),
            ExportCommand.Create(output),
            FeaturesCommand.Create(output),
        };
        try
        {
            var parsed = root.Parse(args);
            return parsed.Invoke(new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
                // Ctrl+C lets training finish its step and save; a paper-sized step plus a 700 MB checkpoint can take
                // tens of seconds on a small machine, far beyond the library's 2 s default.
                ProcessTerminationTimeout = TimeSpan.FromMinutes(3),
            });
        }
        catch (AlexNetException e)
        {
            error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("Interrupted.");
            return 130;
        }
    }
}
