using AlexNet.Backends;
using AlexNet.Data.Images;
using AlexNet.Training;

namespace AlexNet.Reporting;

/// <summary>The one call that turns a run directory into its report.html (or the path the options name).</summary>
public static class RunReportWriter
{
    /// <returns>The full path of the report written.</returns>
    public static string Write(string runDirectory, IImageDecoder decoder, IBackend? backend = null, RunReportOptions? options = null,
        CancellationToken cancellation = default)
    {
        options ??= new RunReportOptions();
        var report = RunReport.Create(runDirectory, decoder, backend, options, cancellation);
        var path = options.OutputPath ?? new RunDirectory(runDirectory).Report;
        return ReportHtml.Write(report, path);
    }
}
