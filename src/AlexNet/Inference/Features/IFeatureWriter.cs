namespace AlexNet.Inference.Features;

/// <summary>Receives feature rows in order and makes the file appear only when every row is written.</summary>
internal interface IFeatureWriter : IDisposable
{
    /// <summary>Appends <paramref name="rows"/> rows of the writer's dimension, stored one after another.</summary>
    void Write(ReadOnlySpan<float> values, int rows);

    /// <summary>Finishes the file (all announced rows must have been written) and gives it its name.</summary>
    void Commit();
}
