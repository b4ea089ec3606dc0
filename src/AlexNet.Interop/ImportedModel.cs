using AlexNet.Data;
using AlexNet.Models;

namespace AlexNet.Interop;

/// <summary>An imported network with what a checkpoint needs besides the weights.</summary>
public sealed record ImportedModel(Network Network, IReadOnlyList<string> ClassNames, Preprocessing Preprocessing, ImportFormat Format);
