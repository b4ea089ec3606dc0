using System.Globalization;
using AlexNet.Training;
using Spectre.Console;

namespace AlexNet.Cli.Display;

/// <summary>
/// One Spectre.Console progress bar per epoch with images/s, time left, running loss and accuracy; a finished
/// epoch's bar keeps its summary (validation figures included) as its description.
/// </summary>
public sealed class ProgressBarTrainingDisplay : ITrainingDisplay
{
    public IReadOnlyList<EpochMetrics> Run(Trainer trainer, CancellationToken cancellation)
    {
        IReadOnlyList<EpochMetrics> history = [];
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask? bar = null;
                trainer.OnProgress = p =>
                {
                    bar ??= context.AddTask(Label(p.Epoch, p.Epochs), maxValue: p.Batches);
                    bar.Value = p.Batch;
                    bar.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                        $"{Label(p.Epoch, p.Epochs)}  loss {p.RunningLoss:F4}  top-1 {p.RunningTop1:P1}  {p.ImagesPerSec:F0} img/s{EpochLine.Ranks(p)}"));
                };
                trainer.OnEpoch = m =>
                {
                    bar ??= context.AddTask(Label(m.Epoch, trainer.State.Options.Epochs), maxValue: 1);
                    bar.Value = bar.MaxValue;
                    bar.Description = Markup.Escape(EpochLine.Format(m));
                    bar.StopTask();
                    bar = null;
                };
                history = trainer.Run(cancellation);
            });
        return history;
    }

    private static string Label(int epoch, int epochs) => $"epoch {epoch}/{epochs}";
}
