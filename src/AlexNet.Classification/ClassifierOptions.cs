using AlexNet.Backends;

namespace AlexNet.Classification;

/// <summary>
/// How a new classifier is built and computes. <see cref="InputSize"/> and <see cref="InputChannels"/> default
/// to the architecture's own (227 RGB for paper, 224 RGB for torchvision, 28 grey for mini); <see cref="Backend"/>
/// defaults to oneDNN when libdnnl2 loads, else the managed backend.
/// </summary>
public sealed record ClassifierOptions(int? InputSize = null, int? InputChannels = null, ulong Seed = 1, IBackend? Backend = null);
