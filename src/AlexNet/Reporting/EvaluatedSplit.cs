namespace AlexNet.Reporting;

/// <summary>The split a report evaluates the best checkpoint on: validation when the run had one, else test.</summary>
public enum EvaluatedSplit
{
    Validation,
    Test,
}
