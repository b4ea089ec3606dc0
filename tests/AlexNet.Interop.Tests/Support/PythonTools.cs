using System.Diagnostics;

namespace AlexNet.Interop.Tests.Support;

/// <summary>Debian's Python with the modules a cross-check needs (python3-onnx, python3-torch).</summary>
public static class PythonTools
{
    public const string Python = "/usr/bin/python3";

    private static readonly Dictionary<string, bool> Available = [];

    public static bool Has(params string[] modules)
    {
        var key = string.Join(",", modules);
        lock (Available)
        {
            if (Available.TryGetValue(key, out var known)) return known;
            var found = File.Exists(Python) && Run(["-c", string.Join(";", modules.Select(m => $"import {m}"))], TimeSpan.FromSeconds(60)).Code == 0;
            return Available[key] = found;
        }
    }

    public static (int Code, string Output, string Error) Run(IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Python} {string.Join(' ', arguments)} did not finish in {timeout}.");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
