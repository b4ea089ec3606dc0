namespace AlexNet.OneDnn.Native;

/// <summary>A oneDNN call returned an error status; the message names the call.</summary>
public sealed class OneDnnException(string message) : Exception(message);
