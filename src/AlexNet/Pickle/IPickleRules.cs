namespace AlexNet.Pickle;

/// <summary>
/// What a restricted unpickler may do with globals: which it accepts, and what "calling" one means. A call
/// never runs Python code; it builds plain data (a dict, a tensor reference, a recorded instance).
/// </summary>
public interface IPickleRules
{
    /// <summary>What the allowed globals build, for the message that refuses another (e.g. "numpy arrays and dtypes").</summary>
    string AcceptedGlobals { get; }

    /// <summary>True when the global <c>module.name</c> may appear in the pickle at all.</summary>
    bool Allows(PickleGlobal global);

    /// <summary>The value of <c>callable(*arguments)</c> (REDUCE) or <c>cls.__new__(cls, *arguments)</c> (NEWOBJ).</summary>
    object Call(PickleGlobal callable, object?[] arguments);

    /// <summary>Applies BUILD's <paramref name="state"/> to <paramref name="target"/> as data.</summary>
    void Build(object target, object? state);
}
