using AlexNet.Models;

namespace AlexNet.Interop;

/// <summary>What to import: the weight file, the architecture when the names do not tell it, a class list.</summary>
public sealed record ImportOptions(string Source, Architecture? Architecture = null, string? ClassesFile = null);
