using AlexNet.Layers;

namespace AlexNet.Models;

/// <summary>
/// Which ReLUs of one network do their work inside their neighbours when the managed plan runs it (see
/// <see cref="ForwardContext.Fusion"/>): a ReLU right after a convolution is applied by the convolution to its own
/// output, and when an LRN follows that ReLU, the LRN's backward masks its input gradient in the ReLU's place.
/// Worked out from the network's own list of layers, never stored on the layers: a truncated network shares its
/// layers with the whole one, and where it ends at a convolution that convolution must not clamp.
/// </summary>
internal sealed class ActivationFusion
{
    private readonly HashSet<Layer> _clampingConvolutions = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Layer> _reluInsidePrevious = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Layer> _maskingLrns = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Layer> _reluMaskedByNext = new(ReferenceEqualityComparer.Instance);

    public ActivationFusion(IReadOnlyList<Layer> layers)
    {
        for (var i = 1; i < layers.Count; i++)
        {
            if (layers[i] is not ReluLayer relu || layers[i - 1] is not ConvolutionLayer convolution) continue;
            _clampingConvolutions.Add(convolution);
            _reluInsidePrevious.Add(relu);
            if (i + 1 < layers.Count && layers[i + 1] is LrnLayer lrn)
            {
                _maskingLrns.Add(lrn);
                _reluMaskedByNext.Add(relu);
            }
        }
    }

    /// <summary>Whether this convolution clamps its output at 0 for the ReLU after it.</summary>
    public bool ClampsOutput(ConvolutionLayer convolution) => _clampingConvolutions.Contains(convolution);

    /// <summary>Whether this ReLU's input is already clamped by the convolution before it.</summary>
    public bool IsInsidePrevious(ReluLayer relu) => _reluInsidePrevious.Contains(relu);

    /// <summary>Whether this LRN's backward masks its input gradient for the ReLU before it.</summary>
    public bool MasksGradient(LrnLayer lrn) => _maskingLrns.Contains(lrn);

    /// <summary>Whether the LRN after this ReLU masks the gradient in its place.</summary>
    public bool IsMaskedByNext(ReluLayer relu) => _reluMaskedByNext.Contains(relu);
}
