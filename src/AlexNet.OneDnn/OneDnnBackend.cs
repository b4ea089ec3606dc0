using AlexNet.Backends;
using AlexNet.Models;

namespace AlexNet.OneDnn;

/// <summary>
/// Runs networks through oneDNN's CPU primitives (JIT-compiled AVX-512/AVX2 kernels), keeping activations in the
/// blocked layouts oneDNN picks. Create it through <see cref="BackendResolver"/> or <see cref="Create"/>.
/// </summary>
public sealed class OneDnnBackend : IBackend
{
    internal OneDnnBackend(OneDnnLibrary library, TextWriter notices) => (Library, Notices) = (library, notices);

    public OneDnnLibrary Library { get; }

    public string Name => "onednn";

    private readonly HashSet<string> _noticesGiven = [];

    /// <summary>Where the backend says, once, that it hands a layer to the managed code.</summary>
    public TextWriter Notices { get; }

    /// <summary>Writes <paramref name="text"/> unless this backend has said it already (several plans may compile the same network).</summary>
    internal void Notice(string text)
    {
        lock (_noticesGiven)
        {
            if (_noticesGiven.Add(text)) Notices.WriteLine(text);
        }
    }

    /// <summary>The backend, or an <see cref="AlexNetException"/> naming the Debian package when the library is missing.</summary>
    public static OneDnnBackend Create(TextWriter? notices = null) => new(OneDnnLibrary.Load(), notices ?? TextWriter.Null);

    public IExecutionPlan CreatePlan(Network network) => new OneDnnPlan(this, network);

    /// <summary>One: each primitive already runs an OpenMP team over every core.</summary>
    public int ConcurrentPlans => 1;
}
