namespace AlexNet.Mpi;

/// <summary>
/// Whether this process was started as one rank of an MPI job. Open MPI's mpirun sets <c>OMPI_COMM_WORLD_SIZE</c>
/// in every process it starts; Slurm's <c>srun --mpi=pmix</c> sets <c>PMIX_RANK</c>. A process started any other way
/// runs alone and never loads the MPI library.
/// </summary>
public static class MpiLaunch
{
    public static bool Detected => Detect(Environment.GetEnvironmentVariable);

    /// <summary>The decision on any environment (tests pass their own).</summary>
    public static bool Detect(Func<string, string?> environment) =>
        !string.IsNullOrEmpty(environment("OMPI_COMM_WORLD_SIZE")) || !string.IsNullOrEmpty(environment("PMIX_RANK"));
}
