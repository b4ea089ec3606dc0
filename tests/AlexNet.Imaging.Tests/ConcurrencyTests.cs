using AlexNet.Data.Images;

namespace AlexNet.Imaging.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public void ParallelDecodesEqualSequentialOnes()
    {
        var decoder = new NativeImageDecoder();
        var files = Fixtures.Manifest.Images.Select(e => (e.Name, Bytes: File.ReadAllBytes(Fixtures.PathOf(e.Name)))).ToArray();
        var reference = files.Select(f => (Rgb: decoder.Decode(f.Bytes, f.Name, 3).Pixels, Gray: decoder.Decode(f.Bytes, f.Name, 1).Pixels)).ToArray();

        const int Threads = 8, Rounds = 6;
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            for (int round = 0; round < Rounds; round++)
            {
                for (int k = 0; k < files.Length; k++)
                {
                    int i = (k + t * 3 + round) % files.Length; // threads work on different files at the same time
                    Image rgb = decoder.Decode(files[i].Bytes, files[i].Name, 3);
                    Image gray = decoder.Decode(files[i].Bytes, files[i].Name, 1);
                    if (!rgb.Pixels.AsSpan().SequenceEqual(reference[i].Rgb) || !gray.Pixels.AsSpan().SequenceEqual(reference[i].Gray))
                    {
                        failures.Add($"thread {t} round {round}: {files[i].Name}");
                    }
                }
                try
                {
                    decoder.Load(Fixtures.PathOf("truncated.jpg"), 3);
                    failures.Add($"thread {t} round {round}: truncated.jpg decoded");
                }
                catch (AlexNetException)
                {
                    // expected: errors on one thread must not disturb the others
                }
            }
        })).ToList();
        // Exceptions on these threads would end the process, so every check above records into `failures`.
        threads.ForEach(th => th.Start());
        threads.ForEach(th => th.Join());
        Assert.Empty(failures);
    }
}
