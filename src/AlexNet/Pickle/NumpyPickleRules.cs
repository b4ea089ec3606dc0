using System.Text;

namespace AlexNet.Pickle;

/// <summary>
/// Globals a pickle of plain data with numpy arrays may name, and their meaning as data: an ndarray rebuilt
/// by <c>numpy.core.multiarray._reconstruct</c> and BUILD (protocols 0–4; <c>numpy._core</c> in numpy 2) or by
/// <c>_frombuffer</c> (protocol 5), a dtype of plain numbers, numpy scalars, and <c>_codecs.encode</c>, with which
/// Python 3 writes bytes at protocol 2. Arrays of Python objects are refused: they would hold pickles of their own.
/// </summary>
public sealed class NumpyPickleRules(string source) : IPickleRules
{
    private static readonly HashSet<string> Allowed =
    [
        "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct",
        "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer",
        "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar",
        "numpy.ndarray", "numpy.dtype", "_codecs.encode",
    ];

    public string AcceptedGlobals => "numpy arrays of numbers, their dtypes and latin-1 byte strings";

    public bool Allows(PickleGlobal global) => Allowed.Contains(global.FullName);

    public object Call(PickleGlobal callable, object?[] arguments)
    {
        switch (callable.Name)
        {
            case "_reconstruct" when arguments is [PickleGlobal { FullName: "numpy.ndarray" }, ..]:
                return new NumpyArray();
            case "dtype" when arguments.Length >= 1:
                return NumpyDtype.Parse(Text(arguments[0]) ?? "") ?? throw Malformed($"the dtype {Describe(arguments[0])}, which is not a plain number type");
            case "_frombuffer" when arguments.Length >= 4:
                {
                    var array = new NumpyArray();
                    var problem = array.Fill(Shape(arguments[2]), arguments[1] as NumpyDtype ?? throw Malformed("_frombuffer without a dtype"),
                        Text(arguments[3]) == "F", Bytes(arguments[0]) ?? throw Malformed("_frombuffer without a buffer"));
                    return problem is null ? array : throw Malformed(problem);
                }
            case "scalar" when arguments is [NumpyDtype dtype, var data]:
                {
                    var array = new NumpyArray();
                    var problem = array.Fill([], dtype, false, Bytes(data) ?? throw Malformed("a numpy scalar without its bytes"));
                    if (problem is not null) throw Malformed(problem);
                    return array.Integer(0) ?? throw Malformed($"a numpy scalar of dtype {dtype}, not an integer");
                }
            case "encode" when arguments is [string text, var encoding] && Text(encoding) is "latin1" or "latin-1":
                return Encoding.Latin1.GetBytes(text);
        }
        throw Malformed($"a call of {callable.FullName} with {arguments.Length} arguments");
    }

    public void Build(object target, object? state)
    {
        switch (target)
        {
            case NumpyDtype dtype:
                if (!dtype.SetState(state)) throw Malformed($"a dtype state that is not (version, byte order, …) for {dtype}");
                break;
            case NumpyArray array:
                // ndarray.__setstate__: (version, shape, dtype, is_fortran, raw data).
                if (array.Filled || state is not object?[] { Length: 5 } tuple || tuple[2] is not NumpyDtype elementType)
                {
                    throw Malformed("an ndarray state that is not (version, shape, dtype, is_fortran, data)");
                }
                if (tuple[4] is List<object?>) throw Malformed("an array of Python objects, which is refused");
                var problem = array.Fill(Shape(tuple[1]), elementType, tuple[3] is true or 1L, Bytes(tuple[4]) ?? throw Malformed("an ndarray without raw data"));
                if (problem is not null) throw Malformed(problem);
                break;
            default:
                throw Malformed($"BUILD on a {target.GetType().Name}");
        }
    }

    private int[] Shape(object? value) =>
        value is object?[] tuple
            ? tuple.Select(d => d is long size && size is >= 0 and <= int.MaxValue ? (int)size : throw Malformed($"an array dimension {Describe(d)}")).ToArray()
            : throw Malformed("an array shape that is not a tuple");

    private static byte[]? Bytes(object? value) => value switch
    {
        byte[] bytes => bytes,
        string text => Encoding.Latin1.GetBytes(text), // a Python 2 str read as Latin-1 holds the same bytes
        _ => null,
    };

    private static string? Text(object? value) => value switch
    {
        string text => text,
        byte[] bytes => Encoding.Latin1.GetString(bytes),
        _ => null,
    };

    private static string Describe(object? value) => value switch
    {
        null => "None",
        string or byte[] => $"'{Text(value)}'",
        _ => value.ToString() ?? value.GetType().Name,
    };

    private AlexNetException Malformed(string what) => new($"'{source}' holds a malformed numpy pickle: {what}.");
}
