using System.Text;
using AlexNet.Mpi.Native;

namespace AlexNet.Mpi;

/// <summary>
/// The collectives the data-parallel layer needs, over one communicator, with MPI's int counts handled (large
/// buffers go in chunks) and every status checked. Called on the communication thread only.
/// </summary>
internal sealed unsafe class Collectives(CommunicatorHandle communicator, MpiHandles handles, int rank, int size)
{
    /// <summary>Elements per MPI call: well inside a C int, and large enough that the per-call cost does not matter.</summary>
    private const int Chunk = 1 << 28;

    private nint Comm => communicator.DangerousGetHandle();

    public int Rank => rank;

    public int Size => size;

    /// <summary>Sums <paramref name="count"/> floats at <paramref name="values"/> over the ranks, in place.</summary>
    public void SumInPlace(float* values, long count)
    {
        for (long done = 0; done < count; done += Chunk)
        {
            var part = (int)Math.Min(Chunk, count - done);
            NativeMethods.Check(NativeMethods.MPI_Allreduce(NativeMethods.InPlace, values + done, part, handles.Float, handles.Sum, Comm), "MPI_Allreduce");
        }
    }

    public void SumInPlace(double[] values)
    {
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
