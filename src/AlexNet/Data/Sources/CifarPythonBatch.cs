using System.Text;
using AlexNet.Pickle;

namespace AlexNet.Data.Sources;

/// <summary>
/// A batch of CIFAR's python version: a pickled dict (Python 2's cPickle, read as <c>pickle.load(f,
/// encoding="bytes")</c> would) whose <c>data</c> is a uint8 numpy array of N × 3,072 and whose <c>labels</c>
/// (CIFAR-10) or <c>fine_labels</c> and <c>coarse_labels</c> (CIFAR-100) are lists of N integers. Our restricted
/// unpickler reads it with <see cref="NumpyPickleRules"/>: nothing in the file is executed.
/// </summary>
internal static class CifarPythonBatch
{
    public static CifarBatch Read(byte[] bytes, string source, bool hundred, CifarLabels labels, List<string> problems)
    {
        var dict = Unpickle(bytes, source);
        var key = !hundred ? "labels" : labels == CifarLabels.Fine ? "fine_labels" : "coarse_labels";
        if (!dict.TryGetText("data", out var data) || data is not NumpyArray array)
        {
            throw new AlexNetException($"CIFAR batch '{source}' has no 'data' array.");
        }
        if (array.Dtype is not { Kind: 'u', ItemSize: 1 } || array.Shape.Length != 2 || array.Shape[1] != CifarBatch.ImageBytes || array.FortranOrder)
        {
            throw new AlexNetException(
                $"CIFAR batch '{source}': 'data' is a {array}{(array.FortranOrder ? " in Fortran order" : "")}; expected uint8 of N × {CifarBatch.ImageBytes} in C order.");
        }
        if (!dict.TryGetText(key, out var list)) throw new AlexNetException($"CIFAR batch '{source}' has no '{key}' list.");
        var values = Integers(list, source, key);
        if (values.Length != array.Shape[0])
        {
            problems.Add($"'{source}' has {values.Length} '{key}' for {array.Shape[0]} images");
            return new CifarBatch(source, array.Data, 0, CifarBatch.ImageBytes, []);
        }
        return new CifarBatch(source, array.Data, 0, CifarBatch.ImageBytes, values);
    }

    /// <summary>The list of names under <paramref name="key"/> of a pickled meta dict (<c>label_names</c>, <c>fine_label_names</c> …).</summary>
    public static string[] ReadNames(byte[] bytes, string source, string key)
    {
        var dict = Unpickle(bytes, source);
        if (!dict.TryGetText(key, out var value) || value is not List<object?> items)
        {
            throw new AlexNetException($"CIFAR meta file '{source}' has no '{key}' list.");
        }
        var names = items.Select(item => item switch
        {
            byte[] raw => Encoding.UTF8.GetString(raw),
            string text => text,
            _ => throw new AlexNetException($"CIFAR meta file '{source}': '{key}' holds {item ?? "None"}, not a name."),
        }).ToArray();
        if (names.Length == 0 || names.Any(name => name.Length == 0)) throw new AlexNetException($"CIFAR meta file '{source}': '{key}' has no or empty names.");
        var repeated = names.GroupBy(name => name, StringComparer.Ordinal).Where(group => group.Count() > 1).Select(group => group.Key).ToList();
        if (repeated.Count > 0) throw new AlexNetException($"CIFAR meta file '{source}': '{key}' repeats {Listing.Inline(repeated)}.");
        return names;
    }

    private static PickleDict Unpickle(byte[] bytes, string source)
    {
        var value = new RestrictedUnpickler(bytes, source, new NumpyPickleRules(source), python2StringsAsBytes: true).Load();
        return value as PickleDict ?? throw new AlexNetException($"CIFAR file '{source}' holds {value?.GetType().Name ?? "None"}, not a pickled dict.");
    }

    private static int[] Integers(object? value, string source, string key)
    {
        int Checked(long? number) => number is >= 0 and <= int.MaxValue ? (int)number.Value
            : throw new AlexNetException($"CIFAR batch '{source}': '{key}' holds {number?.ToString() ?? "a value that is not an integer"}, not a class index.");
        return value switch
        {
            List<object?> items => items.Select(item => Checked(item as long?)).ToArray(),
            NumpyArray { Shape.Length: 1 } array => Enumerable.Range(0, array.Shape[0]).Select(i => Checked(array.Integer(i))).ToArray(),
            _ => throw new AlexNetException($"CIFAR batch '{source}': '{key}' is not a list of integers."),
        };
    }
}
