using System.Security.Cryptography;
using AlexNet.Checkpoints;
using AlexNet.Cli;
using AlexNet.Interop.Download;
using AlexNet.Interop.Tests.Support;
using AlexNet.Models;

namespace AlexNet.Interop.Tests.Download;

/// <summary>
/// <c>alexnet import torchvision</c>: the weights come over HTTP into the cache folder, are checked against the
/// SHA-256 prefix in their name, are never kept when broken or corrupt, and are imported. A local server stands in
/// for download.pytorch.org, serving the reduced torchvision fixture under its own hash prefix.
/// </summary>
public sealed class TorchvisionDownloadTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly LocalHttpServer _server = new();
    private readonly byte[] _weights = File.ReadAllBytes(InteropFixtures.Path("torchvision_reduced.pth"));

    public void Dispose()
    {
        _server.Dispose();
        _folder.Dispose();
    }

    private string NameWithHash => $"alexnet-owt-{Convert.ToHexStringLower(SHA256.HashData(_weights))[..8]}.pth";

    private string Cache => _folder.File("cache");

    private (int Code, string Output, string Error) Import(Uri url, string output)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = Program.Run(["import", "torchvision", "--url", url.ToString(), "--cache", Cache, "-o", output], o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void DownloadsIntoTheCacheChecksTheHashAndImports()
    {
        _server.Serve(NameWithHash, _weights);
        var result = Import(_server.Url(NameWithHash), _folder.File("tv.safetensors"));
        Assert.True(result.Code == 0, result.Error);
        Assert.Contains("Downloading", result.Output);
        Assert.Equal(_weights, File.ReadAllBytes(Path.Combine(Cache, NameWithHash)));
        Assert.Single(Directory.GetFiles(Cache));
        var checkpoint = Checkpoint.Load(_folder.File("tv.safetensors"));
        Assert.Equal(Architecture.Torchvision, checkpoint.Network.Config.Architecture);
        Assert.Equal("tench", checkpoint.ClassNames[0]);

        // A second import uses the cached file without asking the server.
        var requests = _server.Requests;
        var again = Import(_server.Url(NameWithHash), _folder.File("tv2.safetensors"));
        Assert.True(again.Code == 0, again.Error);
        Assert.Contains("downloaded before", again.Output);
        Assert.Equal(requests, _server.Requests);
    }

    [Fact]
    public void ACorruptDownloadIsNotKept()
    {
        var corrupt = _weights.ToArray();
        corrupt[^100] ^= 0xFF;
        _server.Serve(NameWithHash, corrupt);
        var result = Import(_server.Url(NameWithHash), _folder.File("tv.safetensors"));
        Assert.Equal(1, result.Code);
        Assert.Contains("is corrupt: its SHA-256 is", result.Error);
        Assert.Empty(Directory.GetFiles(Cache));
        Assert.False(File.Exists(_folder.File("tv.safetensors")));
    }

    [Fact]
    public void ABrokenTransferIsNotKept()
    {
        _server.Serve(NameWithHash, _weights[..(_weights.Length / 2)], announced: _weights.Length);
        var result = Import(_server.Url(NameWithHash), _folder.File("tv.safetensors"));
        Assert.Equal(1, result.Code);
        Assert.Contains($"of {_weights.Length:N0} bytes", result.Error);
        Assert.Empty(Directory.GetFiles(Cache));
    }

    [Fact]
    public void MissingFilesAndUncheckableNamesAreErrors()
    {
        var missing = Import(_server.Url(NameWithHash), _folder.File("tv.safetensors"));
        Assert.Equal(1, missing.Code);
        Assert.Contains("404", missing.Error);

        _server.Serve("alexnet.pth", _weights);
        var unnamed = Import(_server.Url("alexnet.pth"), _folder.File("tv.safetensors"));
        Assert.Equal(1, unnamed.Code);
        Assert.Contains("SHA-256 prefix", unnamed.Error);
        Assert.False(Directory.Exists(Cache) && Directory.GetFiles(Cache).Length > 0);
    }

    [Fact]
    public void AStaleCachedFileIsDownloadedAgain()
    {
        Directory.CreateDirectory(Cache);
        File.WriteAllBytes(Path.Combine(Cache, NameWithHash), [1, 2, 3]);
        _server.Serve(NameWithHash, _weights);
        var result = Import(_server.Url(NameWithHash), _folder.File("tv.safetensors"));
        Assert.True(result.Code == 0, result.Error);
        Assert.Contains("does not match its SHA-256 prefix", result.Output);
        Assert.Equal(_weights, File.ReadAllBytes(Path.Combine(Cache, NameWithHash)));
    }

    [Fact]
    public void TheDefaultsAreTorchvisionsAddressAndTheUsersCache()
    {
        Assert.Equal("7be5be79", VerifiedDownload.HashPrefixOf(Path.GetFileName(new Uri(TorchvisionWeights.DefaultUrl).AbsolutePath)));
        Assert.StartsWith("https://", TorchvisionWeights.DefaultUrl);
        Assert.EndsWith("alexnet", WeightCache.DefaultFolder());
    }
}
