using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.OneDnn.Primitives;
using AlexNet.OneDnn.Steps;
using AlexNet.Tensors;

namespace AlexNet.OneDnn;

/// <summary>
/// Compiles a network's layer list into oneDNN steps for one batch size: a ReLU after a convolution or linear
/// layer becomes that primitive's post-op; dropout and flatten get plain layouts (reordered only when the layer
/// before chose another); dropout in inference and adaptive pooling to the size it already has disappear.
/// </summary>
internal static class PlanCompiler
{
    public static CompiledNetwork Compile(DnnlContext context, Network network, int batch, bool training, Action<string> notice) =>
        Compile(context, network.Layers, network.InputShape, batch, training, notice);

    /// <summary>Compiles any layer list for per-sample input <paramref name="inputShape"/>; its output leaves in plain layout.</summary>
    public static CompiledNetwork Compile(DnnlContext context, IReadOnlyList<Layer> layers, Shape inputShape, int batch, bool training, Action<string> notice)
    {
        var input = DnnlMemory.Allocate(context, MemoryDescs.Plain(inputShape.WithBatch(batch).ToArray()));
        var steps = new List<PlanStep>();
        try
        {
            var current = input;
            var shape = inputShape;
            for (var i = 0; i < layers.Count; i++)
            {
                var layer = layers[i];
                var relu = i + 1 < layers.Count ? layers[i + 1] as ReluLayer : null;
                PlanStep? step = layer switch
                {
                    ConvolutionLayer conv => new ConvolutionStep(conv, relu, context, current, batch, shape, training),
                    LinearLayer linear => new InnerProductStep(linear, relu, context, current, batch, training),
                    ReluLayer => new ReluStep(layer.Name, context, current, training),
                    LrnLayer lrn => new LrnStep(lrn, context, current, training),
                    MaxPoolLayer pool => new MaxPoolStep(pool, context, current, batch, shape, training),
                    FlattenLayer => new FlattenStep(layer.Name, context, Plain(steps, context, current, layer.Name), batch, checked((int)shape.ElementCount)),
                    DropoutLayer dropout when training && dropout.Probability > 0 =>
                        new DropoutStep(dropout, context, Plain(steps, context, current, layer.Name), batch),
                    DropoutLayer => null,
                    AdaptiveAvgPoolLayer pool when shape[1] == pool.OutputHeight && shape[2] == pool.OutputWidth => null,
                    _ => Delegated(layer, context, current, batch, shape, notice),
                };
                if (layer is ConvolutionLayer or LinearLayer && relu is not null)
                {
                    shape = relu.OutputShape(layer.OutputShape(shape));
                    i++;
                }
                else
                {
                    shape = layer.OutputShape(shape);
                }
                if (step is null) continue;
                steps.Add(step);
                current = step.Output;
            }
            Plain(steps, context, current, "output");
            return new CompiledNetwork(context, input, steps, shape.WithBatch(batch), training);
        }
        catch
        {
            foreach (var step in steps) step.Dispose();
            input.Dispose();
            throw;
        }
    }

    /// <summary><paramref name="current"/> if it is plain already, else the output of a new reorder step.</summary>
    private static DnnlMemory Plain(List<PlanStep> steps, DnnlContext context, DnnlMemory current, string name)
    {
        var plain = MemoryDescs.Plain(MemoryDescs.Dims(current.Desc));
        if (MemoryDescs.Equal(plain, current.Desc)) return current;
        var reorder = new ReorderStep($"{name} (to plain layout)", context, current, plain);
        steps.Add(reorder);
        return reorder.Output;
    }

    private static ManagedLayerStep Delegated(Layer layer, DnnlContext context, DnnlMemory current, int batch, Shape shape, Action<string> notice)
    {
        notice($"onednn: {layer.Name} ({layer.Description}) on {shape} input has no oneDNN primitive here; it runs on the managed backend.");
        return new ManagedLayerStep(layer, context, current, batch, shape);
    }
}
