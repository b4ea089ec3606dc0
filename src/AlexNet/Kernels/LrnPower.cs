using System.Runtime.CompilerServices;

namespace AlexNet.Kernels;

/// <summary>
/// scale^(−beta) and 1 / scale for <see cref="LocalResponseNorm"/>, as a type: a strip routine compiled for one of these
/// structs has the choice made once per call instead of once per vector, and the AlexNet case (beta = 0.75) has no
/// call left inside its loops, which would make the JIT spill every live vector register around it.
/// </summary>
internal interface ILrnPower
{
    static abstract TLanes Of<TLanes>(TLanes scale, float beta, out TLanes inverse) where TLanes : struct, ILrnLanes<TLanes>;
}

/// <summary>beta = 0.75: scale^(−3/4) = √(1/s) · √√(1/s), so one division serves the power and the backward ratios.</summary>
internal readonly struct ThreeQuartersPower : ILrnPower
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLanes Of<TLanes>(TLanes scale, float beta, out TLanes inverse) where TLanes : struct, ILrnLanes<TLanes>
    {
        inverse = TLanes.Broadcast(1f) / scale;
        var root = TLanes.Sqrt(inverse);
        return root * TLanes.Sqrt(root);
    }
}

/// <summary>Any other beta, through Pow lane by lane.</summary>
internal readonly struct AnyBetaPower : ILrnPower
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLanes Of<TLanes>(TLanes scale, float beta, out TLanes inverse) where TLanes : struct, ILrnLanes<TLanes>
    {
        inverse = TLanes.Broadcast(1f) / scale;
        return LocalResponseNorm.PowLanes(scale, -beta);
    }
}
