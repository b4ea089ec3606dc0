using AlexNet.Models;
using AlexNet.OneDnn.Primitives;
using AlexNet.OneDnn.Tests.Support;
using Xunit;

namespace AlexNet.OneDnn.Tests;

/// <summary>
/// The arena places activation-gradient memory by lifetime: what a step rents is its own until the step's backward
/// ends, and what it keeps for the next step (its input gradient, or an alias of it) stays untouched through that
/// step. Sharing memory any earlier would corrupt gradients; the whole-network parity tests would catch that only
/// for the shapes they use, so the rules are checked here directly.
/// </summary>
public sealed class GradientArenaTests
{
    private static Native.MemoryDesc Floats(int count) => MemoryDescs.Plain([count]);

    private static bool Disjoint(DnnlMemory a, DnnlMemory b) => a.Data + (nint)a.Bytes <= b.Data || b.Data + (nint)b.Bytes <= a.Data;

    [OneDnnFact]
    public void RentsOfOneStepNeverShareMemory()
    {
        using var context = new DnnlContext();
        using var arena = new GradientArena(context);
        arena.BeginStep();
        var rented = new[] { arena.Rent(Floats(100)), arena.Rent(Floats(100)), arena.Rent(Floats(50)) };
        arena.Commit();
        Assert.All(rented, m => Assert.NotEqual(0, m.Data));
        for (var i = 0; i < rented.Length; i++)
        {
            for (var j = i + 1; j < rented.Length; j++) Assert.True(Disjoint(rented[i], rented[j]), $"rentals {i} and {j} overlap");
        }
        Assert.InRange(arena.Bytes, 250 * sizeof(float), 250 * sizeof(float) + 3 * 64);
    }

    [OneDnnFact]
    public void AStepsTemporariesServeTheNextStepButWhatItKeepsDoesNot()
    {
        using var context = new DnnlContext();
        using var arena = new GradientArena(context);
        arena.BeginStep();
        var temporary = arena.Rent(Floats(256));
        var kept = arena.Rent(Floats(256));
        arena.KeepForNextStep(kept);
        arena.BeginStep();
        var next = arena.Rent(Floats(256));
        arena.Commit();

        Assert.True(Disjoint(kept, next), "the next step's rental overlaps the gradient kept for it");
        Assert.Equal(temporary.Data, next.Data);
        Assert.Equal(2 * 256 * sizeof(float), arena.Bytes);
    }

    [OneDnnFact]
    public void AnAliasSharesTheDataAndKeepingItKeepsTheRental()
    {
        using var context = new DnnlContext();
        using var arena = new GradientArena(context);
        arena.BeginStep();
        var gradient = arena.Rent(Floats(64));
        arena.KeepForNextStep(gradient);
        arena.BeginStep();
        var flattened = arena.Alias(MemoryDescs.Plain([4, 16]), gradient);
        arena.KeepForNextStep(flattened);
        arena.BeginStep();
        var later = arena.Rent(Floats(64));
        arena.Commit();

        Assert.Equal(gradient.Data, flattened.Data);
        Assert.True(Disjoint(gradient, later), "a rental two steps on overlaps a gradient whose alias was kept for it");
        Assert.Throws<InvalidOperationException>(() => arena.Rent(Floats(1)));
    }

    [OneDnnFact]
    public void RentalsAliveAtDifferentTimesShareTheLargestOnesMemory()
    {
        using var context = new DnnlContext();
        using var arena = new GradientArena(context);
        var sizes = new[] { 16, 256, 1024, 4096, 16384 };
        var rentals = new List<DnnlMemory>();
        foreach (var size in sizes)
        {
            // Each step reads the previous step's gradient and leaves one for the next: two alive at a time.
            arena.BeginStep();
            var gradient = arena.Rent(Floats(size));
            arena.KeepForNextStep(gradient);
            rentals.Add(gradient);
        }
        arena.Commit();
        for (var i = 1; i < rentals.Count; i++) Assert.True(Disjoint(rentals[i - 1], rentals[i]), $"steps {i - 1} and {i} overlap");
        Assert.Equal((16384 + 4096) * sizeof(float), arena.Bytes);
    }

    [OneDnnFact]
    public void ATrainingNetworkHoldsAboutTwoLayersOfGradientsNotAll()
    {
        var network = ModelFactory.Create(new ModelConfig(Architecture.Paper, Classes: 10, InputSize: 99, Widths: new LayerWidths(16, 32, 48, 48, 32, 64)), 3);
        const int batch = 4;
        var outputs = new List<long>();
        var shape = network.InputShape;
        foreach (var layer in network.Layers)
        {
            shape = layer.OutputShape(shape);
            outputs.Add(shape.ElementCount * batch * sizeof(float));
        }
        using var context = new DnnlContext();
        using var compiled = PlanCompiler.Compile(context, network, batch, training: true, notice: _ => { });

        // Before the arena every layer's gradient, and every temporary beside it, had memory of its own.
        Assert.InRange(compiled.GradientBytes, outputs.Max(), 2 * outputs.Max() + 64 * outputs.Count);
    }
}
