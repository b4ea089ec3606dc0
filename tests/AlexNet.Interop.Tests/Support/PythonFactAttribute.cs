namespace AlexNet.Interop.Tests.Support;

/// <summary>A fact that shows as skipped, with the package to install, when Python lacks a module it needs.</summary>
public sealed class PythonFactAttribute : FactAttribute
{
    public PythonFactAttribute(params string[] modules)
    {
        if (!PythonTools.Has(modules)) Skip = $"{PythonTools.Python} lacks {string.Join(", ", modules)} (scripts/install-deps.sh installs the Debian packages: python3-onnx, python3-torch, python3-torchvision).";
    }
}
