using System.Text;
using AlexNet.Mpi.Native;

namespace AlexNet.Mpi;

/// <summary>
/// MPI in this process: initialized once with MPI_THREAD_MULTIPLE (collectives run on a communication thread while
/// a heartbeat thread exchanges messages of its own), this process's rank and the job's size, and the way out:
/// MPI_Finalize when all went well, MPI_Abort (which makes mpirun stop every rank) when it did not.
/// </summary>
internal sealed unsafe class MpiWorld : IDisposable
{
    private readonly MpiLibrary _library;
    private bool _finalized;

    private MpiWorld(MpiLibrary library, int rank, int size, string host) => (_library, Rank, Size, Host) = (library, rank, size, host);

    public int Rank { get; }

    public int Size { get; }

    /// <summary>The machine this rank runs on (MPI_Get_processor_name), for messages.</summary>
    public string Host { get; }

    public MpiHandles Handles => _library.Handles;

    public static MpiWorld Initialize(MpiLibrary library)
    {
        NativeMethods.Check(NativeMethods.MPI_Initialized(out var initialized), "MPI_Initialized");
        if (initialized != 0) throw new InvalidOperationException("MPI is already initialized in this process.");
        NativeMethods.Check(NativeMethods.MPI_Init_thread(null, null, NativeMethods.ThreadMultiple, out var provided), "MPI_Init_thread");
        var world = library.Handles.CommWorld;
        if (provided < NativeMethods.ThreadMultiple)
        {
            NativeMethods.MPI_Finalize();
            throw new AlexNetException(
                $"This Open MPI supports threads only up to level {provided}; data-parallel training needs MPI_THREAD_MULTIPLE (level 3), as Debian's openmpi-bin provides.");
        }
        NativeMethods.Check(NativeMethods.MPI_Comm_set_errhandler(world, library.Handles.ErrorsReturn), "MPI_Comm_set_errhandler");
        NativeMethods.Check(NativeMethods.MPI_Comm_rank(world, out var rank), "MPI_Comm_rank");
        NativeMethods.Check(NativeMethods.MPI_Comm_size(world, out var size), "MPI_Comm_size");
        return new MpiWorld(library, rank, size, ProcessorName());
    }

    /// <summary>A communicator of its own over all ranks, so that traffic on it never mixes with another's.</summary>
    public CommunicatorHandle Duplicate() => CommunicatorHandle.Duplicate(Handles.CommWorld, Handles);

    /// <summary>Ends the job on every rank with <paramref name="code"/>: mpirun stops the other processes. Does not return.</summary>
    public void Abort(int code)
    {
        NativeMethods.MPI_Abort(Handles.CommWorld, code);
        Environment.Exit(code);
    }

    public void Dispose()
    {
        if (_finalized) return;
        _finalized = true;
        NativeMethods.Check(NativeMethods.MPI_Finalize(), "MPI_Finalize");
    }

    private static string ProcessorName()
    {
        var buffer = stackalloc byte[NativeMethods.MaxString + 1];
        var length = 0;
        return NativeMethods.MPI_Get_processor_name(buffer, &length) == NativeMethods.Success
            ? Encoding.UTF8.GetString(buffer, Math.Clamp(length, 0, NativeMethods.MaxString))
            : Environment.MachineName;
    }
}
