using System.Runtime.InteropServices;

namespace AlexNet.Mpi.Native;

/// <summary>
/// A communicator this process created (MPI_Comm_dup), freed with MPI_Comm_free. Communicators must be freed before
/// MPI_Finalize; one released after it (by the finalizer of a handle nobody disposed) is left alone.
/// </summary>
internal sealed class CommunicatorHandle : SafeHandle
{
    public CommunicatorHandle() : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>Duplicates <paramref name="comm"/> and makes errors on the copy return codes instead of aborting.</summary>
    public static CommunicatorHandle Duplicate(nint comm, MpiHandles handles)
    {
        NativeMethods.Check(NativeMethods.MPI_Comm_dup(comm, out var duplicate), "MPI_Comm_dup");
        var result = new CommunicatorHandle();
        result.SetHandle(duplicate);
        NativeMethods.Check(NativeMethods.MPI_Comm_set_errhandler(duplicate, handles.ErrorsReturn), "MPI_Comm_set_errhandler");
        return result;
    }

    protected override bool ReleaseHandle()
    {
        if (NativeMethods.MPI_Finalized(out var finalized) != NativeMethods.Success || finalized != 0) return true;
        var comm = handle;
        return NativeMethods.MPI_Comm_free(ref comm) == NativeMethods.Success;
    }
}
