using AlexNet.Backends;
using AlexNet.Cli;
using AlexNet.OneDnn.Tests.Support;
using Xunit;

namespace AlexNet.OneDnn.Tests;

/// <summary>Which backend --backend picks, and what it says when oneDNN's library is missing.</summary>
public sealed class BackendResolverTests
{
    private const string MissingLibrary = "libdnnl-missing-for-test.so.2";

    [Fact]
    public void AutoFallsBackToManagedWithOneLineNamingTheDebianPackage()
    {
        var notices = new StringWriter();
        var backend = BackendResolver.Resolve(BackendChoice.Auto, notices, MissingLibrary);
        Assert.Same(ManagedBackend.Instance, backend);
        var lines = notices.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("backend: managed", lines[0]);
        Assert.Contains(MissingLibrary, lines[0]);
        Assert.Contains("libdnnl2", lines[0]);
    }

    [Fact]
    public void OneDnnStopsWithAMessageNamingTheDebianPackage()
    {
        var error = Assert.Throws<AlexNetException>(() => BackendResolver.Resolve(BackendChoice.OneDnn, TextWriter.Null, MissingLibrary));
        Assert.Contains("libdnnl2", error.Message);
        Assert.Contains("--backend onednn", error.Message);
    }

    [Fact]
    public void ManagedIsManagedAndSaysSo()
    {
        var notices = new StringWriter();
        Assert.Same(ManagedBackend.Instance, BackendResolver.Resolve(BackendChoice.Managed, notices));
        Assert.Equal("backend: managed", notices.ToString().Trim());
    }

    [OneDnnFact]
    public void AutoTakesOneDnnWhenItLoadsAndNamesItsVersionAndThreads()
    {
        var notices = new StringWriter();
        var backend = BackendResolver.Resolve(BackendChoice.Auto, notices);
        Assert.Equal("auto", backend.Name);
        Assert.IsType<Auto.AutoBackend>(backend);
        Assert.Matches(@"^backend: auto \(oneDNN 2\.\d+\.\d+, \d+ threads; the managed kernels for batch sizes they run faster\)$", notices.ToString().Trim());
    }

    [OneDnnFact]
    public void OneDnnChosenByNameIsOneDnnAlone()
    {
        var notices = new StringWriter();
        var backend = BackendResolver.Resolve(BackendChoice.OneDnn, notices);
        Assert.IsType<OneDnnBackend>(backend);
        Assert.Matches(@"^backend: onednn \(oneDNN 2\.\d+\.\d+, \d+ threads\)$", notices.ToString().Trim());
    }

    [Fact]
    public void AnUnknownBackendIsRefusedByTheCommandLine()
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = Program.Run(["evaluate", "--model", "none.safetensors", "--backend", "bogus"], output, error);
        Assert.NotEqual(0, code);
        Assert.Contains("bogus", output.ToString() + error.ToString());
    }

    [Theory]
    [InlineData("auto", BackendChoice.Auto)]
    [InlineData("onednn", BackendChoice.OneDnn)]
    [InlineData("managed", BackendChoice.Managed)]
    public void BackendNamesParse(string name, BackendChoice expected) => Assert.Equal(expected, Cli.Commands.CommonOptions.ParseBackend(name));

    [OneDnnFact]
    public void OneDnnAsksCallersToRunOnePlanAtATime()
    {
        // Each primitive already runs an OpenMP team over every core; Predictor queues on this.
        Assert.Equal(1, ((Backends.IBackend)OneDnnBackend.Create()).ConcurrentPlans);
    }
}
