using System.Runtime.InteropServices;
using AlexNet.Mpi.Native;

namespace AlexNet.Mpi;

/// <summary>
/// Open MPI's <c>libmpi.so.40</c>, loaded once per process, with its predefined handles resolved. A missing
/// library becomes an <see cref="AlexNetException"/> that names the Debian package to install.
/// </summary>
public sealed class MpiLibrary
{
    /// <summary>The Debian package with mpirun and, through libopenmpi3, the library.</summary>
    public const string DebianPackage = "openmpi-bin";

    private static readonly Lock Gate = new();
    private static MpiLibrary? _loaded;

    private MpiLibrary(MpiHandles handles) => Handles = handles;

    internal MpiHandles Handles { get; }

    /// <summary>Loads the library (once) or throws a message naming <see cref="DebianPackage"/>.</summary>
    public static MpiLibrary Load() => Load(NativeMethods.LibraryName);

    /// <summary>Loads <paramref name="libraryName"/>; only the default soname is bound by the P/Invoke declarations (tests pass a bogus one).</summary>
    public static MpiLibrary Load(string libraryName)
    {
        lock (Gate)
        {
            if (libraryName == NativeMethods.LibraryName && _loaded is not null) return _loaded;
            if (!NativeLibrary.TryLoad(libraryName, typeof(MpiLibrary).Assembly, null, out var handle))
            {
                throw new AlexNetException(MissingMessage(libraryName));
            }
            var library = new MpiLibrary(MpiHandles.Resolve(handle));
            if (libraryName == NativeMethods.LibraryName) _loaded = library;
            return library;
        }
    }

    public static string MissingMessage(string libraryName) =>
        $"Data-parallel training needs Open MPI: the library {libraryName} could not be loaded. " +
        $"Install the Debian package {DebianPackage} (sudo apt-get install {DebianPackage}) on every machine of the job.";
}
