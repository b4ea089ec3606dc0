using System.Net;

namespace AlexNet.Inference;

/// <summary>
/// Downloads an image named by an http(s) URL, with a time limit and a size limit so that a slow or huge
/// answer cannot hang or exhaust the process. Every failure names the URL.
/// </summary>
public static class RemoteImage
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Larger than any photo a classifier is fed; the decoder separately limits pixels.</summary>
    public const long DefaultMaxBytes = 50L * 1024 * 1024;

    public static bool IsUrl(string text) =>
        text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    public static byte[] Download(string url, TimeSpan? timeout = null, long maxBytes = DefaultMaxBytes)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new AlexNetException($"'{url}' is not an http or https URL.");
        }
        var limit = timeout ?? DefaultTimeout;
        using var client = new HttpClient { Timeout = limit };
        using var cancellation = new CancellationTokenSource(limit);
        try
        {
            using var response = client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellation.Token).GetAwaiter().GetResult();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new AlexNetException($"Cannot fetch '{url}': the server answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }
            if (response.Content.Headers.ContentLength is > 0 and var length && length > maxBytes)
            {
                throw new AlexNetException($"Cannot fetch '{url}': it is {length:N0} bytes, more than the limit of {maxBytes:N0}.");
            }
            using var stream = response.Content.ReadAsStream(cancellation.Token);
            return ReadLimited(stream, url, maxBytes, cancellation.Token);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new AlexNetException($"Cannot fetch '{url}': {e.Message}", e);
        }
        catch (OperationCanceledException e)
        {
            throw new AlexNetException($"Cannot fetch '{url}': no complete answer within {limit.TotalSeconds:G} s.", e);
        }
    }

    private static byte[] ReadLimited(Stream stream, string url, long maxBytes, CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.ReadAsync(chunk, cancellation).AsTask().GetAwaiter().GetResult()) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new AlexNetException($"Cannot fetch '{url}': the answer is larger than the limit of {maxBytes:N0} bytes.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
