using System.Diagnostics;
using System.Text;
using AlexNet.Mpi.Native;

namespace AlexNet.Mpi;

/// <summary>
/// The collectives the data-parallel layer needs, over one communicator, with MPI's int counts handled (large
/// buffers go in chunks) and every status checked. Called on the communication thread only.
/// </summary>
/// <remarks>
/// Open MPI waits inside a blocking collective by spinning: a rank that arrives first burns a core until the last
/// one comes, and that core is the one its own forward and backward passes need (mpirun binds a rank's threads to
/// its cores). So every collective starts with a rendezvous that waits cheaply, a non-blocking barrier polled with
/// short sleeps (<see cref="WaitForAllRanks"/>), and moves the data only once every rank is there.
/// </remarks>
internal sealed unsafe class Collectives(CommunicatorHandle communicator, MpiHandles handles, int rank, int size)
{
    /// <summary>Elements per MPI call: well inside a C int, and large enough that the per-call cost does not matter.</summary>
    private const int Chunk = 1 << 28;

    private nint Comm => communicator.DangerousGetHandle();

    private long _transferTicks;

    /// <summary>
    /// Seconds spent so far inside float sums once every rank had arrived: the time that moving and adding the data
    /// took, without the wait for slower ranks, so that bytes over these seconds is the bandwidth the reductions got.
    /// </summary>
    public double TransferSeconds => (double)Interlocked.Read(ref _transferTicks) / Stopwatch.Frequency;

    public int Rank => rank;

    public int Size => size;

    /// <summary>MPI_Test polls before the rendezvous starts sleeping between polls: ranks that arrive together wait no longer.</summary>
    private const int EagerPolls = 200;

    /// <summary>Sleep between polls once a rank waits for others: short against a step, long enough to leave the core to computing threads.</summary>
    private const uint PollMicroseconds = 100;

    /// <summary>Returns once every rank has reached the same point; waits mostly asleep (see the remarks).</summary>
    public void WaitForAllRanks()
    {
        if (size == 1) return;
        nint request;
        NativeMethods.Check(NativeMethods.MPI_Ibarrier(Comm, &request), "MPI_Ibarrier");
        for (var polls = 0; ; polls++)
        {
            NativeMethods.Check(NativeMethods.MPI_Test(&request, out var done, null), "MPI_Test (rendezvous)");
            if (done != 0) return;
            if (polls >= EagerPolls) NativeMethods.usleep(PollMicroseconds);
        }
    }

    /// <summary>Sums <paramref name="count"/> floats at <paramref name="values"/> over the ranks, in place.</summary>
    public void SumInPlace(float* values, long count)
    {
        WaitForAllRanks();
        var started = Stopwatch.GetTimestamp();
        for (long done = 0; done < count; done += Chunk)
        {
            var part = (int)Math.Min(Chunk, count - done);
            NativeMethods.Check(NativeMethods.MPI_Allreduce(NativeMethods.InPlace, values + done, part, handles.Float, handles.Sum, Comm), "MPI_Allreduce");
        }
        Interlocked.Add(ref _transferTicks, Stopwatch.GetTimestamp() - started);
    }

    public void SumInPlace(double[] values)
    {
        WaitForAllRanks();
        fixed (double* pointer = values)
        {
            for (long done = 0; done < values.Length; done += Chunk)
            {
                var part = (int)Math.Min(Chunk, values.Length - done);
                NativeMethods.Check(NativeMethods.MPI_Allreduce(NativeMethods.InPlace, pointer + done, part, handles.Double, handles.Sum, Comm), "MPI_Allreduce");
            }
        }
    }

    /// <summary>Overwrites <paramref name="values"/> with rank 0's.</summary>
    public void Broadcast(float[] values)
    {
        fixed (float* pointer = values) Broadcast((byte*)pointer, (long)values.Length * sizeof(float));
    }

    /// <summary>Rank 0's bytes on every rank; the others learn the length first.</summary>
    public byte[] Broadcast(byte[]? content)
    {
        long length = rank == 0 ? (content ?? throw new ArgumentNullException(nameof(content), "Rank 0 must pass what it broadcasts.")).LongLength : 0;
        Broadcast((byte*)&length, sizeof(long));
        var result = rank == 0 ? content! : new byte[length];
        fixed (byte* pointer = result) Broadcast(pointer, length);
        return result;
    }

    private void Broadcast(byte* bytes, long length)
    {
        WaitForAllRanks();
        for (long done = 0; done < length; done += Chunk)
        {
            var part = (int)Math.Min(Chunk, length - done);
            NativeMethods.Check(NativeMethods.MPI_Bcast(bytes + done, part, handles.Byte, 0, Comm), "MPI_Bcast");
        }
    }

    /// <summary>
    /// Every rank's message, or null for ranks that pass null; ranks exchange lengths first (MPI_Allgather), then the
    /// text (MPI_Allgatherv).
    /// </summary>
    public string?[] GatherMessages(string? message)
    {
        // A leading byte tells a rank without a message from one whose message is empty.
        WaitForAllRanks();
        byte[] mine = message is null ? [] : [1, .. Encoding.UTF8.GetBytes(message)];
        var lengths = new int[size];
        var myLength = mine.Length;
        fixed (int* lengthsPointer = lengths)
        {
            NativeMethods.Check(NativeMethods.MPI_Allgather(&myLength, 1, handles.Int, lengthsPointer, 1, handles.Int, Comm), "MPI_Allgather");
        }
        var offsets = new int[size];
        for (var r = 1; r < size; r++) offsets[r] = checked(offsets[r - 1] + lengths[r - 1]);
        var all = new byte[offsets[^1] + lengths[^1]];
        fixed (byte* minePointer = mine, allPointer = all)
        fixed (int* lengthsPointer = lengths, offsetsPointer = offsets)
        {
            NativeMethods.Check(NativeMethods.MPI_Allgatherv(minePointer, myLength, handles.Byte, allPointer, lengthsPointer, offsetsPointer, handles.Byte, Comm),
                "MPI_Allgatherv");
        }
        return Enumerable.Range(0, size)
            .Select(r => lengths[r] == 0 ? null : Encoding.UTF8.GetString(all, offsets[r] + 1, lengths[r] - 1))
            .ToArray();
    }
}
