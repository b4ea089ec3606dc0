using AlexNet.OneDnn;
using Xunit;

namespace AlexNet.OneDnn.Tests.Support;

/// <summary>A test that needs libdnnl2: reported as skipped (not passed) where the library is missing.</summary>
public sealed class OneDnnFactAttribute : FactAttribute
{
    public OneDnnFactAttribute()
    {
        if (OneDnnAvailability.Reason is { } reason) Skip = reason;
    }
}
