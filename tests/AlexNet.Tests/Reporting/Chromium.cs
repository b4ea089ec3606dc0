using System.Diagnostics;

namespace AlexNet.Tests.Reporting;

/// <summary>Debian's headless Chromium, to check that a report actually renders in a browser.</summary>
public static class Chromium
{
    public static string? Executable { get; } =
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    /// <summary>
    /// Loads <paramref name="htmlPath"/> in a fresh profile, saves a screenshot of the given window size and
    /// returns Chromium's log (stderr), where every console message appears as a line with "CONSOLE".
    /// </summary>
    public static string Screenshot(string htmlPath, string pngPath, int width, int height, TimeSpan timeout)
    {
        var profile = Directory.CreateTempSubdirectory("alexnet-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("Chromium is not installed."))
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-extensions",
                         "--enable-logging=stderr", "--v=0", $"--user-data-dir={profile}", $"--screenshot={pngPath}",
                         $"--window-size={width},{height}", new Uri(htmlPath).AbsoluteUri,
                     })
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"Chromium did not finish within {timeout.TotalSeconds} s.");
            }
            return output.Result + error.Result;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
