using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace AlexNet.Interop.Download;

/// <summary>
/// Downloads a weight file whose name carries the start of its SHA-256 (PyTorch Hub's convention,
/// <c>alexnet-owt-7be5be79.pth</c>) into a cache folder. The bytes stream into a temporary file while being
/// hashed; only a complete file (every byte the server announced) with the right hash prefix is renamed to its
/// name, so an interrupted, truncated or corrupted transfer never leaves a file that looks usable. A file already
/// in the cache is used when its hash still matches.
/// </summary>
public static partial class VerifiedDownload
{
    /// <summary>The hash prefix a file name carries: the hex digits after its last '-' (PyTorch Hub's rule).</summary>
    public static string? HashPrefixOf(string fileName) => HashPrefix().Match(fileName) is { Success: true } m ? m.Groups[1].Value.ToLowerInvariant() : null;

    public static string Fetch(Uri url, string cacheFolder, Action<string>? log = null, HttpMessageHandler? handler = null,
        CancellationToken cancellation = default)
    {
        if (url.Scheme is not ("https" or "http")) throw new AlexNetException($"Cannot download '{url}': only http(s) URLs are fetched.");
        var name = Path.GetFileName(url.AbsolutePath);
        var prefix = HashPrefixOf(name) ?? throw new AlexNetException(
            $"'{url}' does not name its file with a SHA-256 prefix (NAME-<hex>.pth), so the download could not be checked.");
        var target = Path.Combine(cacheFolder, name);
        if (File.Exists(target))
        {
            if (Sha256(target).StartsWith(prefix, StringComparison.Ordinal))
            {
                log?.Invoke($"Using {target} (downloaded before; SHA-256 starts with {prefix}).");
                return target;
            }
            log?.Invoke($"{target} does not match its SHA-256 prefix {prefix}; downloading it again.");
        }
        try
        {
            Directory.CreateDirectory(cacheFolder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AlexNetException($"Cannot create the cache folder '{cacheFolder}': {e.Message}", e);
        }
        var partial = Path.Combine(cacheFolder, $".{name}.{Environment.ProcessId}.{Guid.NewGuid():N}.part");
        try
        {
            var hash = Transfer(url, partial, log, handler, cancellation);
            if (!hash.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new AlexNetException($"The download of '{url}' is corrupt: its SHA-256 is {hash}, the file name says it starts with {prefix}. Nothing was kept.");
            }
            File.Move(partial, target, overwrite: true);
            log?.Invoke($"Saved {target} (SHA-256 {hash[..16]}…, as its name says).");
            return target;
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
    }

    /// <summary>Streams the response into <paramref name="path"/>, hashing it on the way; returns the hex SHA-256.</summary>
    private static string Transfer(Uri url, string path, Action<string>? log, HttpMessageHandler? handler, CancellationToken cancellation)
    {
        using var client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        client.Timeout = Timeout.InfiniteTimeSpan; // a 244 MB file on a slow link; stalls are caught per read below
        try
        {
            using var response = client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellation).GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
            {
                throw new AlexNetException($"Cannot download '{url}': the server answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }
            var expected = response.Content.Headers.ContentLength;
            log?.Invoke(expected is { } size
                ? string.Create(CultureInfo.InvariantCulture, $"Downloading {url} ({size / 1e6:F1} MB) ...")
                : $"Downloading {url} ...");
            using var body = response.Content.ReadAsStream(cancellation);
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            long received = 0, nextReport = expected / 10 ?? long.MaxValue;
            while (true)
            {
                using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                stall.CancelAfter(StallLimit);
                int read;
                try
                {
                    read = body.ReadAsync(buffer, stall.Token).AsTask().GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    throw new AlexNetException($"The download of '{url}' stalled: no data for {StallLimit.TotalSeconds:F0} s after {received:N0} bytes. Nothing was kept.");
                }
                catch (IOException e)
                {
                    throw BrokeOff(url, received, expected, e.Message);
                }
                if (read == 0) break;
                file.Write(buffer, 0, read);
                sha.AppendData(buffer, 0, read);
                received += read;
                if (received >= nextReport && expected is { } total)
                {
                    log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"  {100.0 * received / total:F0} %"));
                    nextReport += total / 10;
                }
            }
            if (expected is { } announced && received != announced) throw BrokeOff(url, received, expected, null);
            file.Flush(flushToDisk: true);
            return Convert.ToHexStringLower(sha.GetHashAndReset());
        }
        catch (HttpRequestException e)
        {
            throw new AlexNetException($"Cannot download '{url}': {e.Message}", e);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new AlexNetException($"The download of '{url}' failed: {e.Message}. Nothing was kept.", e);
        }
    }

    private static AlexNetException BrokeOff(Uri url, long received, long? expected, string? why) =>
        new($"The download of '{url}' broke off after {received:N0}{(expected is { } total ? $" of {total:N0}" : "")} bytes{(why is null ? "" : $" ({why})")}. Nothing was kept.");

    /// <summary>How long a transfer may go without receiving a byte before it is given up.</summary>
    public static TimeSpan StallLimit { get; set; } = TimeSpan.FromSeconds(60);

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    [GeneratedRegex(@"-([0-9a-fA-F]{6,64})\.[A-Za-z0-9]+$")]
    private static partial Regex HashPrefix();
}
