using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.OneDnn.Primitives;
using AlexNet.OneDnn.Steps;
using AlexNet.Tensors;

namespace AlexNet.OneDnn;

/// <summary>
/// Compiles a network's layer list into oneDNN steps for one batch size: a ReLU after a convolution or linear
/// layer becomes that primitive's post-op, and one after batch normalization is fused into it where oneDNN can; dropout and flatten get plain layouts (reordered only when the layer
/// before chose another); dropout in inference and adaptive pooling to the size it already has disappear.
/// A layer for which oneDNN has no primitive, or only its reference implementation in every layout the step
/// offers, runs on the managed kernels instead (said once through the notice).
/// </summary>
internal static class PlanCompiler
{
    public static CompiledNetwork Compile(DnnlContext context, Network network, int batch, bool training, Action<string> notice) =>
        Compile(context, network.Layers, network.InputShape, batch, training, notice);

    /// <summary>Compiles any layer list for per-sample input <paramref name="inputShape"/>; its output leaves in plain layout.</summary>
    public static CompiledNetwork Compile(DnnlContext context, IReadOnlyList<Layer> layers, Shape inputShape, int batch, bool training, Action<string> notice)
    {
        var refused = new HashSet<Layer>();
        while (true)
        {
            var log = new List<PrimitiveRecord>();
            context.Log = log;
            try
            {
                var compiled = new Attempt(context, layers, inputShape, batch, training, notice, refused).Compile();
                compiled.Primitives = log;
                return compiled;
            }
            catch (RefusedLayerException e) when (refused.Add(e.Layer))
            {
                notice($"onednn: {e.Layer.Name} ({e.Layer.Description}) at batch {batch} has only oneDNN's reference implementation here " +
                    $"({e.Reason.What}: {e.Reason.Implementation}); it runs on the managed backend.");
            }
            finally
            {
                context.Log = null;
            }
        }
    }

    /// <summary>A layer to compile again as a managed step.</summary>
    private sealed class RefusedLayerException(Layer layer, ReferenceImplementationException reason) : Exception(reason.Message, reason)
    {
        public Layer Layer { get; } = layer;

        public ReferenceImplementationException Reason { get; } = reason;
    }

    /// <summary>One compilation with a fixed set of layers handed to the managed kernels.</summary>
    private sealed class Attempt(DnnlContext context, IReadOnlyList<Layer> layers, Shape inputShape, int batch, bool training, Action<string> notice,
        IReadOnlySet<Layer> refused)
    {
        private readonly List<PlanStep> _steps = [];
        private readonly Dictionary<PlanStep, Layer> _layerOf = [];
        private readonly List<string> _delegated = [];

        public CompiledNetwork Compile()
        {
            var input = DnnlMemory.Allocate(context, MemoryDescs.Plain(inputShape.WithBatch(batch).ToArray()));
            try
            {
                var current = input;
                var shape = inputShape;
                for (var i = 0; i < layers.Count; i++)
                {
                    var layer = layers[i];
                    var relu = i + 1 < layers.Count && !refused.Contains(layer) ? layers[i + 1] as ReluLayer : null;
                    PlanStep? step;
                    try
                    {
                        step = CreateStep(layer, relu, current, shape);
                    }
                    catch (ReferenceImplementationException e)
                    {
                        throw new RefusedLayerException(layer, e);
                    }
                    if (relu is not null && step is WeightedStep or BatchNormStep { FusesRelu: true })
                    {
                        shape = relu.OutputShape(layer.OutputShape(shape));
                        i++;
                    }
                    else
                    {
                        shape = layer.OutputShape(shape);
                    }
                    if (step is null) continue;
                    _steps.Add(step);
                    _layerOf[step] = layer;
                    step.Parameters = layer.Parameters;
                    current = step.Output;
                }
                Plain(current, "output");
                try
                {
                    return new CompiledNetwork(context, input, _steps, shape.WithBatch(batch), training) { DelegatedLayers = _delegated };
                }
                catch (ReferenceImplementationException e) when (e.Step is not null && _layerOf.TryGetValue(e.Step, out var layer))
                {
                    throw new RefusedLayerException(layer, e);
                }
            }
            catch
            {
                foreach (var step in _steps) step.Dispose();
                input.Dispose();
                throw;
            }
        }

        private PlanStep? CreateStep(Layer layer, ReluLayer? relu, DnnlMemory current, Shape shape)
        {
            if (refused.Contains(layer)) return Delegated(layer, current, shape);
            return layer switch
            {
                ConvolutionLayer conv => new ConvolutionStep(conv, relu, context, current, batch, shape, training),
                LinearLayer linear => new InnerProductStep(linear, relu, context, current, batch, training),
                ReluLayer => new ReluStep(layer.Name, context, current, training),
                LrnLayer lrn when BlockedLrnStep.Takes(lrn, current, batch, shape) => new BlockedLrnStep(lrn, context, current, batch, shape),
                LrnLayer lrn => new LrnStep(lrn, context, current, training),
                BatchNormLayer norm => BatchNormStep.Create(norm, relu, context, current, training),
                MaxPoolLayer pool when BlockedMaxPoolStep.Takes(current) => new BlockedMaxPoolStep(pool, context, current, batch, shape),
                MaxPoolLayer pool => new MaxPoolStep(pool, context, current, batch, shape, training),
                FlattenLayer => new FlattenStep(layer.Name, context, Plain(current, layer.Name), batch, checked((int)shape.ElementCount)),
                DropoutLayer dropout when training && dropout.Probability > 0 => new DropoutStep(dropout, context, Plain(current, layer.Name), batch),
                DropoutLayer => null,
                AdaptiveAvgPoolLayer pool when shape[1] == pool.OutputHeight && shape[2] == pool.OutputWidth => null,
                _ => Unsupported(layer, current, shape),
            };
        }

        /// <summary><paramref name="current"/> if it is plain already, else the output of a new reorder step.</summary>
        private DnnlMemory Plain(DnnlMemory current, string name)
        {
            var plain = MemoryDescs.Plain(MemoryDescs.Dims(current.Desc));
            if (MemoryDescs.Equal(plain, current.Desc)) return current;
            var reorder = new ReorderStep($"{name} (to plain layout)", context, current, plain);
            _steps.Add(reorder);
            return reorder.Output;
        }

        private ManagedLayerStep Unsupported(Layer layer, DnnlMemory current, Shape shape)
        {
            notice($"onednn: {layer.Name} ({layer.Description}) on {shape} input has no oneDNN primitive here; it runs on the managed backend.");
            return Delegated(layer, current, shape);
        }

        private ManagedLayerStep Delegated(Layer layer, DnnlMemory current, Shape shape)
        {
            _delegated.Add(layer.Name);
            return new ManagedLayerStep(layer, context, current, batch, shape);
        }
    }
}
