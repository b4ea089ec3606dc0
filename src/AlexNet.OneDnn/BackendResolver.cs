using AlexNet.Backends;
using AlexNet.OneDnn.Auto;

namespace AlexNet.OneDnn;

/// <summary>
/// Turns the user's <c>--backend</c> choice into a backend: <c>auto</c> takes oneDNN when its library loads, with the
/// managed kernels for the batch sizes they run faster (<see cref="AutoBackend"/>), and the managed backend alone
/// otherwise; <c>onednn</c> insists on oneDNN. Says in one line which it uses.
/// </summary>
public static class BackendResolver
{
    public static IBackend Resolve(BackendChoice choice, TextWriter notices) => Resolve(choice, notices, OneDnnLibrary.DefaultName);

    /// <summary>The same with another library file name, so that a missing library can be tested.</summary>
    internal static IBackend Resolve(BackendChoice choice, TextWriter notices, string libraryName)
    {
        if (choice == BackendChoice.Managed)
        {
            notices.WriteLine("backend: managed");
            return ManagedBackend.Instance;
        }
        if (OneDnnLibrary.TryLoad(libraryName, out var library, out var reason))
        {
            if (choice == BackendChoice.OneDnn)
            {
                notices.WriteLine($"backend: onednn (oneDNN {library.Version}, {library.Threads} threads)");
                return new OneDnnBackend(library, notices);
            }
            notices.WriteLine($"backend: auto (oneDNN {library.Version}, {library.Threads} threads; the managed kernels for batch sizes they run faster)");
            return new AutoBackend(new OneDnnBackend(library, notices), notices);
        }
        if (choice == BackendChoice.OneDnn)
        {
            throw new AlexNetException($"--backend onednn: {reason}");
        }
        notices.WriteLine($"backend: managed ({reason})");
        return ManagedBackend.Instance;
    }
}
