namespace AlexNet.Data.Sources;

/// <summary>
/// One CIFAR batch in memory: image <c>i</c>'s 3,072 bytes (the 32×32 red, green and blue planes, row by row) start at
/// <c>Offset + i × Stride</c> in <see cref="Data"/>, so a binary batch is used as read (its label bytes in between)
/// and a python batch's array as unpickled. <see cref="Source"/> names the file (or archive entry) for messages.
/// </summary>
public sealed record CifarBatch(string Source, byte[] Data, int Offset, int Stride, int[] Labels)
{
    public const int ImageBytes = 3 * 32 * 32;

    public int Count => Labels.Length;

    public ReadOnlySpan<byte> Image(int index) => Data.AsSpan(Offset + index * Stride, ImageBytes);
}
