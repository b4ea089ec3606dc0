using System.Text;
using AlexNet.Interop.Pickle;

namespace AlexNet.Interop.Numpy;

/// <summary>
/// The globals a pickled numpy array may name, and their meaning as data: <c>numpy.core.multiarray._reconstruct</c>
/// (or numpy 2's <c>numpy._core…</c>) of <c>numpy.ndarray</c> makes a <see cref="NumpyArray"/> that BUILD fills with
/// (version, shape, dtype, Fortran order, raw bytes or objects); <c>numpy.dtype</c> a <see cref="NumpyDtype"/>;
/// <c>_codecs.encode(text, 'latin1')</c>, which Python 3 writes for bytes in protocol 2, the bytes. Every other
/// global is refused, and nothing is executed.
/// </summary>
public sealed class NumpyPickleRules(string source) : IPickleRules
{
    private static readonly HashSet<string> Allowed =
    [
        "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct", "numpy.ndarray", "numpy.dtype", "_codecs.encode",
    ];

    public string AcceptedGlobals => "numpy arrays, numpy dtypes and latin-1 byte strings";

    public bool Allows(PickleGlobal global) => Allowed.Contains(global.FullName);

    public object Call(PickleGlobal callable, object?[] arguments)
    {
        switch (callable.Name)
        {
            case "_reconstruct" when arguments.Length >= 1 && arguments[0] is PickleGlobal { FullName: "numpy.ndarray" }:
                return new NumpyArray();
            case "dtype" when arguments.Length >= 1 && arguments[0] is string name:
                return new NumpyDtype(name);
            case "encode" when arguments is [string text, string encoding] && encoding.Replace("-", "").Equals("latin1", StringComparison.OrdinalIgnoreCase):
                return Encoding.Latin1.GetBytes(text);
        }
        throw Malformed($"a call of {callable.FullName} with {arguments.Length} arguments");
    }

    public void Build(object target, object? state)
    {
        switch (target)
        {
            case NumpyDtype dtype when state is object?[] { Length: >= 2 } tuple && tuple[1] is string order:
                dtype.ByteOrder = order;
                break;
            case NumpyArray array when state is object?[] { Length: 5 } tuple:
                array.Shape = (tuple[1] as object?[] ?? throw Malformed("an array shape that is not a tuple"))
                    .Select(d => d is long n && n >= 0 && n <= int.MaxValue ? (int)n : throw Malformed($"an array dimension {d}")).ToArray();
                var elementType = tuple[2] as NumpyDtype ?? throw Malformed("an array without a dtype");
                array.TypeString = elementType.TypeString;
                array.FortranOrder = tuple[3] is true;
                switch (tuple[4])
                {
                    case byte[] bytes: array.Bytes = bytes; break;
                    case string text: array.Bytes = Encoding.Latin1.GetBytes(text); break; // Python 2's str
                    case List<object?> objects: array.Objects = objects; break;
                    default: throw Malformed("array data that is neither bytes nor a list of objects");
                }
                break;
            default:
                throw Malformed($"BUILD on a {target.GetType().Name}");
        }
    }

    private AlexNetException Malformed(string what) => new($"'{source}' holds a malformed numpy pickle: {what}.");
}
