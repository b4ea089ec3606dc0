namespace AlexNet.Kernels;

/// <summary>
/// The vector operations of <see cref="LocalResponseNorm"/>, implemented for 128-, 256- and 512-bit vectors so that
/// one strip routine serves every width: the JIT compiles a separate copy of a generic method for each struct type.
/// </summary>
internal unsafe interface ILrnLanes<TLanes> where TLanes : struct, ILrnLanes<TLanes>
{
    static abstract int Count { get; }

    static abstract TLanes Load(float* source);

    static abstract void Store(TLanes value, float* destination);

    static abstract TLanes Broadcast(float value);

    static abstract TLanes Sqrt(TLanes value);

    static abstract TLanes operator +(TLanes left, TLanes right);

    static abstract TLanes operator *(TLanes left, TLanes right);

    static abstract TLanes operator /(TLanes left, TLanes right);
}
