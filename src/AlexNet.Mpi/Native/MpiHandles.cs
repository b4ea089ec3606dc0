using System.Runtime.InteropServices;

namespace AlexNet.Mpi.Native;

/// <summary>
/// Open MPI's predefined handles: each is the address of a global object that libmpi exports (mpi.h defines
/// <c>MPI_COMM_WORLD</c> as <c>&amp;ompi_mpi_comm_world</c>, <c>MPI_FLOAT</c> as <c>&amp;ompi_mpi_float</c>, ...).
/// </summary>
internal sealed record MpiHandles(nint CommWorld, nint Float, nint Double, nint Byte, nint Int, nint Sum, nint Max, nint ErrorsReturn)
{
    /// <summary>Looks every handle up in the loaded library; throws naming the first symbol that is missing.</summary>
    public static MpiHandles Resolve(nint library) => new(
        Export(library, "ompi_mpi_comm_world"),
        Export(library, "ompi_mpi_float"),
        Export(library, "ompi_mpi_double"),
        Export(library, "ompi_mpi_byte"),
        Export(library, "ompi_mpi_int"),
        Export(library, "ompi_mpi_op_sum"),
        Export(library, "ompi_mpi_op_max"),
        Export(library, "ompi_mpi_errors_return"));

    private static nint Export(nint library, string symbol) =>
        NativeLibrary.TryGetExport(library, symbol, out var address)
            ? address
            : throw new AlexNetException(
                $"{NativeMethods.LibraryName} has no symbol '{symbol}': data-parallel training needs Open MPI 4.x (Debian's openmpi-bin), not another MPI.");
}
