namespace AlexNet.Kernels;

/// <summary>
/// The micro-kernels of <see cref="DirectConvolutionKernels"/> for one instruction set and the vector tile they
/// cover: 32 lanes with a 16-lane tail on AVX-512, 8 lanes on AVX2 and in the scalar fallback.
/// </summary>
internal readonly unsafe struct DirectTiles
{
    public delegate*<nint, float*, int*, float*, float*, nint, void> Correlate { get; private init; }

    /// <summary>The kernel for a last tile of <see cref="Step"/> lanes when that is less than <see cref="Width"/>.</summary>
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
