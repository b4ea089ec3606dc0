namespace AlexNet.Interop;

/// <summary>The kinds of weight files <see cref="ModelImporter"/> reads.</summary>
public enum ImportFormat
{
    /// <summary>torch.save's zip format: a state_dict or a whole torch.nn module.</summary>
    PyTorch,

    /// <summary>safetensors with PyTorch's parameter names.</summary>
    SafeTensors,

    /// <summary>A binary .caffemodel (NetParameter) in the V1 or the current layer format.</summary>
    Caffe,

    /// <summary>Caffe's weights converted for TensorFlow: <c>np.save</c> of a dict of layer → [weights, biases] (bvlc_alexnet.npy).</summary>
    NumpyCaffe,
}
