namespace AlexNet.Mpi.Tests.Support;

/// <summary>Whether jobs can be started here: mpirun on the PATH and Open MPI's library loadable. Checked once.</summary>
internal static class MpiAvailability
{
    private static readonly Lazy<string?> Missing = new(() =>
    {
        var paths = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        if (!paths.Any(p => File.Exists(Path.Combine(p, "mpirun"))))
        {
            return $"mpirun is not installed; install the Debian package {MpiLibrary.DebianPackage}";
        }
        try
        {
            MpiLibrary.Load();
            return null;
        }
        catch (AlexNetException e)
        {
            return e.Message;
        }
    });

    /// <summary>Null when MPI jobs can run, else why not (naming the Debian package).</summary>
    public static string? Reason => Missing.Value;
}
