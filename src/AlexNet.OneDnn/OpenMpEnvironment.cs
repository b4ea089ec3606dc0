using AlexNet.OneDnn.Native;

namespace AlexNet.OneDnn;

/// <summary>
/// oneDNN's OpenMP runtime (libgomp) reads OMP_NUM_THREADS and OMP_WAIT_POLICY from the native environment when
/// it loads. .NET's Environment.SetEnvironmentVariable changes only the runtime's own copy, so these go through
/// libc's setenv, and only when the user has not set them.
/// </summary>
internal static class OpenMpEnvironment
{
    /// <summary>Sets the defaults and returns the thread count oneDNN will use.</summary>
    public static int Prepare()
    {
        var threads = Environment.GetEnvironmentVariable("OMP_NUM_THREADS");
        if (string.IsNullOrEmpty(threads))
        {
            threads = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
            SetNative("OMP_NUM_THREADS", threads);
        }
        // Spinning libgomp threads would starve the data loader's threads between primitives.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY"))) SetNative("OMP_WAIT_POLICY", "PASSIVE");
        return int.TryParse(threads.Split(',')[0], out var count) && count > 0 ? count : Environment.ProcessorCount;
    }

    private static void SetNative(string name, string value)
    {
        if (NativeMethods.setenv(name, value, 1) != 0)
        {
            throw new InvalidOperationException($"setenv({name}) failed.");
        }
        Environment.SetEnvironmentVariable(name, value);
    }
}
