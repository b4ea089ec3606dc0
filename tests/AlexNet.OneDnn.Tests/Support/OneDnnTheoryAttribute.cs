using Xunit;

namespace AlexNet.OneDnn.Tests.Support;

/// <summary>A theory that needs libdnnl2: reported as skipped (not passed) where the library is missing.</summary>
public sealed class OneDnnTheoryAttribute : TheoryAttribute
{
    public OneDnnTheoryAttribute()
    {
        if (OneDnnAvailability.Reason is { } reason) Skip = reason;
    }
}
