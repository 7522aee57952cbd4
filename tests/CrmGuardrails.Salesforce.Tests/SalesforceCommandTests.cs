using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using CrmGuardrails.Cli;

namespace CrmGuardrails.Salesforce.Tests;

/// <summary><c>crmguard salesforce</c> against the emulated org: check, backfill, metadata, and input errors named by option.</summary>
public sealed class SalesforceCommandTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "crmg-sf-cli-" + Guid.NewGuid().ToString("N"));
    private TestOrg _org = null!;

    public async Task InitializeAsync()
    {
        _org = await TestOrg.StartAsync();
        Directory.CreateDirectory(_folder);
        await File.WriteAllBytesAsync(Path.Combine(_folder, "app.pfx"), TestOrg.Certificate.Export(X509ContentType.Pkcs12));
    }

    public async Task DisposeAsync()
    {
        await _org.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Check_SignsIn_AndFindsEverythingTheEmulatedOrgHas()
    {
        var (code, output, _) = await RunAsync(["salesforce", "check", .. Connection()]);

        Assert.Equal(CrmGuardCommand.Ok, code);
        Assert.Contains("ok        CrmG_MatchKey__c.CrmG_UniqueKey__c", output, StringComparison.Ordinal);
        Assert.Contains("API budget:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_NamesWhatIsMissing()
    {
        _org.Emulator.Schema.RemoveField("Lead", "CrmG_Flag__c");
        _org.Emulator.Schema.RemoveObject("CrmG_MatchKey__c");

        var (code, output, _) = await RunAsync(["salesforce", "check", .. Connection()]);

        Assert.Equal(CrmGuardCommand.Failed, code);
        Assert.Contains("problem   Lead.CrmG_Flag__c", output, StringComparison.Ordinal);
        Assert.Contains("missing   CrmG_MatchKey__c", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysBackfill_FillsTheKeyObject_AndSavesItsState()
    {
        _org.Emulator.Seed([new Account { Id = Guid.NewGuid().ToString("D"), Name = "Fabrikam Ltd", Website = "fabrikam.example" }]);
        var state = Path.Combine(_folder, "state.json");

        var (code, output, _) = await RunAsync(["salesforce", "keys", "--backfill", "--state", state, "--reserve", "0", .. Connection()]);

        Assert.Equal(CrmGuardCommand.Ok, code);
        Assert.Contains("1 records", output, StringComparison.Ordinal);
        Assert.NotEmpty(_org.Emulator.Store.All("CrmG_MatchKey__c"));
        Assert.Contains("\"Object\":\"\"", await File.ReadAllTextAsync(state), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metadata_WritesWellFormedSfdxSource_WithTheSchemasNames()
    {
        var target = Path.Combine(_folder, "sfdx");

        var (code, _, _) = await RunAsync(["salesforce", "metadata", target, "--endpoint-url", "https://guard.example/crmguardrails/salesforce-outbound?code=k3y", "--integration-user", "int@acme.example"]);

        Assert.Equal(CrmGuardCommand.Ok, code);
        var files = Directory.GetFiles(target, "*.xml", SearchOption.AllDirectories);
        foreach (var file in files)
            XDocument.Load(file);
        Assert.Contains(files, f => f.EndsWith(Path.Combine("objects", "Activity", "fields", "CrmG_NotificationKey__c.field-meta.xml"), StringComparison.Ordinal));
        var lead = XDocument.Load(Path.Combine(target, "force-app", "main", "default", "workflows", "Lead.workflow-meta.xml"));
        var sent = lead.Descendants().Where(e => e.Name.LocalName == "fields").Select(e => e.Value).ToList();
        Assert.Contains("IsConverted", sent);

        // The endpoint refuses a message without who saved and when: every generated message sends them.
        Assert.All(CrmGuardrails.Salesforce.Webhooks.SalesforceOutboundMessageReader.RequiredFields, field => Assert.Contains(field, sent));
        Assert.Contains(lead.Descendants().Where(e => e.Name.LocalName == "endpointUrl"), e => e.Value.EndsWith("/crmguardrails/salesforce-outbound?code=k3y", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(target, "sfdx-project.json")));
    }

    [Fact]
    public async Task BadInput_IsNamedByItsOption()
    {
        var (code, _, error) = await RunAsync(["salesforce", "keys", "--page-size", "0", "--login-url", "ftp://x", "--client-id", "c", "--client-secret", "s"]);

        Assert.Equal(CrmGuardCommand.BadInput, code);
        Assert.Contains("--backfill", error, StringComparison.Ordinal);
        Assert.Contains("--page-size: 0", error, StringComparison.Ordinal);
        Assert.Contains("--login-url: 'ftp://x'", error, StringComparison.Ordinal);
    }

    private string[] Connection() =>
        ["--login-url", _org.Emulator.Url.ToString(), "--client-id", _org.Emulator.ClientId, "--username", TestOrg.Username, "--certificate", Path.Combine(_folder, "app.pfx")];

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CrmGuardCommand.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
