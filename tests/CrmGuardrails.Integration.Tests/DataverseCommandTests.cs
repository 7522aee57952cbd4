using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmGuardrails.Dataverse.Emulator;

namespace CrmGuardrails.Integration.Tests;

/// <summary><c>crmguard dataverse register</c> and <c>manifest</c>, run as the real program against the emulator.</summary>
public sealed class DataverseCommandTests : IAsyncLifetime
{
    private DataverseEmulator _org = null!;

    public async Task InitializeAsync()
    {
        _org = await DataverseEmulator.StartAsync();
        foreach (var message in new[] { "Create", "CreateMultiple", "Update", "Delete", "Book", "Reschedule" })
        {
            var id = _org.Store.Upsert("sdkmessages", new JsonObject { ["name"] = message });
            foreach (var table in new[] { "lead", "phonecall", "appointment", "email", "task", "account", "contact" })
                _org.Store.Upsert("sdkmessagefilters", new JsonObject { ["_sdkmessageid_value"] = id, ["primaryobjecttypecode"] = table });
        }
    }

    public async Task DisposeAsync() => await _org.DisposeAsync();

    private string[] Register(params string[] more) =>
    [
        "dataverse", "register", "--org-url", _org.OrgUrl.ToString(), "--access-token", _org.Token,
        "--endpoint-url", "https://guard.example/crmguardrails/dataverse", "--key", "a-shared-key-of-32-characters-xx", .. more,
    ];

    [Fact]
    public async Task Register_Twice_SecondRunLeavesEverythingUnchanged()
    {
        var first = await Crmguard.RunAsync(Register());
        var endpoints = _org.Store.Rows("serviceendpoints");
        var steps = _org.Store.Rows("sdkmessageprocessingsteps");
        _org.ClearRequests();
        var second = await Crmguard.RunAsync(Register());

        Assert.Equal(0, first.ExitCode);
        // The endpoint; 5×2 creates, 4 updates, Book and Reschedule of appointments, a pre-image for each update and
        // reschedule; and the asynchronous match-key steps (create, update with a post-image, delete of accounts, contacts, leads).
        Assert.Equal(1 + 16 + 5 + 9 + 3, first.Lines.Count(l => l.StartsWith("created", StringComparison.Ordinal)));
        var endpoint = Assert.Single(endpoints);
        Assert.Equal(8, endpoint["contract"]!.GetValue<int>());
        Assert.Equal(4, endpoint["authtype"]!.GetValue<int>());
        Assert.Equal("a-shared-key-of-32-characters-xx", endpoint["authvalue"]!.GetValue<string>());
        Assert.Equal(25, steps.Count);
        Assert.All(steps.Where(s => !s["name"]!.GetValue<string>().EndsWith("(match keys)", StringComparison.Ordinal)), s => Assert.Equal(10, s["stage"]!.GetValue<int>()));
        Assert.All(steps.Where(s => s["name"]!.GetValue<string>().EndsWith("(match keys)", StringComparison.Ordinal)), s =>
        {
            Assert.Equal(40, s["stage"]!.GetValue<int>());
            Assert.Equal(1, s["mode"]!.GetValue<int>());
        });
        Assert.Equal(4, steps.Count(s => s["filteringattributes"]?.GetValue<string>() == "scheduledstart,ownerid"));
        var images = _org.Store.Rows("sdkmessageprocessingstepimages");
        Assert.Equal(5 + 3, images.Count);
        Assert.All(images.Where(i => i["imagetype"]!.GetValue<int>() == 0), i =>
        {
            Assert.Equal(0, i["imagetype"]!.GetValue<int>());
            Assert.Equal("Target", i["messagepropertyname"]!.GetValue<string>());
            Assert.Contains("crmg_reschedulecount", i["attributes"]!.GetValue<string>(), StringComparison.Ordinal);
        });

        Assert.Equal(0, second.ExitCode);
        Assert.Equal(34, second.Lines.Count(l => l.StartsWith("unchanged", StringComparison.Ordinal)));
        Assert.Contains("0 to create, 0 to update, 0 to delete, 34 unchanged.", second.Error);
        Assert.All(_org.Requests, r => Assert.Equal("GET", r.Method));
        Assert.Equal(25, _org.Store.Rows("sdkmessageprocessingsteps").Count);
    }

    [Fact]
    public async Task Register_ModeChanged_UpdatesOnlyTheSteps()
    {
        await Crmguard.RunAsync(Register());

        var result = await Crmguard.RunAsync(Register("--mode", "async"));

        Assert.Equal(0, result.ExitCode);
        Assert.Single(result.Lines, l => l.StartsWith("unchanged", StringComparison.Ordinal) && l.Contains("serviceendpoints", StringComparison.Ordinal));
        Assert.Equal(16, result.Lines.Count(l => l.StartsWith("updated", StringComparison.Ordinal)));

        // The lead's own asynchronous create now keeps its keys: the separate match-key step of the synchronous mode goes.
        Assert.Equal(0, result.Lines.Count(l => l.StartsWith("created", StringComparison.Ordinal)));
        Assert.Single(result.Lines, l => l.StartsWith("deleted", StringComparison.Ordinal) && l.Contains("Create of lead (match keys)", StringComparison.Ordinal));
        Assert.Equal(24, _org.Store.Rows("sdkmessageprocessingsteps").Count);
        Assert.Equal(3, _org.Store.Rows("sdkmessageprocessingstepimages").Count(i => i["imagetype"]!.GetValue<int>() == 1));
        Assert.All(_org.Store.Rows("sdkmessageprocessingsteps"), s =>
        {
            Assert.Equal(40, s["stage"]!.GetValue<int>());
            Assert.Equal(1, s["mode"]!.GetValue<int>());
        });
    }

    [Fact]
    public async Task Register_DryRun_PrintsThePlanAndWritesNothing()
    {
        var result = await Crmguard.RunAsync(Register("--dry-run", "--auth-type", "HttpHeader"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(34, result.Lines.Count(l => l.StartsWith("would create", StringComparison.Ordinal)));
        Assert.Contains("dry run: nothing written", result.Error);
        Assert.Empty(_org.Store.Rows("serviceendpoints"));
        Assert.Empty(_org.Store.Rows("sdkmessageprocessingsteps"));
        Assert.NotEmpty(_org.Requests);
        Assert.All(_org.Requests, r => Assert.Equal("GET", r.Method));
    }

    [Theory]
    [InlineData("--org-url", "dataverse register --access-token t --endpoint-url https://guard.example/hook")]
    [InlineData("--org-url", "dataverse register --org-url ftp://x --access-token t --endpoint-url https://guard.example/hook")]
    [InlineData("--endpoint-url", "dataverse register --org-url https://contoso.crm.dynamics.com/ --access-token t --endpoint-url http://guard.example/hook")]
    [InlineData("--auth-type", "dataverse register --org-url https://contoso.crm.dynamics.com/ --access-token t --endpoint-url https://guard.example/hook --auth-type Basic")]
    [InlineData("--key", "dataverse register --org-url https://contoso.crm.dynamics.com/ --access-token t --endpoint-url https://guard.example/hook --key short")]
    [InlineData("--client-secret", "dataverse register --org-url https://contoso.crm.dynamics.com/ --endpoint-url https://guard.example/hook")]
    [InlineData("--mode", "dataverse register --org-url https://contoso.crm.dynamics.com/ --access-token t --endpoint-url https://guard.example/hook --mode later")]
    [InlineData("--endpoint-url", "dataverse register --org-url https://contoso.crm.dynamics.com/ --access-token t")]
    public async Task Register_BadInput_Exit2NamingTheOption(string option, string args)
    {
        var result = await Crmguard.RunAsync(args.Split(' '));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.Empty(_org.Requests);
    }

    [Fact]
    public async Task Register_OrgDown_Exit1WithoutStackTrace()
    {
        _org.Faults.Always(EmulatorFault.Unavailable());

        var result = await Crmguard.RunAsync(Register());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("503", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.Empty(_org.Store.Rows("serviceendpoints"));
    }

    [Fact]
    public async Task Manifest_ListsBlockAndFlagStepsWithPreImageForUpdates()
    {
        var result = await Crmguard.RunAsync(["dataverse", "manifest"]);

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var steps = json.RootElement.GetProperty("steps").EnumerateArray().ToList();
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("pluginType").GetString()));
        Assert.Equal(2 * (5 + 5 + 4), steps.Count);
        Assert.Equal(["Create", "CreateMultiple", "Update"], steps.Select(s => s.GetProperty("message").GetString()).Distinct());
        Assert.Equal(["lead", "phonecall", "appointment", "email", "task"], steps.Select(s => s.GetProperty("primaryEntity").GetString()).Distinct());
        Assert.All(steps, s => Assert.Equal(0, s.GetProperty("mode").GetInt32()));
        Assert.All(steps, s => Assert.Equal(s.GetProperty("purpose").GetString() == "block" ? 10 : 20, s.GetProperty("stage").GetInt32()));
        Assert.All(steps.Where(s => s.GetProperty("message").GetString() == "Update"), s =>
        {
            Assert.Equal("scheduledstart,ownerid", s.GetProperty("filteringAttributes").GetString());
            Assert.Equal("PreImage", s.GetProperty("images")[0].GetProperty("name").GetString());
        });
        Assert.All(steps.Where(s => s.GetProperty("message").GetString() != "Update"), s => Assert.False(s.TryGetProperty("images", out _)));
    }
}

/// <summary>Runs the built <c>crmguard</c> program (a child process with a bounded run time) and captures its output.</summary>
internal static class Crmguard
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public IReadOnlyList<string> Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>The program in its own output folder, same configuration as the tests (…/bin/&lt;Configuration&gt;/net10.0/).</summary>
    private static string ProgramPath()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        for (var dir = output; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "CrmGuardrails.Cli", "bin", configuration, output.Name, "crmguard.dll");
            if (File.Exists(candidate))
                return candidate;
        }

        throw new FileNotFoundException($"crmguard.dll ({configuration}) was not found above {AppContext.BaseDirectory}; build src/CrmGuardrails.Cli first.");
    }

    public static async Task<Result> RunAsync(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ProgramPath());
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var variable in new[] { "DATAVERSE_URL", "DATAVERSE_TENANT_ID", "DATAVERSE_CLIENT_ID", "DATAVERSE_CLIENT_SECRET", "DATAVERSE_ACCESS_TOKEN", "CRMGUARDRAILS_WEBHOOK_KEY" })
            start.Environment.Remove(variable);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("crmguard did not finish within 90 s.");
        }

        return new Result(process.ExitCode, await output, await error);
    }
}
