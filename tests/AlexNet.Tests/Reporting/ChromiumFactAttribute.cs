using Xunit;

namespace AlexNet.Tests.Reporting;

/// <summary>A fact that shows as skipped, saying why, on machines without Chromium (CI installs it).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Executable is null) Skip = "Chromium is not installed: apt-get install chromium (scripts/install-deps.sh does).";
    }
}
