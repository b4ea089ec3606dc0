using AlexNet.Data.Sources;

namespace AlexNet.Data;

/// <summary>
/// Readable names for classes named by identifiers, read from a file in the form of ImageNet's
/// <c>synset_words.txt</c>: one class per line, its identifier (a WordNet id such as <c>n01440764</c>), white
/// space, then its words (<c>tench, Tinca tinca</c>). Blank lines are skipped. The identifiers stay the classes'
/// names in checkpoints and data sets; these names are only shown.
/// </summary>
public sealed class SynsetWords
{
    private readonly Dictionary<string, string> _words;

    private SynsetWords(string path, Dictionary<string, string> words) => (Path, _words) = (path, words);

    public string Path { get; }

    public int Count => _words.Count;

    /// <summary>Reads the file; one error lists every line that has no words or repeats an identifier.</summary>
    public static SynsetWords Read(string path)
    {
        var lines = UserFiles.Run($"read class names file '{path}'", () => File.ReadAllLines(path));
        var words = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            var space = line.IndexOfAny([' ', '\t']);
            if (space < 0)
            {
                problems.Add($"line {i + 1}: '{line}' has an identifier but no words");
                continue;
            }
            var id = line[..space];
            if (!words.TryAdd(id, line[(space + 1)..].Trim())) problems.Add($"line {i + 1}: '{id}' appears again");
        }
        if (problems.Count > 0)
        {
            throw new AlexNetException($"Class names file '{path}' (lines 'id words…', as ImageNet's synset_words.txt) has {problems.Count} bad line(s):{Listing.Lines(problems)}");
        }
        if (words.Count == 0) throw new AlexNetException($"Class names file '{path}' holds no names.");
        return new SynsetWords(path, words);
    }

    /// <summary>The readable name of each class in <paramref name="classNames"/>; an error lists every class the file lacks.</summary>
    public IReadOnlyList<string> Readable(IReadOnlyList<string> classNames)
    {
        var missing = classNames.Where(name => !_words.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            throw new AlexNetException(
                $"Class names file '{Path}' has no line for {missing.Count} of the {classNames.Count} classes: {Listing.Inline(missing)}.");
        }
        return classNames.Select(name => _words[name]).ToArray();
    }

    /// <summary><paramref name="classNames"/> made readable with the file at <paramref name="path"/>, or unchanged when it is null.</summary>
    public static IReadOnlyList<string> Apply(string? path, IReadOnlyList<string> classNames) =>
        path is null ? classNames : Read(path).Readable(classNames);
}
