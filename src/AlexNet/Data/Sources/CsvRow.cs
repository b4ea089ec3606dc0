namespace AlexNet.Data.Sources;

/// <summary>One data line of a CSV list: the image's full path, its label name, its split if the file has that column.</summary>
public sealed record CsvRow(int LineNumber, string Path, string Label, DataSplit? Split);
