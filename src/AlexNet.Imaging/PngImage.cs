using System.Runtime.InteropServices;
using System.Text;

namespace AlexNet.Imaging;

/// <summary>
/// libpng 1.6's <c>png_image</c> (png.h), field for field: an opaque pointer, seven png_uint_32 and
/// char message[64] — 8 + 28 + 64 = 100 bytes, padded to 104 on x86-64 for the pointer's alignment.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct PngImage
{
    public const int MessageLength = 64;

    public nint Opaque;
    public uint Version;
    public uint Width;
    public uint Height;
    public uint Format;
    public uint Flags;
    public uint ColormapEntries;
    public uint WarningOrError;
    public fixed byte Message[MessageLength];

    public readonly string MessageText
    {
        get
        {
            fixed (byte* p = Message)
            {
                var span = new ReadOnlySpan<byte>(p, MessageLength);
                int end = span.IndexOf((byte)0);
                return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
            }
        }
    }
}
