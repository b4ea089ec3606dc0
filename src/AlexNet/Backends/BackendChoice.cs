namespace AlexNet.Backends;

/// <summary>What the user asked for: <c>auto</c> takes oneDNN when its library loads, else the managed backend.</summary>
public enum BackendChoice
{
    Auto,
    OneDnn,
    Managed,
}
