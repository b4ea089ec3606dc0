using System.Buffers.Binary;
using System.Text;

namespace AlexNet.Pickle;

/// <summary>
/// Reads a Python pickle (protocols 2 to 5, the binary opcodes torch.save emits) into plain data: None, bool,
/// long, double, string, byte[], object?[] (tuple), List (list, set), <see cref="PickleDict"/> and whatever
/// <see cref="IPickleRules"/> builds for allowed globals. Any other global is refused by name before it could
/// be looked up, text-mode and extension opcodes are refused, and no Python code is ever run.
/// </summary>
public sealed class RestrictedUnpickler
{
    private readonly byte[] _data;
    private readonly string _source;
    private readonly IPickleRules _rules;
    private readonly IPersistentLoader? _persistent;
    private readonly bool _python2StringsAsBytes;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new(); // stack heights at each MARK
    private readonly Dictionary<long, object?> _memo = [];
    private int _position;

    /// <param name="python2StringsAsBytes">
    /// Read Python 2 <c>str</c> values (BINSTRING, SHORT_BINSTRING) as byte[] rather than Latin-1 strings, as Python's
    /// <c>pickle.load(f, encoding="bytes")</c> does: the right reading for pickles of binary data such as CIFAR's.
    /// </param>
    public RestrictedUnpickler(byte[] data, string source, IPickleRules rules, IPersistentLoader? persistent = null, bool python2StringsAsBytes = false) =>
        (_data, _source, _rules, _persistent, _python2StringsAsBytes) = (data, source, rules, persistent, python2StringsAsBytes);

    public object? Load()
    {
        while (true)
        {
            var offset = _position;
            var opcode = ReadByte();
            try
            {
                if (Step(opcode)) break;
            }
            catch (Exception e) when (e is InvalidCastException or ArgumentException or InvalidOperationException or KeyNotFoundException or OverflowException)
            {
                throw Malformed($"opcode 0x{opcode:x2} at byte {offset} does not fit the values before it ({e.Message})");
            }
        }
        if (_stack.Count != 1 || _marks.Count != 0) throw Malformed($"STOP with {_stack.Count} values on the stack and {_marks.Count} open MARKs");
        return _stack[0];
    }

    /// <summary>Executes one opcode; true at STOP.</summary>
    private bool Step(byte opcode)
    {
        switch (opcode)
        {
            case 0x80: ReadByte(); break; // PROTO n
            case 0x95: ReadBytes(8); break; // FRAME length: frames are only a read-ahead hint
            case 0x2e: return true; // STOP
            case 0x28: _marks.Push(_stack.Count); break; // MARK: remembers where the marked items start
            case 0x30: Pop(); break; // POP
            case 0x31: PopMark(); break; // POP_MARK
            case 0x32: Push(Peek()); break; // DUP
            case 0x4e: Push(null); break; // NONE
            case 0x88: Push(true); break; // NEWTRUE
            case 0x89: Push(false); break; // NEWFALSE
            case 0x4a: Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break; // BININT
            case 0x4b: Push((long)ReadByte()); break; // BININT1
            case 0x4d: Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2))); break; // BININT2
            case 0x8a: Push(ReadLong(ReadByte())); break; // LONG1
            case 0x8b: Push(ReadLong(checked((int)BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))))); break; // LONG4
            case 0x47: Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break; // BINFLOAT
            case 0x58: Push(ReadUtf8(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))); break; // BINUNICODE
            case 0x8c: Push(ReadUtf8(ReadByte())); break; // SHORT_BINUNICODE
            case 0x8d: Push(ReadUtf8(BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8)))); break; // BINUNICODE8
            case 0x54: Push(ReadPython2String(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))); break; // BINSTRING
            case 0x55: Push(ReadPython2String(ReadByte())); break; // SHORT_BINSTRING
            case 0x42: Push(ReadBytes(Length(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))).ToArray()); break; // BINBYTES
            case 0x43: Push(ReadBytes(ReadByte()).ToArray()); break; // SHORT_BINBYTES
            case 0x8e or 0x96: Push(ReadBytes(Length(BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8)))).ToArray()); break; // BINBYTES8, BYTEARRAY8
            case 0x29: Push(Array.Empty<object?>()); break; // EMPTY_TUPLE
            case 0x74: Push(PopMark().ToArray()); break; // TUPLE
            case 0x85: Push(new[] { Pop() }); break; // TUPLE1
            case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; } // TUPLE2
            case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; } // TUPLE3
            case 0x5d: Push(new List<object?>()); break; // EMPTY_LIST
            case 0x6c: Push(PopMark()); break; // LIST
            case 0x61: { var item = Pop(); AsList(Peek()).Add(item); break; } // APPEND
            case 0x65: { var items = PopMark(); AsList(Peek()).AddRange(items); break; } // APPENDS
            case 0x8f: Push(new List<object?>()); break; // EMPTY_SET: kept as a list of its items
            case 0x90: { var items = PopMark(); AsList(Peek()).AddRange(items); break; } // ADDITEMS
            case 0x91: Push(PopMark()); break; // FROZENSET
            case 0x7d: Push(new PickleDict()); break; // EMPTY_DICT
            case 0x64: Push(ToDict(PopMark())); break; // DICT
            case 0x73: { var value = Pop(); var key = Pop(); AsDict(Peek()).Set(Key(key), value); break; } // SETITEM
            case 0x75: { var items = PopMark(); var dict = AsDict(Peek()); for (var i = 0; i + 1 < items.Count; i += 2) dict.Set(Key(items[i]), items[i + 1]); break; } // SETITEMS
            case 0x71: _memo[ReadByte()] = Peek(); break; // BINPUT
            case 0x72: _memo[BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))] = Peek(); break; // LONG_BINPUT
            case 0x94: _memo[_memo.Count] = Peek(); break; // MEMOIZE
            case 0x68: Push(Memo(ReadByte())); break; // BINGET
            case 0x6a: Push(Memo(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))); break; // LONG_BINGET
            case 0x63: Push(Global(ReadLine(), ReadLine())); break; // GLOBAL "module\nname\n"
            case 0x93: { var name = Pop() as string; var module = Pop() as string; Push(Global(module ?? throw Malformed("STACK_GLOBAL without a module name"), name ?? throw Malformed("STACK_GLOBAL without a name"))); break; }
            case 0x52: { var args = Pop() as object?[] ?? throw Malformed("REDUCE arguments are not a tuple"); var callable = Pop(); Push(Call(callable, args)); break; } // REDUCE
            case 0x81: { var args = Pop() as object?[] ?? throw Malformed("NEWOBJ arguments are not a tuple"); var type = Pop(); Push(Call(type, args)); break; } // NEWOBJ
            case 0x62: { var state = Pop(); _rules.Build(Peek() ?? throw Malformed("BUILD on None"), state); break; } // BUILD
            case 0x51: // BINPERSID
                {
                    var id = Pop();
                    Push((_persistent ?? throw Malformed("a persistent reference, which this file type cannot have")).Load(id));
                    break;
                }
            default:
                throw new AlexNetException(
                    $"'{_source}' uses pickle opcode 0x{opcode:x2} ({OpcodeName(opcode)}) at byte {_position - 1}, which the importer does not accept; only the binary opcodes torch.save writes are read.");
        }
        return false;
    }

    private object Global(string module, string name)
    {
        // Protocol 2 pickles written by Python 3 use the Python 2 module names.
        module = module switch { "__builtin__" => "builtins", "copy_reg" => "copyreg", _ => module };
        var global = new PickleGlobal(module, name);
        if (!_rules.Allows(global))
        {
            throw new AlexNetException(
                $"'{_source}' refers to the Python global '{global.FullName}', which the importer refuses: only {_rules.AcceptedGlobals} are read, and nothing in the file is executed.");
        }
        return global;
    }

    private object Call(object? callable, object?[] arguments) =>
        callable is PickleGlobal global ? _rules.Call(global, arguments) : throw Malformed($"a call of {Describe(callable)}, which is not an allowed global");

    private static PickleDict ToDict(List<object?> items)
    {
        var dict = new PickleDict();
        for (var i = 0; i + 1 < items.Count; i += 2) dict.Set(Key(items[i]), items[i + 1]);
        return dict;
    }

    private List<object?> AsList(object? value) => value as List<object?> ?? throw Malformed($"an append to {Describe(value)}");

    private PickleDict AsDict(object? value) => value as PickleDict ?? throw Malformed($"SETITEM on {Describe(value)}");

    private static object Key(object? key) => key ?? "None";

    private object? Memo(long index) => _memo.TryGetValue(index, out var value) ? value : throw Malformed($"memo entry {index} is read before it is written");

    private void Push(object? value) => _stack.Add(value);

    /// <summary>The top of the stack; items below the innermost MARK belong to an enclosing opcode and are out of reach.</summary>
    private object? Peek() => _stack.Count > (_marks.Count > 0 ? _marks.Peek() : 0) ? _stack[^1] : throw Malformed("the stack is empty");

    private object? Pop()
    {
        var value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0) throw Malformed("an opcode needs a MARK that is not there");
        var start = _marks.Pop();
        var items = _stack.GetRange(start, _stack.Count - start);
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private byte ReadByte() => _position < _data.Length ? _data[_position++] : throw Truncated();

    private ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > _data.Length - _position) throw Truncated();
        var span = _data.AsSpan(_position, count);
        _position += count;
        return span;
    }

    private int Length(ulong length) => length <= (ulong)(_data.Length - _position) ? (int)length : throw Truncated();

    private string ReadUtf8(ulong length) => Encoding.UTF8.GetString(ReadBytes(Length(length)));

    private object ReadPython2String(ulong length)
    {
        var bytes = ReadBytes(Length(length));
        return _python2StringsAsBytes ? bytes.ToArray() : Encoding.Latin1.GetString(bytes);
    }

    private string ReadLine()
    {
        var end = Array.IndexOf(_data, (byte)'\n', _position);
        if (end < 0) throw Truncated();
        var line = Encoding.ASCII.GetString(_data, _position, end - _position);
        _position = end + 1;
        return line;
    }

    /// <summary>A little-endian two's-complement integer of <paramref name="length"/> bytes (LONG1/LONG4).</summary>
    private long ReadLong(int length)
    {
        if (length > 8) throw Malformed($"an integer of {length} bytes, larger than 64 bits");
        var bytes = ReadBytes(length);
        long value = 0;
        for (var i = length - 1; i >= 0; i--) value = (value << 8) | bytes[i];
        if (length is > 0 and < 8 && (bytes[length - 1] & 0x80) != 0) value -= 1L << (8 * length);
        return value;
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        string s => $"the string '{s}'",
        _ => value.GetType().Name,
    };

    private static string OpcodeName(byte opcode) => opcode switch
    {
        (byte)'i' => "INST",
        (byte)'o' => "OBJ",
        (byte)'P' => "PERSID",
        0x82 or 0x83 or 0x84 => "EXT",
        0x92 => "NEWOBJ_EX",
        0x97 => "NEXT_BUFFER",
        0x98 => "READONLY_BUFFER",
        (byte)'I' or (byte)'L' or (byte)'F' or (byte)'S' or (byte)'V' or (byte)'g' or (byte)'p' => "a protocol-0 text opcode",
        _ => "unknown",
    };

    private AlexNetException Truncated() => new($"'{_source}' is truncated: its pickle ends at byte {_data.Length} before the STOP opcode.");

    private AlexNetException Malformed(string what) => new($"'{_source}' holds a malformed pickle: {what}.");
}
