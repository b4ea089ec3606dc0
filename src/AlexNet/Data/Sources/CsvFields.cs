using System.Text;

namespace AlexNet.Data.Sources;

/// <summary>
/// Splits one CSV line into fields: commas separate them, a field may be in double quotes (<c>""</c> for a
/// quote; a field cannot span lines), spaces around unquoted fields and around quotes are trimmed.
/// </summary>
internal static class CsvFields
{
    /// <summary>The fields of <paramref name="line"/>; <paramref name="error"/> says what is wrong when the quoting is.</summary>
    public static List<string> Split(string line, out string? error)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        error = null;
        while (true)
        {
            while (i < line.Length && line[i] == ' ') i++;
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        error = "unterminated quoted field";
                        return fields;
                    }
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.Append(line[i++]);
                }
                while (i < line.Length && line[i] == ' ') i++;
                if (i < line.Length && line[i] != ',')
                {
                    error = "text after a closing quote";
                    return fields;
                }
                fields.Add(field.ToString());
            }
            else
            {
                var end = line.IndexOf(',', i);
                if (end < 0) end = line.Length;
                fields.Add(line[i..end].Trim());
                i = end;
            }
            field.Clear();
            if (i >= line.Length) return fields;
            i++; // the comma
        }
    }
}
