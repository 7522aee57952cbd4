using System.CommandLine;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CrmGuardrails.Cli;

/// <summary>The options every <c>crmguard dataverse</c> command that talks to an organisation takes, and how they are read.</summary>
internal sealed class OrgConnectionOptions
{
    private readonly Option<string?> _orgUrl = new("--org-url") { Description = "The organisation, e.g. https://contoso.crm4.dynamics.com/ (env DATAVERSE_URL)." };
    private readonly Option<string?> _tenant = new("--tenant-id") { Description = "The Entra tenant of the application user (env DATAVERSE_TENANT_ID)." };
    private readonly Option<string?> _client = new("--client-id") { Description = "The application (client) id (env DATAVERSE_CLIENT_ID)." };
    private readonly Option<string?> _secret = new("--client-secret") { Description = "The client secret (env DATAVERSE_CLIENT_SECRET). Prefer the variable: arguments show in process lists." };
    private readonly Option<string?> _token = new("--access-token") { Description = "A bearer token for the organisation instead of a client secret (env DATAVERSE_ACCESS_TOKEN), e.g. from 'az account get-access-token'." };

    /// <summary>An option's value, else the environment variable's, else null.</summary>
    public static string? Value(ParseResult parse, Option<string?> option, string variable) =>
        parse.GetValue(option) is { Length: > 0 } given ? given : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } env ? env : null;

    public void AddTo(Command command)
    {
        command.Options.Add(_orgUrl);
        command.Options.Add(_tenant);
        command.Options.Add(_client);
        command.Options.Add(_secret);
        command.Options.Add(_token);
    }

    /// <summary>Reads the connection, adding every problem (named by its option) to <paramref name="problems"/>.</summary>
    public OrgConnection? Read(ParseResult parse, List<string> problems)
    {
        Uri? org = null;
        if (Value(parse, _orgUrl, "DATAVERSE_URL") is not { } orgText)
            problems.Add("--org-url (or DATAVERSE_URL) is required.");
        else if (!Uri.TryCreate(orgText, UriKind.Absolute, out org) || !(org.Scheme == Uri.UriSchemeHttps || (org.Scheme == Uri.UriSchemeHttp && org.IsLoopback)))
            problems.Add($"--org-url: '{orgText}' is not an https URL.");

        var bearer = Value(parse, _token, "DATAVERSE_ACCESS_TOKEN");
        var (tenantId, clientId, clientSecret) = (Value(parse, _tenant, "DATAVERSE_TENANT_ID"), Value(parse, _client, "DATAVERSE_CLIENT_ID"), Value(parse, _secret, "DATAVERSE_CLIENT_SECRET"));
        if (bearer is null && (tenantId is null || clientId is null || clientSecret is null))
            problems.Add("--tenant-id, --client-id and --client-secret (or DATAVERSE_TENANT_ID, DATAVERSE_CLIENT_ID, DATAVERSE_CLIENT_SECRET) are required unless --access-token is given.");
        if (org is null || (bearer is null && (tenantId is null || clientId is null || clientSecret is null)))
            return null;
        TokenCredential credential = bearer is not null ? new BearerTokenCredential(bearer) : new ClientSecretHttpCredential(tenantId!, clientId!, clientSecret!);
        return new OrgConnection(org, credential);
    }
}

/// <summary>An organisation and the credential to reach it.</summary>
internal sealed record OrgConnection(Uri OrgUrl, TokenCredential Credential)
{
    /// <summary>The Dataverse services for this organisation, or null (after telling why) when the URL is refused.</summary>
    public async Task<ServiceProvider?> ConnectAsync(TextWriter error, Action<CrmGuardrails.Dataverse.DataverseDirectoryOptions>? configure = null)
    {
        var services = new ServiceCollection();
        try
        {
            services.AddCrmGuardrailsDataverse(o =>
            {
                o.OrgUrl = OrgUrl;
                o.Credential = Credential;
                configure?.Invoke(o);
            });
        }
        catch (System.ComponentModel.DataAnnotations.ValidationException ex)
        {
            await error.WriteLineAsync("crmguard: --org-url: " + ex.Message).ConfigureAwait(false);
            return null;
        }

        return services.BuildServiceProvider();
    }
}
