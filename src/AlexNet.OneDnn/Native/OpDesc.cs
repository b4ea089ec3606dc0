using System.Runtime.CompilerServices;

namespace AlexNet.OneDnn.Native;

/// <summary>
/// Room for any operation descriptor the backend fills (2.6.3 sizes: convolution 5976, inner product 5584,
/// pooling v2 3288, batch normalization 3496, LRN 1432, eltwise 1416 bytes).
/// </summary>
[InlineArray(6144)]
internal struct OpDesc
{
    private byte _first;
}
