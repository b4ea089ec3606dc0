using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AlexNet.Interop.Tests.Download;

/// <summary>
/// A minimal HTTP/1.1 server on the loopback interface for download tests: serves fixed bytes per path, can announce
/// more bytes than it sends (a broken transfer) and counts the requests. Stops when disposed.
/// </summary>
public sealed class LocalHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Dictionary<string, (byte[] Body, long Announced)> _files = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LocalHttpServer()
    {
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public int Requests { get; private set; }

    public Uri Url(string path) => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/{path}");

    /// <param name="announced">The Content-Length to claim; more than the body's length breaks the transfer off.</param>
    public void Serve(string path, byte[] body, long? announced = null)
    {
        lock (_files) _files["/" + path] = (body, announced ?? body.Length);
    }

    private async Task Serve()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            using (client)
            {
                var stream = client.GetStream();
                var reader = new StreamReader(stream, Encoding.ASCII);
                var request = await reader.ReadLineAsync() ?? "";
                while (!string.IsNullOrEmpty(await reader.ReadLineAsync())) { }
                Requests++;
                var path = request.Split(' ') is [_, var p, ..] ? p : "/";
                (byte[] Body, long Announced) file;
                bool found;
                lock (_files) found = _files.TryGetValue(path, out file);
                var head = found
                    ? $"HTTP/1.1 200 OK\r\nContent-Length: {file.Announced}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
                    : "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
                if (found) await stream.WriteAsync(file.Body);
                await stream.FlushAsync();
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener.
        }
        _stop.Dispose();
    }
}
