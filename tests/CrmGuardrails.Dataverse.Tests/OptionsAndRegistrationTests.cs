using System.ComponentModel.DataAnnotations;
using CrmGuardrails.Dataverse.Emulator;
using CrmGuardrails.Dataverse.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmGuardrails.Dataverse.Tests;

public sealed class OptionsAndRegistrationTests
{
    [Fact]
    public void Ctor_EnsureDefaultValues()
    {
        var options = new DataverseDirectoryOptions();

        Assert.Equal("9.2", options.ApiVersion);
        Assert.Equal(2, options.MaxPagesPerCall);
        Assert.Equal(500, options.PageSize);
        Assert.Equal(3, options.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout);
    }

    [Fact]
    public void GetWebApiRootAndScope_FromOrgUrl()
    {
        var options = new DataverseDirectoryOptions { OrgUrl = new Uri("https://contoso.crm4.dynamics.com/main.aspx") };

        Assert.Equal(new Uri("https://contoso.crm4.dynamics.com/api/data/v9.2/"), options.GetWebApiRoot());
        Assert.Equal("https://contoso.crm4.dynamics.com/.default", options.GetScope());
    }

    [Theory]
    [InlineData("http://contoso.crm.dynamics.com/")]
    [InlineData("ftp://127.0.0.1/")]
    public void OrgUrl_NotHttpsNorLoopback_EnsureValidationError(string url)
    {
        var options = new DataverseDirectoryOptions { OrgUrl = new Uri(url), Credential = new StaticTokenCredential("t") };

        var error = Assert.Throws<ValidationException>(options.ThrowIfInvalid);
        Assert.Contains("OrgUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_EnsureEveryErrorListed()
    {
        var options = new DataverseDirectoryOptions { PageSize = 0, AttemptTimeout = TimeSpan.FromMinutes(1), TotalTimeout = TimeSpan.FromSeconds(1) };

        var error = Assert.Throws<ValidationException>(options.ThrowIfInvalid);

        Assert.StartsWith("The 'DataverseDirectoryOptions' are invalid.", error.Message, StringComparison.Ordinal);
        Assert.Contains("OrgUrl", error.Message, StringComparison.Ordinal);
        Assert.Contains("Credential", error.Message, StringComparison.Ordinal);
        Assert.Contains("PageSize", error.Message, StringComparison.Ordinal);
        Assert.Contains("TotalTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCrmGuardrailsDataverse_InvalidOptions_Throws()
    {
        var services = new ServiceCollection();

        Assert.Throws<ValidationException>(() => services.AddCrmGuardrailsDataverse(o => o.OrgUrl = new Uri("http://example.com/")));
    }

    [Fact]
    public void AddCrmGuardrailsDataverse_ExistingDirectory_IsKept()
    {
        var services = new ServiceCollection();
        var existing = new Moq.Mock<ICrmDirectory>().Object;
        services.AddSingleton(existing);

        services.AddCrmGuardrailsDataverse(new Uri("https://contoso.crm.dynamics.com/"), new StaticTokenCredential("t"));
        using var provider = services.BuildServiceProvider();

        Assert.Same(existing, provider.GetRequiredService<ICrmDirectory>());
        Assert.NotNull(provider.GetRequiredService<DataverseDirectory>());
    }

    [Fact]
    public async Task TokenProvider_CachesUntilRefreshMargin()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var credential = new StaticTokenCredential("t", TimeSpan.FromMinutes(60), time);
        using var tokens = new DataverseTokenProvider(credential, "https://x/.default", TimeSpan.FromMinutes(5), time);

        await tokens.GetTokenAsync(false, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(54));
        await tokens.GetTokenAsync(false, CancellationToken.None);
        Assert.Equal(1, credential.Issued);

        time.Advance(TimeSpan.FromMinutes(2));
        await tokens.GetTokenAsync(false, CancellationToken.None);
        Assert.Equal(2, credential.Issued);

        await tokens.GetTokenAsync(true, CancellationToken.None);
        Assert.Equal(3, credential.Issued);
    }
}
