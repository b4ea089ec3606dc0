using System.Buffers.Binary;
using AlexNet.Checkpoints;
using AlexNet.Interop.Caffe;
using AlexNet.Interop.Numpy;
using AlexNet.Interop.PyTorch;
using AlexNet.Models;

namespace AlexNet.Interop;

/// <summary>
/// Turns a PyTorch, safetensors or Caffe weight file into a checkpoint that carries its architecture, class
/// names and preprocessing. The format is told from the content; the output is written only after every
/// check passed, and atomically, so a failed import leaves no file behind.
/// </summary>
public static class ModelImporter
{
    public static ImportedModel Import(ImportOptions options)
    {
        var source = options.Source;
        var bytes = InteropFiles.ReadAllBytes(source, "weight file");
        var format = Detect(bytes, source);
        var network = format switch
        {
            ImportFormat.PyTorch => WeightMapping.Load(TorchCheckpointReader.Read(bytes, source), options.Architecture, source),
            ImportFormat.SafeTensors => WeightMapping.Load(ForeignSafeTensors(bytes, source), options.Architecture, source),
            ImportFormat.NumpyCaffe => TensorFlowCaffeImporter.Import(NpyFile.Read(bytes, source), options.Architecture, source),
            _ => CaffeImporter.Import(CaffeModelReader.Read(bytes, source), options.Architecture, source),
        };
        var classes = ClassNameFile.Resolve(options.ClassesFile, network.Config.Classes, source);
        return new ImportedModel(network, classes, ImportPreprocessing.For(network.Config, options), format);
    }

    /// <summary>Imports and saves as a checkpoint without training state.</summary>
    public static ImportedModel ImportToFile(ImportOptions options, string output)
    {
        var model = Import(options);
        Checkpoint.Save(output, model.Network, model.ClassNames, model.Preprocessing);
        return model;
    }

    /// <summary>The tensors of a safetensors file that is not already one of this toolkit's checkpoints.</summary>
    private static List<KeyValuePair<string, Tensors.Tensor>> ForeignSafeTensors(byte[] bytes, string source)
    {
        var file = SafeTensorsFile.Parse(bytes, source);
        if (file.Metadata.TryGetValue("format", out var format) && format == Checkpoint.FormatName)
        {
            throw new AlexNetException($"'{source}' is already an alexnet checkpoint, with its own classes and preprocessing: use it as it is.");
        }
        return file.Tensors.ToList();
    }

    public static ImportFormat Detect(ReadOnlySpan<byte> bytes, string source)
    {
        if (NpyFile.HasMagic(bytes)) return ImportFormat.NumpyCaffe;
        if (bytes.Length >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4) return ImportFormat.PyTorch;
        if (bytes.Length >= 2 && bytes[0] == 0x80 && bytes[1] <= 5)
        {
            throw new AlexNetException($"'{source}' is a bare pickle (torch.save before PyTorch 1.6, or pickle.dump); re-save it with torch.save from PyTorch ≥ 1.6.");
        }
        // safetensors: a little-endian header length, then the JSON header (a truncated file still starts so).
        if (bytes.Length >= 9 && BinaryPrimitives.ReadUInt64LittleEndian(bytes) < 1UL << 32 && bytes[8] == '{') return ImportFormat.SafeTensors;
        // A NetParameter starts with its name (field 1), V1 layers (field 2) or layers (field 100).
        if (bytes.Length >= 2 && (bytes[0] is 0x0a or 0x12 || (bytes[0] == 0xa2 && bytes[1] == 0x06))) return ImportFormat.Caffe;
        throw new AlexNetException($"'{source}' is neither a PyTorch checkpoint (zip), a safetensors file, a Caffe model nor a .npy file.");
    }
}
