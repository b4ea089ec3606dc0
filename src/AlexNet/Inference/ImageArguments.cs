using AlexNet.Data.Sources;

namespace AlexNet.Inference;

/// <summary>
/// Expands what a user names for prediction: files are kept, folders become the images inside them (all
/// levels, sorted), URLs are kept for download. A name that is none of these is an error naming it.
/// </summary>
public static class ImageArguments
{
    public static IReadOnlyList<string> Expand(IEnumerable<string> arguments)
    {
        var result = new List<string>();
        foreach (var argument in arguments)
        {
            if (RemoteImage.IsUrl(argument) || File.Exists(argument))
            {
                result.Add(argument);
            }
            else if (Directory.Exists(argument))
            {
                var images = UserFiles.Run($"list folder '{argument}'", () => Directory
                    .EnumerateFiles(argument, "*", SearchOption.AllDirectories)
                    .Where(ImageFiles.HasImageExtension)
                    .Order(StringComparer.Ordinal)
                    .ToList());
                if (images.Count == 0)
                {
                    throw new AlexNetException($"Folder '{argument}' holds no images ({ImageFiles.ExtensionList}).");
                }
                result.AddRange(images);
            }
            else
            {
                throw new AlexNetException($"'{argument}' is not an image file, a folder or an http(s) URL.");
            }
        }
        return result;
    }
}
