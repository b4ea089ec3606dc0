using System.Runtime.InteropServices;
using System.Text;

namespace AlexNet.Mpi.Native;

/// <summary>
/// Every native call of the data-parallel layer: Open MPI 4.1's C API in Debian's <c>libmpi.so.40</c> and libc's usleep
/// (package <c>libopenmpi3</c>, pulled in by <c>openmpi-bin</c>). Constants and struct sizes come from
/// /usr/lib/x86_64-linux-gnu/openmpi/include/mpi.h (libopenmpi-dev). Open MPI's handles are not integers
/// (MPICH's are): <c>MPI_COMM_WORLD</c> is the address of the exported object <c>ompi_mpi_comm_world</c>,
/// <c>MPI_FLOAT</c> of <c>ompi_mpi_float</c> and so on, so <see cref="MpiLibrary"/> resolves them with
/// <see cref="NativeLibrary.GetExport"/>. Every call returns an MPI error code that callers pass to
/// <see cref="Check"/> right away.
/// </summary>
internal static unsafe partial class NativeMethods
{
    public const string LibraryName = "libmpi.so.40";

    /// <summary>mpi.h: MPI_SUCCESS.</summary>
    public const int Success = 0;

    /// <summary>mpi.h enum: MPI_THREAD_SINGLE 0, FUNNELED 1, SERIALIZED 2, MULTIPLE 3.</summary>
    public const int ThreadMultiple = 3;

    /// <summary>mpi.h: MPI_IN_PLACE is ((void *) 1).</summary>
    public static readonly void* InPlace = (void*)1;

    /// <summary>mpi.h: MPI_MAX_ERROR_STRING, MPI_MAX_PROCESSOR_NAME and MPI_MAX_LIBRARY_VERSION_STRING are all 256.</summary>
    public const int MaxString = 256;

    /// <summary>Turns an MPI error code into an exception that names the call and gives MPI's own explanation.</summary>
    public static void Check(int code, string call)
    {
        if (code != Success) throw new AlexNetException($"{call} failed: {ErrorString(code)} (MPI error {code}).");
    }

    public static string ErrorString(int code)
    {
        var buffer = stackalloc byte[MaxString + 1];
        var length = 0;
        return MPI_Error_string(code, buffer, &length) == Success ? Encoding.UTF8.GetString(buffer, Math.Clamp(length, 0, MaxString)) : $"error code {code}";
    }

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Init_thread(int* argc, byte*** argv, int required, out int provided);

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Initialized(out int flag);

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Finalized(out int flag);

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Finalize();

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Abort(nint comm, int errorCode);

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Error_string(int code, byte* text, int* length);

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Get_processor_name(byte* name, int* length);

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Get_library_version(byte* version, int* length);

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Comm_rank(nint comm, out int rank);

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Comm_size(nint comm, out int size);

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Comm_dup(nint comm, out nint duplicate);

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Comm_free(ref nint comm);

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Comm_set_errhandler(nint comm, nint errorHandler);

    // Collectives. Counts are C ints: callers split larger buffers.
    [LibraryImport(LibraryName)]
    internal static partial int MPI_Allreduce(void* send, void* receive, int count, nint datatype, nint op, nint comm);

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Bcast(void* buffer, int count, nint datatype, int root, nint comm);

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Allgather(void* send, int sendCount, nint sendType, void* receive, int receiveCount, nint receiveType, nint comm);

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Allgatherv(void* send, int sendCount, nint sendType, void* receive, int* receiveCounts, int* displacements,
        nint receiveType, nint comm);

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Barrier(nint comm);

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Ibarrier(nint comm, nint* request);

    /// <summary>For the ring all-reduce (<see cref="Collectives"/>). Status may be null (MPI_STATUS_IGNORE).</summary>
    [LibraryImport(LibraryName)]
    internal static partial int MPI_Sendrecv(void* send, int sendCount, nint sendType, int destination, int sendTag, void* receive, int receiveCount,
        nint receiveType, int source, int receiveTag, nint comm, MpiStatus* status);

    // Point to point, for the heartbeat.
    [LibraryImport(LibraryName)]
    internal static partial int MPI_Isend(void* buffer, int count, nint datatype, int destination, int tag, nint comm, nint* request);

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Irecv(void* buffer, int count, nint datatype, int source, int tag, nint comm, nint* request);

    /// <summary>Status may be null (MPI_STATUS_IGNORE is a null pointer in Open MPI).</summary>
    [LibraryImport(LibraryName)]
    internal static partial int MPI_Test(nint* request, out int flag, MpiStatus* status);

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Wait(nint* request, MpiStatus* status);

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Cancel(nint* request);

    [LibraryImport(LibraryName)]
    internal static partial int MPI_Request_free(nint* request);

    /// <summary>libc's usleep: .NET's own sleeps are whole milliseconds, too coarse between MPI_Test polls.</summary>
    [LibraryImport("libc")]
    internal static partial int usleep(uint microseconds);
}
