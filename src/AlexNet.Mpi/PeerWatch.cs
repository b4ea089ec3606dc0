using System.Diagnostics;
using System.Runtime.InteropServices;
using AlexNet.Mpi.Native;

namespace AlexNet.Mpi;

/// <summary>
/// Notices a rank that went silent. A collective waits for every rank without a time limit, so a rank that was
/// killed, stopped, or cut off by its machine or network would leave the others waiting for ever (mpirun notices a
/// process that dies on its own node, but not one that hangs, nor every failure under other launchers). On a
/// communicator of its own, every rank sends each other rank a small message every <c>period</c> from this thread,
/// which keeps running whatever the training thread does; a rank not heard from for <c>timeout</c> is reported once
/// through <c>onSilent</c>, which stops the job.
/// </summary>
internal sealed unsafe class PeerWatch : IDisposable
{
    private const int Tag = 0x4B;

    private readonly CommunicatorHandle _communicator;
    private readonly MpiHandles _handles;
    private readonly int _rank, _size;
    private readonly TimeSpan _period, _timeout;
    private readonly Action<int, TimeSpan> _onSilent;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;

    public PeerWatch(CommunicatorHandle communicator, MpiHandles handles, int rank, int size, TimeSpan period, TimeSpan timeout, Action<int, TimeSpan> onSilent)
    {
        (_communicator, _handles, _rank, _size, _period, _timeout, _onSilent) = (communicator, handles, rank, size, period, timeout, onSilent);
        _thread = new Thread(Watch) { IsBackground = true, Name = "AlexNet peer watch" };
        _thread.Start();
    }

    private nint Comm => _communicator.DangerousGetHandle();

    private void Watch()
    {
        // Heartbeats carry no information: one int, whose buffer must outlive any send still in flight at shutdown,
        // so it is never freed (four bytes per process).
        var sendBuffer = (int*)NativeMemory.AllocZeroed(sizeof(int));
        var receiveBuffers = (int*)NativeMemory.AllocZeroed((nuint)(_size * sizeof(int)));
        var receives = new nint[_size];
        var sends = new nint[_size];
        var sending = new bool[_size];
        var lastHeard = new long[_size];
        try
        {
            for (var peer = 0; peer < _size; peer++)
            {
                if (peer == _rank) continue;
                PostReceive(receiveBuffers, receives, peer);
                lastHeard[peer] = Stopwatch.GetTimestamp();
            }
            do
            {
                for (var peer = 0; peer < _size; peer++)
                {
                    if (peer == _rank) continue;
                    if (sending[peer] && Completed(ref sends[peer], "MPI_Test (heartbeat send)")) sending[peer] = false;
                    if (!sending[peer])
                    {
                        fixed (nint* request = &sends[peer])
                        {
                            NativeMethods.Check(NativeMethods.MPI_Isend(sendBuffer, 1, _handles.Int, peer, Tag, Comm, request), "MPI_Isend (heartbeat)");
                        }
                        sending[peer] = true;
                    }
                    while (Completed(ref receives[peer], "MPI_Test (heartbeat receive)"))
                    {
                        lastHeard[peer] = Stopwatch.GetTimestamp();
                        PostReceive(receiveBuffers, receives, peer);
                    }
                    var silence = Stopwatch.GetElapsedTime(lastHeard[peer]);
                    if (silence > _timeout)
                    {
                        _onSilent(peer, silence);
                        return;
                    }
                }
            }
            while (!_stop.Wait(_period));
            for (var peer = 0; peer < _size; peer++)
            {
                if (peer == _rank) continue;
                fixed (nint* request = &receives[peer])
                {
                    NativeMethods.MPI_Cancel(request);
                    NativeMethods.MPI_Wait(request, null);
                }
                if (sending[peer])
                {
                    fixed (nint* request = &sends[peer]) NativeMethods.MPI_Request_free(request);
                }
            }
            NativeMemory.Free(receiveBuffers);
        }
        catch (AlexNetException)
        {
            // A failing MPI call here means communication itself broke: the collectives will report it.
        }
    }

    private void PostReceive(int* buffers, nint[] receives, int peer)
    {
        fixed (nint* request = &receives[peer])
        {
            NativeMethods.Check(NativeMethods.MPI_Irecv(buffers + peer, 1, _handles.Int, peer, Tag, Comm, request), "MPI_Irecv (heartbeat)");
        }
    }

    private static bool Completed(ref nint request, string call)
    {
        fixed (nint* pointer = &request)
        {
            NativeMethods.Check(NativeMethods.MPI_Test(pointer, out var done, null), call);
            return done != 0;
        }
    }

    /// <summary>Stops watching (and sending): call once this rank has passed its last collective.</summary>
    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }
}
