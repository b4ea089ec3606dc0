using AlexNet.Layers;
using AlexNet.Tensors;
using Xunit;

namespace AlexNet.Tests.Support;

/// <summary>
/// Central-difference gradient checks. The scalar checked is f = Σ r ⊙ layer(x) for a fixed random r, so
/// the analytic gradients are Backward(r). float32 forward passes limit the attainable agreement; the step
/// and tolerances below are sized for that (error ≈ ε_f32·|f| / h + O(h²)).
/// </summary>
public static class GradientCheck
{
    private const float Step = 1e-2f;
    private const double Relative = 2e-2;
    private const double Absolute = 2e-3;

    public static void Check(Layer layer, Tensor input, ForwardContext? context = null, int probes = 40, float step = Step, int seed = 7)
    {
        context ??= new ForwardContext(true, 11, 3);
        var random = new Random(seed);
        var output = layer.Forward(input, context);
        var projection = TensorAssert.Random(random, output.Shape.ToArray());
        foreach (var p in layer.Parameters) p.ZeroGradient();
        var inputGradient = layer.Backward(projection);

        double Objective()
        {
            var y = layer.Forward(input, context);
            double sum = 0;
            for (var i = 0; i < y.Length; i++) sum += (double)y.Data[i] * projection.Data[i];
            return sum;
        }

        if (layer.ComputesInputGradient) Probe(input.Data, inputGradient.Data, "input", Objective, random, probes, step, layer.Name);
        foreach (var parameter in layer.Parameters)
        {
            Probe(parameter.Value.Data, parameter.Gradient.Data, parameter.Name, Objective, random, probes, step, layer.Name);
        }
    }

    private static void Probe(float[] values, float[] analytic, string what, Func<double> objective, Random random, int probes, float step, string layer)
    {
        for (var probe = 0; probe < Math.Min(probes, values.Length); probe++)
        {
            var i = probes >= values.Length ? probe : random.Next(values.Length);
            var original = values[i];
            values[i] = original + step;
            var plus = objective();
            values[i] = original - step;
            var minus = objective();
            values[i] = original;
            var numeric = (plus - minus) / (2.0 * step);
            Assert.True(Math.Abs(numeric - analytic[i]) <= Absolute + Relative * Math.Abs(numeric),
                $"{layer} d/d{what}[{i}]: analytic {analytic[i]:G6}, central difference {numeric:G6}.");
        }
    }
}
