using AlexNet.Randomness;
using AlexNet.Tensors;

namespace AlexNet.Models;

/// <summary>
/// Weight initializers. Each parameter draws from its own stream RandomStream(seed, index of the parameter),
/// so initialization does not depend on the order in which layers are visited.
/// </summary>
public static class Initialization
{
    public static void Normal(Parameter parameter, double std, RandomStream random)
    {
        var data = parameter.Value.Data;
        for (var i = 0; i < data.Length; i++) data[i] = (float)(random.NextNormal() * std);
    }

    public static void Uniform(Parameter parameter, double bound, RandomStream random)
    {
        var data = parameter.Value.Data;
        for (var i = 0; i < data.Length; i++) data[i] = (float)((random.NextDouble() * 2 - 1) * bound);
    }

    public static void Constant(Parameter parameter, float value) => Array.Fill(parameter.Value.Data, value);

    /// <summary>Inputs feeding one output unit: in-channels/groups · R · R for convolutions, in-features for linear.</summary>
    public static int FanIn(Parameter weight) => (int)(weight.Shape.ElementCount / weight.Shape[0]);

    /// <summary>He et al. 2015 (PyTorch's kaiming_normal_, fan_in, ReLU gain): N(0, 2 / fan_in).</summary>
    public static void HeNormal(Parameter weight, RandomStream random) => Normal(weight, Math.Sqrt(2.0 / FanIn(weight)), random);

    /// <summary>
    /// Glorot and Bengio 2010 (Keras's glorot_uniform, PyTorch's xavier_uniform_): U(±√(6 / (fan_in + fan_out))), where
    /// for a convolution both fans include the kernel's receptive field (fan_out = out-channels · R · R).
    /// </summary>
    public static void GlorotUniform(Parameter weight, RandomStream random)
    {
        var fanIn = FanIn(weight);
        var fanOut = weight.Shape[0] * (fanIn / weight.Shape[1]);
        Uniform(weight, Math.Sqrt(6.0 / (fanIn + fanOut)), random);
    }

    /// <summary>
    /// PyTorch's default for Conv2d and Linear (kaiming_uniform_ with a = √5, which reduces to
    /// U(−1/√fan_in, 1/√fan_in)); biases use the same bound.
    /// </summary>
    public static void TorchDefault(Parameter parameter, int fanIn, RandomStream random) => Uniform(parameter, 1.0 / Math.Sqrt(fanIn), random);

    public static void Apply(Network network, ulong seed, Action<Parameter, RandomStream> initialize)
    {
        for (var i = 0; i < network.Parameters.Count; i++)
        {
            initialize(network.Parameters[i], new RandomStream(seed, 0x1417, (ulong)i));
        }
    }
}
