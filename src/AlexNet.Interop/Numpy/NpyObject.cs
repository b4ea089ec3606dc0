using AlexNet.Pickle;

namespace AlexNet.Interop.Numpy;

/// <summary>
/// An ndarray in an object .npy file's pickle: numbers (<see cref="Numbers"/>, rebuilt by <see cref="NumpyPickleRules"/>)
/// or, for the file's 0-d object array that wraps a dict, its elements (<see cref="Objects"/>).
/// </summary>
public sealed class NpyObject(NumpyArray numbers)
{
    /// <summary>The array of numbers; unfilled when the array turned out to hold objects.</summary>
    public NumpyArray Numbers { get; } = numbers;

    public IReadOnlyList<object?>? Objects { get; internal set; }

    public override string ToString() => Objects is null ? Numbers.ToString() : $"numpy object array of {Objects.Count}";
}
