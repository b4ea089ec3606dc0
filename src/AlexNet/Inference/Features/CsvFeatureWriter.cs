using System.Globalization;
using System.Text;

namespace AlexNet.Inference.Features;

/// <summary>
/// Streams feature rows as CSV: one line per image, the values separated by commas with round-trip precision
/// (<c>numpy.loadtxt(path, delimiter=',')</c>, spreadsheets and R read it), no header.
/// </summary>
internal sealed class CsvFeatureWriter : IFeatureWriter
{
    private readonly PendingFile _file;
    private readonly StreamWriter _writer;
    private readonly int _dimension;
    private readonly StringBuilder _line = new();

    public CsvFeatureWriter(string path, int dimension)
    {
        _dimension = dimension;
        _file = new PendingFile(path);
        _writer = new StreamWriter(_file.Stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
    }

    public void Write(ReadOnlySpan<float> values, int rows)
    {
        if (values.Length != rows * _dimension) throw new ArgumentException($"{values.Length} values are not {rows} rows of {_dimension}.");
        for (var r = 0; r < rows; r++)
        {
            _line.Clear();
            var row = values.Slice(r * _dimension, _dimension);
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0) _line.Append(',');
                _line.Append(row[i].ToString("R", CultureInfo.InvariantCulture));
            }
            _writer.WriteLine(_line);
        }
    }

    public void Commit()
    {
        _writer.Flush();
        _file.Commit();
    }

    public void Dispose()
    {
        _writer.Dispose();
        _file.Dispose();
    }
}
