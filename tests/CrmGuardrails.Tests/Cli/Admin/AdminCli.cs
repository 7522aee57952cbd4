using CrmGuardrails.Cli;

namespace CrmGuardrails.Tests.Cli.Admin;

/// <summary>Runs crmguard in-process and keeps a temporary folder for its files.</summary>
public abstract class AdminCli : IDisposable
{
    protected DirectoryInfo Work { get; } = Directory.CreateTempSubdirectory("crmguard-admin-");

    public void Dispose()
    {
        Work.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }

    protected static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CrmGuardCommand.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    protected string Write(string name, string text)
    {
        var path = Path.Combine(Work.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    protected string In(string name) => Path.Combine(Work.FullName, name);
}
