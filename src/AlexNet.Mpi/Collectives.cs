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
internal sealed unsafe class Collectives(CommunicatorHandle communicator, MpiHandles handles, int rank, int size, AllReduceAlgorithm allReduce = AllReduceAlgorithm.Ring)
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

    /// <summary>
    /// Sums <paramref name="count"/> floats at <paramref name="values"/> over the ranks, in place: with the ring
    /// algorithm, large buffers (every gradient bucket of AlexNet) on the ring (<see cref="RingSumInPlace"/>) and small
    /// ones with MPI_Allreduce, whose algorithms for short messages need fewer steps; otherwise all with MPI_Allreduce.
    /// </summary>
    public void SumInPlace(float* values, long count)
    {
        WaitForAllRanks();
        var started = Stopwatch.GetTimestamp();
        if (allReduce == AllReduceAlgorithm.Ring && size > 1 && count >= RingMinimum) RingSumInPlace(values, count, RingSegment);
        else
        {
            for (long done = 0; done < count; done += Chunk)
            {
                var part = (int)Math.Min(Chunk, count - done);
                NativeMethods.Check(NativeMethods.MPI_Allreduce(NativeMethods.InPlace, values + done, part, handles.Float, handles.Sum, Comm), "MPI_Allreduce");
            }
        }
        Interlocked.Add(ref _transferTicks, Stopwatch.GetTimestamp() - started);
    }

    /// <summary>Floats from which <see cref="SumInPlace(float*, long)"/> takes the ring (16 KiB).</summary>
    internal const long RingMinimum = 1 << 12;

    /// <summary>
    /// Floats per message of the ring's reduce phase (1 MiB): the incoming segment is added to the local one while both
    /// are still in cache, so the sum costs no extra pass over memory.
    /// </summary>
    internal const int RingSegment = 1 << 18;

    private const int RingTag = 0x52;

    private float[]? _ringScratch;

    /// <summary>
    /// The ring all-reduce (reduce-scatter, then all-gather, each N − 1 steps between neighbours), with the reduce
    /// phase in segments of <paramref name="segment"/> floats. Each rank sends and receives 2(N − 1)/N of the buffer,
    /// the least any all-reduce can, and reads the incoming data once. Open MPI 4.1's own MPI_Allreduce took about twice as
    /// long for AlexNet's 244 MB between two ranks of one machine (its large-message algorithms stage whole blocks
    /// in temporary buffers, a pass over memory more). Every part is summed by one rank and copied to the
    /// others, so all ranks end with the same bits. Every rank must call this with the same count and segment.
    /// </summary>
    internal void RingSumInPlace(float* values, long count, int segment)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segment, 1);
        if (size == 1) return;
        if (_ringScratch is null || _ringScratch.Length < segment) _ringScratch = GC.AllocateUninitializedArray<float>(segment, pinned: true);
        var (right, left) = ((rank + 1) % size, (rank + size - 1) % size);
        // Part k of N covers [k·part, (k + 1)·part), cut at count; the last parts may be shorter or empty.
        var part = (count + size - 1) / size;
        (long Start, long Length) Part(int k)
        {
            var start = Math.Min(count, (long)k * part);
            return (start, Math.Min(count, start + part) - start);
        }
        int Wrap(int k) => ((k % size) + size) % size;
        // Every rank makes the same number of calls per step (parts of full length), so each message, empty or not,
        // meets its partner.
        var reduceCalls = (part + segment - 1) / segment;
        fixed (float* scratch = _ringScratch)
        {
            // Step s: send part rank − s (the sum of s + 1 ranks' values so far), add part rank − s − 1 coming from the
            // left. After N − 1 steps this rank holds the full sum of part rank + 1.
            for (var step = 0; step < size - 1; step++)
            {
                var (sendStart, sendLength) = Part(Wrap(rank - step));
                var (receiveStart, receiveLength) = Part(Wrap(rank - step - 1));
                for (long call = 0; call < reduceCalls; call++)
                {
                    var offset = call * segment;
                    var sendCount = (int)Math.Clamp(sendLength - offset, 0, segment);
                    var receiveCount = (int)Math.Clamp(receiveLength - offset, 0, segment);
                    NativeMethods.Check(NativeMethods.MPI_Sendrecv(values + sendStart + offset, sendCount, handles.Float, right, RingTag,
                        scratch, receiveCount, handles.Float, left, RingTag, Comm, null), "MPI_Sendrecv (ring reduce)");
                    var local = new Span<float>(values + receiveStart + offset, receiveCount);
                    System.Numerics.Tensors.TensorPrimitives.Add(local, new ReadOnlySpan<float>(scratch, receiveCount), local);
                }
            }
        }
        // Step s: pass on the finished part rank + 1 − s, receive the finished part rank − s in place.
        var gatherCalls = (part + Chunk - 1) / Chunk;
        for (var step = 0; step < size - 1; step++)
        {
            var (sendStart, sendLength) = Part(Wrap(rank + 1 - step));
            var (receiveStart, receiveLength) = Part(Wrap(rank - step));
            for (long call = 0; call < gatherCalls; call++)
            {
                var offset = call * Chunk;
                var sendCount = (int)Math.Clamp(sendLength - offset, 0, Chunk);
                var receiveCount = (int)Math.Clamp(receiveLength - offset, 0, Chunk);
                NativeMethods.Check(NativeMethods.MPI_Sendrecv(values + sendStart + offset, sendCount, handles.Float, right, RingTag,
                    values + receiveStart + offset, receiveCount, handles.Float, left, RingTag, Comm, null), "MPI_Sendrecv (ring gather)");
            }
        }
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
