namespace AlexNet.Pickle;

/// <summary>
/// A Python dict or OrderedDict as plain data: its entries in insertion order, and the attributes a BUILD
/// opcode gave it (a state_dict carries <c>_metadata</c> that way).
/// </summary>
public sealed class PickleDict
{
    private readonly List<KeyValuePair<object, object?>> _entries = [];
    private readonly Dictionary<object, int> _index = [];

    public IReadOnlyList<KeyValuePair<object, object?>> Entries => _entries;

    public Dictionary<string, object?> Attributes { get; } = [];

    public int Count => _entries.Count;

    public void Set(object key, object? value)
    {
        if (_index.TryGetValue(key, out var i)) _entries[i] = KeyValuePair.Create(key, value);
        else
        {
            _index[key] = _entries.Count;
            _entries.Add(KeyValuePair.Create(key, value));
        }
    }

    /// <summary>
    /// The value under <paramref name="key"/>, written as a string or, by Python 2 or with <c>encoding="bytes"</c>,
    /// as the same text in bytes.
    /// </summary>
    public bool TryGetText(string key, out object? value)
    {
        if (TryGet(key, out value)) return true;
        foreach (var (entryKey, entryValue) in _entries)
        {
            if (entryKey is byte[] bytes && bytes.AsSpan().SequenceEqual(System.Text.Encoding.Latin1.GetBytes(key)))
            {
                value = entryValue;
                return true;
            }
        }
        value = null;
        return false;
    }

    public bool TryGet(string key, out object? value)
    {
        if (_index.TryGetValue(key, out var i))
        {
            value = _entries[i].Value;
            return true;
        }
        value = null;
        return false;
    }
}
