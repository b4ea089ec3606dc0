using AlexNet.Training;

namespace AlexNet.Cli.Display;

/// <summary>Shows a training run as it goes: progress bars on a terminal, log lines elsewhere.</summary>
public interface ITrainingDisplay
{
    IReadOnlyList<EpochMetrics> Run(Trainer trainer, CancellationToken cancellation);

    /// <summary>Progress bars when <paramref name="output"/> is an interactive terminal, log lines otherwise.</summary>
    public static ITrainingDisplay For(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && Spectre.Console.AnsiConsole.Profile.Capabilities.Interactive
            ? new ProgressBarTrainingDisplay()
            : new PlainTrainingDisplay(output);
}
