using AlexNet.Training;

namespace AlexNet.Cli.Display;

/// <summary>
/// Log lines for output that is not a terminal (files, pipes, CI): a progress line at each quarter of an
/// epoch and a summary line per epoch, nothing that relies on redrawing.
/// </summary>
public sealed class PlainTrainingDisplay(TextWriter output) : ITrainingDisplay
{
    private int _lastQuarter;

    public IReadOnlyList<EpochMetrics> Run(Trainer trainer, CancellationToken cancellation)
    {
        trainer.OnProgress = p =>
        {
            var quarter = 4 * p.Batch / Math.Max(1, p.Batches);
            if (p.Batch == p.Batches || quarter == _lastQuarter) return;
            _lastQuarter = quarter;
            output.WriteLine(EpochLine.Format(p));
        };
        trainer.OnEpoch = m =>
        {
            _lastQuarter = 0;
            output.WriteLine(EpochLine.Format(m));
        };
        return trainer.Run(cancellation);
    }
}
