namespace AlexNet.Mpi.Tests.Support;

/// <summary>A theory that starts MPI jobs: reported as skipped (not passed) where Open MPI is missing. CI installs it.</summary>
public sealed class MpiTheoryAttribute : TheoryAttribute
{
    public MpiTheoryAttribute()
    {
        if (MpiAvailability.Reason is { } reason) Skip = reason;
    }
}
