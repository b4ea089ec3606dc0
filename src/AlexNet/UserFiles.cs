namespace AlexNet;

/// <summary>
/// Runs a file-system operation on a user's path and turns an I/O or permission failure into an
/// <see cref="AlexNetException"/> that says what could not be done, e.g. "Cannot read IDX file 'x': …".
/// </summary>
internal static class UserFiles
{
    public static T Run<T>(string what, Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AlexNetException($"Cannot {what}: {e.Message}", e);
        }
    }
}
