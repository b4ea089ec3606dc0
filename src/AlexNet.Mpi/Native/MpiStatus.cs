using System.Runtime.InteropServices;

namespace AlexNet.Mpi.Native;

/// <summary>
/// mpi.h's <c>struct ompi_status_public_t</c>: MPI_SOURCE, MPI_TAG, MPI_ERROR, _cancelled (ints), _ucount (size_t):
/// 24 bytes on x86-64.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MpiStatus
{
    public int Source;
    public int Tag;
    public int Error;
    public int Cancelled;
    public nuint Count;
}
