using System.Net;
using System.Text;
using CrmGuardrails.Dataverse.Emulator;
using Microsoft.Extensions.Options;

namespace CrmGuardrails.Dataverse.Tests;

/// <summary>Error answers shaped like the documented samples, served by a stub handler (no resilience, no auth).</summary>
public sealed class ErrorBodyTests
{
    private sealed class StubHandler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }

    private static DataverseDirectory Directory(HttpStatusCode status, string body) =>
        new(new HttpClient(new StubHandler(status, body)), Options.Create(new DataverseDirectoryOptions
        {
            OrgUrl = new Uri("https://contoso.crm4.dynamics.com/"),
            Credential = new StaticTokenCredential("t"),
        }));

    [Fact]
    public async Task DuplicateErrorBody_CodeAndMessageAreReported()
    {
        const string Body = """{"error":{"code":"0x80040333","message":"A record was not created or updated because a duplicate of the current record already exists."}}""";

        var error = await Assert.ThrowsAsync<DataverseException>(async () =>
            await Directory(HttpStatusCode.PreconditionFailed, Body).GetAsync(new RecordRef(RecordKind.Lead, Guid.NewGuid().ToString()), CancellationToken.None));

        Assert.Equal(HttpStatusCode.PreconditionFailed, error.StatusCode);
        Assert.Equal("0x80040333", error.ErrorCode);
        Assert.Contains("duplicate of the current record", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidJsonErrorBody_AsPublished_StillGivesStatus()
    {
        // The documented plug-in error sample is not valid JSON (a missing comma); it must not crash the directory.
        const string Body = """{"error":{"code":"0x80040265","message":"Example Error Message.","@Microsoft.PowerApps.CDS.TraceText":"x" "@Microsoft.PowerApps.CDS.InnerError.Message":"Example Error Message."}}""";

        var error = await Assert.ThrowsAsync<DataverseException>(async () =>
            await Directory(HttpStatusCode.BadRequest, Body).FindContactsAsync(new ContactQuery { AccountIds = [Guid.NewGuid().ToString()] }, CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Null(error.ErrorCode);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"value":{}}""")]
    [InlineData("""{"value":[{"fullname":"no id"}]}""")]
    public async Task UnexpectedShapes_ThrowDataverseException(string body)
    {
        await Assert.ThrowsAsync<DataverseException>(async () =>
            await Directory(HttpStatusCode.OK, body).FindContactsAsync(new ContactQuery { AccountIds = [Guid.NewGuid().ToString()] }, CancellationToken.None));
    }

    [Fact]
    public async Task NextLinkToAnotherHost_IsNotFollowed()
    {
        var body = $$"""{"value":[{"contactid":"{{Guid.NewGuid()}}","fullname":"A"}],"@odata.nextLink":"https://evil.example/api/data/v9.2/contacts?$skiptoken=1"}""";

        var error = await Assert.ThrowsAsync<DataverseException>(async () =>
            await Directory(HttpStatusCode.OK, body).FindContactsAsync(new ContactQuery { AccountIds = [Guid.NewGuid().ToString()] }, CancellationToken.None));

        Assert.Contains("nextLink", error.Message, StringComparison.Ordinal);
    }
}
