using System.Runtime.InteropServices;

namespace AlexNet.OneDnn.Native;

/// <summary>dnnl_exec_arg_t: int arg, 4 bytes of padding, dnnl_memory_t (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ExecArg
{
    public int Arg;
    public nint Memory;
}
