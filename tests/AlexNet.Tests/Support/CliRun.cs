using AlexNet.Cli;

namespace AlexNet.Tests.Support;

/// <summary>Runs one command line in-process, capturing what it prints.</summary>
public static class CliRun
{
    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = Program.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
