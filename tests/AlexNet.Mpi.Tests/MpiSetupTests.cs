namespace AlexNet.Mpi.Tests;

public sealed class MpiSetupTests
{
    [Fact]
    public void AProcessIsARankWhenMpirunOrSrunStartedIt()
    {
        Assert.False(MpiLaunch.Detect(_ => null));
        Assert.True(MpiLaunch.Detect(name => name == "OMPI_COMM_WORLD_SIZE" ? "2" : null));
        Assert.True(MpiLaunch.Detect(name => name == "PMIX_RANK" ? "0" : null));
        Assert.False(MpiLaunch.Detect(name => name == "SLURM_PROCID" ? "0" : null));
    }

    [Fact]
    public void AMissingLibraryNamesTheDebianPackage()
    {
        var error = Assert.Throws<AlexNetException>(() => MpiLibrary.Load("libmpi.so.0-missing"));
        Assert.Contains("libmpi.so.0-missing could not be loaded", error.Message);
        Assert.Contains("apt-get install openmpi-bin", error.Message);
    }

    [Theory]
    [InlineData(0, 30, "--bucket-mb must be a positive number, got 0.")]
    [InlineData(double.NaN, 30, "--bucket-mb must be a positive number")]
    [InlineData(25, 2, "--peer-timeout must be at least 3 seconds (three heartbeats), got 2.")]
    public void BadOptionsAreNamed(double bucketMegabytes, double peerTimeout, string message) =>
        Assert.Contains(message, Assert.Throws<AlexNetException>(() => new MpiGroupOptions(bucketMegabytes, peerTimeout).Validate()).Message);

    [Fact]
    public void TwentyFiveMegabytesAreTwentyFiveMillionBytes() => Assert.Equal(25_000_000, new MpiGroupOptions().BucketBytes);
}
