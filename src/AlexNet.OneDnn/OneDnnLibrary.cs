using System.Runtime.InteropServices;
using AlexNet.OneDnn.Native;

namespace AlexNet.OneDnn;

/// <summary>
/// The loaded oneDNN library: its version and the OpenMP thread count it runs with. Loading sets the OpenMP
/// environment first, because libgomp reads it once, when the library loads.
/// </summary>
public sealed class OneDnnLibrary
{
    /// <summary>The soname of Debian's <c>libdnnl2</c> (oneDNN 2.x).</summary>
    public const string DefaultName = NativeMethods.LibraryName;

    public const string DebianPackage = "libdnnl2";

    private static readonly Lock Gate = new();
    private static OneDnnLibrary? _loaded;

    private OneDnnLibrary(string version, int threads, string isa) => (Version, Threads, Isa) = (version, threads, isa);

    public string Version { get; }

    /// <summary>
    /// The widest instruction set oneDNN's kernels use here (<c>avx512</c>, <c>avx2</c>, <c>avx</c>, <c>sse41</c>),
    /// after any <c>ONEDNN_MAX_CPU_ISA</c> limit.
    /// </summary>
    public string Isa { get; }

    public int Threads { get; }

    /// <summary>Loads the library once per process; false with a reason (naming the Debian package) when it is missing.</summary>
    public static bool TryLoad(string libraryName, out OneDnnLibrary library, out string reason)
    {
        lock (Gate)
        {
            if (libraryName == DefaultName && _loaded is not null)
            {
                (library, reason) = (_loaded, "");
                return true;
            }
            var threads = OpenMpEnvironment.Prepare();
            if (!NativeLibrary.TryLoad(libraryName, typeof(OneDnnLibrary).Assembly, null, out _))
            {
                (library, reason) = (null!, MissingMessage(libraryName));
                return false;
            }
            if (libraryName != DefaultName)
            {
                // Only the default soname is bound by the P/Invoke declarations.
                (library, reason) = (null!, $"{libraryName} loaded but only {DefaultName} is supported");
                return false;
            }
            _loaded = new OneDnnLibrary(NativeMethods.VersionString(), threads, IsaName(NativeMethods.dnnl_get_effective_cpu_isa()));
            (library, reason) = (_loaded, "");
            return true;
        }
    }

    /// <summary>The loaded default library, or an <see cref="AlexNetException"/> naming the Debian package.</summary>
    public static OneDnnLibrary Load() =>
        TryLoad(DefaultName, out var library, out var reason) ? library : throw new AlexNetException(reason);

    /// <summary>Names a dnnl_cpu_isa_t: every AVX-512 flavour has bit 0x8 or 0x20 set, AVX2 and its VNNI variant the low bits 0x7.</summary>
    private static string IsaName(int isa) => (isa & 0x28) != 0 ? "avx512" : (isa & 0x7) == 0x7 ? "avx2" : (isa & 0x3) == 0x3 ? "avx" : isa == 0x1 ? "sse41" : "unknown";

    public static string MissingMessage(string libraryName) =>
        $"the oneDNN library {libraryName} could not be loaded; install the Debian package {DebianPackage} (apt-get install {DebianPackage})";
}
