namespace AlexNet.Data.Sources;

/// <summary>Which of CIFAR-100's two labels a data set uses: its 100 fine classes or its 20 coarse superclasses.</summary>
public enum CifarLabels
{
    Fine,
    Coarse,
}
