namespace AlexNet.Mpi.Tests.Support;

/// <summary>A test that starts MPI jobs: reported as skipped (not passed) where Open MPI is missing. CI installs it.</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        if (MpiAvailability.Reason is { } reason) Skip = reason;
    }
}
