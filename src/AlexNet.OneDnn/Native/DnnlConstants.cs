namespace AlexNet.OneDnn.Native;

/// <summary>Enum values of oneDNN 2.6.3 (dnnl_types.h); 3.x renumbered several of them.</summary>
internal static class DnnlConstants
{
    public const int EngineCpu = 1;
    public const uint StreamDefaultFlags = 1;
    public const int F32 = 3;
    public static readonly nint AllocateMemory = -1; // DNNL_MEMORY_ALLOCATE

    // dnnl_prop_kind_t
    public const int ForwardTraining = 64;
    public const int ForwardInference = 96;
    public const int Backward = 128;
    public const int BackwardData = 160;
    public const int BackwardWeights = 192;

    // dnnl_alg_kind_t
    public const int ConvolutionDirect = 1;
    public const int EltwiseRelu = 31;
    public const int EltwiseReluUseDstForBwd = 256;
    public const int PoolingMax = 511;
    public const int LrnAcrossChannels = 2815;

    // dnnl_format_tag_t
    public const int FormatAny = 1;
    public const int FormatA = 2;
    public const int FormatAb = 3;
    public const int FormatAbcd = 5;
    public const int FormatAbcde = 7;
    public const int FormatAcdb = 20; // nhwc: channels last
    public const int FormatABcd8b = 93; // nChw8c: blocks of 8 channels, AVX2's activation layout

    // dnnl_query_t
    public const int QueryImplInfoString = 8;
    public const int QuerySrcMd = 129;
    public const int QueryDiffSrcMd = 130;
    public const int QueryWeightsMd = 131;
    public const int QueryDiffWeightsMd = 132;
    public const int QueryDstMd = 133;
    public const int QueryDiffDstMd = 134;
    public const int QueryWorkspaceMd = 135;

    // DNNL_ARG_*
    public const int ArgSrc = 1;
    public const int ArgDst = 17;
    public const int ArgWeights = 33;
    public const int ArgBias = 41;
    public const int ArgWorkspace = 64;
    public const int ArgDiffSrc = 129;
    public const int ArgDiffDst = 145;
    public const int ArgDiffWeights = 161;
    public const int ArgDiffBias = 169;
    public const int ArgFrom = 1;
    public const int ArgTo = 17;
}
