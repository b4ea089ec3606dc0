using AlexNet.Pickle;

namespace AlexNet.Interop.Numpy;

/// <summary>
/// The pickle of an object .npy file (<c>np.save</c> of a dict): <see cref="NumpyPickleRules"/> for the arrays of
/// numbers, plus the one thing those rules refuse for data sets, an array of Python objects, which here may only be
/// the file's wrapper around the dict. Its elements are plain pickle data (dicts, lists, arrays): nothing is run.
/// </summary>
internal sealed class NpyPickleRules(string source) : IPickleRules
{
    private readonly NumpyPickleRules _numbers = new(source);

    /// <summary>numpy's object dtype, 'O8', which the number rules do not know.</summary>
    private sealed class ObjectDtype;

    public string AcceptedGlobals => "numpy arrays and dtypes and latin-1 byte strings";

    public bool Allows(PickleGlobal global) => _numbers.Allows(global);

    public object Call(PickleGlobal callable, object?[] arguments)
    {
        if (callable.Name == "dtype" && arguments is [var name, ..] && (name as string ?? (name is byte[] b ? System.Text.Encoding.Latin1.GetString(b) : null)) is "O8" or "O")
        {
            return new ObjectDtype();
        }
        var value = _numbers.Call(callable, arguments);
        return value is NumpyArray array ? new NpyObject(array) : value;
    }

    public void Build(object target, object? state)
    {
        switch (target)
        {
            case ObjectDtype:
                return;
            case NpyObject array when state is object?[] { Length: 5 } tuple && tuple[2] is ObjectDtype:
                array.Objects = tuple[4] as List<object?> ?? throw new AlexNetException($"'{source}' holds a malformed numpy pickle: an object array without its elements.");
                return;
            case NpyObject array:
                _numbers.Build(array.Numbers, state);
                return;
            default:
                _numbers.Build(target, state);
                return;
        }
    }
}
