namespace AlexNet.Interop;

/// <summary>Reads a user's file, turning I/O failures into a message that names it.</summary>
internal static class InteropFiles
{
    public static byte[] ReadAllBytes(string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AlexNetException($"Cannot read {what} '{path}': {e.Message}", e);
        }
    }
}
