namespace AlexNet.Kernels;

/// <summary>
/// The instruction set the managed kernels run with on this machine: 512-bit vectors where the runtime accelerates
/// them (AVX-512; off with <c>DOTNET_EnableAVX512F=0</c>), else 256-bit (AVX2), else scalar code.
/// </summary>
public static class KernelIsa
{
    public static string Name => Gemm.BestIsa switch
    {
        Gemm.Isa.Vector512 => "avx512",
        Gemm.Isa.Vector256 => "avx2",
        _ => "scalar",
    };
}
