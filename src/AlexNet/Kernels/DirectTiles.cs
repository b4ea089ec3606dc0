namespace AlexNet.Kernels;

/// <summary>
/// The micro-kernels of <see cref="DirectConvolutionKernels"/> for one instruction set and the vector tile they
/// cover: 32 lanes with a 16-lane tail on AVX-512, 24 lanes with 8-lane tails on AVX2 with FMA
/// (<see cref="DirectConvolutionKernelsAvx2"/>), 8 lanes without FMA and in the scalar fallback. A run of lanes is
/// covered by full tiles while at least <see cref="Width"/> remain, then by <see cref="Step"/>-lane tiles.
/// </summary>
internal readonly unsafe struct DirectTiles
{
    public delegate*<nint, float*, int*, float*, float*, nint, void> Correlate { get; private init; }

    /// <summary>The kernel for the tiles of <see cref="Step"/> lanes that finish a run shorter than <see cref="Width"/>.</summary>
    public delegate*<nint, float*, int*, float*, float*, nint, void> CorrelateHalf { get; private init; }

    public delegate*<nint, nint, nint, float*, int*, float*, nint, float*, nint, void> Weights { get; private init; }

    public delegate*<nint, nint, nint, float*, int*, float*, nint, float*, nint, void> WeightsHalf { get; private init; }

    public delegate*<nint, float*, int*, int*, float*, nint, float*, void> Gather { get; private init; }

    public delegate*<nint, float*, int*, int*, float*, nint, float*, void> GatherHalf { get; private init; }

    /// <summary>Lanes of a full tile.</summary>
    public int Width { get; private init; }

    /// <summary>Granularity of tiles: grids and channel counts are rounded up to a multiple of this.</summary>
    public int Step { get; private init; }

    public int Round(int length) => (length + Step - 1) / Step * Step;

    /// <summary>Lanes of the tile that starts <paramref name="remaining"/> lanes before the end of a run: a full tile or a step.</summary>
    public int Lanes(int remaining) => remaining >= Width ? Width : Step;

    public static DirectTiles For(Gemm.Isa isa)
    {
        if (isa > Gemm.BestIsa) throw new PlatformNotSupportedException($"{isa} is not accelerated on this machine.");
        return isa switch
        {
            Gemm.Isa.Vector512 => new DirectTiles
            {
                Correlate = &DirectConvolutionKernels.Correlate8x32, CorrelateHalf = &DirectConvolutionKernels.Correlate8x16,
                Weights = &DirectConvolutionKernels.Weights8x32, WeightsHalf = &DirectConvolutionKernels.Weights8x16,
                Gather = &DirectConvolutionKernels.Gather8x32, GatherHalf = &DirectConvolutionKernels.Gather8x16,
                Width = 32, Step = 16,
            },
            Gemm.Isa.Vector256 when System.Runtime.Intrinsics.X86.Fma.IsSupported => new DirectTiles
            {
                Correlate = &DirectConvolutionKernelsAvx2.Correlate8x24, CorrelateHalf = &DirectConvolutionKernels.Correlate8x8,
                Weights = &DirectConvolutionKernelsAvx2.Weights8x24, WeightsHalf = &DirectConvolutionKernels.Weights8x8,
                Gather = &DirectConvolutionKernelsAvx2.Gather8x24, GatherHalf = &DirectConvolutionKernels.Gather8x8,
                Width = DirectConvolutionKernelsAvx2.Width, Step = 8,
            },
            Gemm.Isa.Vector256 => new DirectTiles
            {
                Correlate = &DirectConvolutionKernels.Correlate8x8, CorrelateHalf = &DirectConvolutionKernels.Correlate8x8,
                Weights = &DirectConvolutionKernels.Weights8x8, WeightsHalf = &DirectConvolutionKernels.Weights8x8,
                Gather = &DirectConvolutionKernels.Gather8x8, GatherHalf = &DirectConvolutionKernels.Gather8x8,
                Width = 8, Step = 8,
            },
            _ => new DirectTiles
            {
                Correlate = &DirectConvolutionKernels.Correlate8x8Scalar, CorrelateHalf = &DirectConvolutionKernels.Correlate8x8Scalar,
                Weights = &DirectConvolutionKernels.Weights8x8Scalar, WeightsHalf = &DirectConvolutionKernels.Weights8x8Scalar,
                Gather = &DirectConvolutionKernels.Gather8x8Scalar, GatherHalf = &DirectConvolutionKernels.Gather8x8Scalar,
                Width = 8, Step = 8,
            },
        };
    }
}
