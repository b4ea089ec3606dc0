namespace AlexNet.Data.Sources;

/// <summary>How a data set's labelled images are stored on disk; see <see cref="DataSetDetector"/>.</summary>
public enum DataSetLayout
{
    /// <summary><c>[split/]&lt;class&gt;/*.jpg</c>, torchvision's ImageFolder (<see cref="ClassFolderSource"/>).</summary>
    ClassFolders,

    /// <summary>Flat <c>train|val|test/</c> folders plus JSON label maps (<see cref="SeedJsonSource"/>).</summary>
    SeedJson,

    /// <summary>A <c>path,label[,split]</c> CSV file (<see cref="CsvListSource"/>).</summary>
    CsvList,

    /// <summary>CIFAR-10, binary or python, in a folder or its .tar.gz (<see cref="CifarData"/>).</summary>
    Cifar10,

    /// <summary>IDX files as MNIST and Fashion-MNIST ship them (<see cref="IdxSource"/>).</summary>
    Idx,

    /// <summary>CIFAR-100, binary or python, in a folder or its .tar.gz (<see cref="CifarData"/>); fine or coarse labels.</summary>
    Cifar100,
}
