namespace AlexNet;

/// <summary>
/// An error caused by the user's input (a file, a key, an option). Its message names the culprit and is
/// meant to be shown as it is, without a stack trace.
/// </summary>
public sealed class AlexNetException : Exception
{
    public AlexNetException(string message) : base(message) { }

    public AlexNetException(string message, Exception inner) : base(message, inner) { }
}
