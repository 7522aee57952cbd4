using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrmGuardrails.Salesforce;
using Microsoft.Extensions.DependencyInjection;

namespace CrmGuardrails.Cli;

/// <summary>The options every <c>crmguard salesforce</c> command that talks to an org takes (else <c>SALESFORCE_*</c> variables), and how they are read.</summary>
internal sealed class SalesforceConnectionOptions
{
    private readonly Option<string?> _loginUrl = new("--login-url") { Description = "Where to sign in: https://login.salesforce.com, https://test.salesforce.com or the My Domain URL (env SALESFORCE_LOGIN_URL)." };
    private readonly Option<string?> _client = new("--client-id") { Description = "The connected app's consumer key (env SALESFORCE_CLIENT_ID)." };
    private readonly Option<string?> _username = new("--username") { Description = "JWT bearer: the user to sign in as (env SALESFORCE_USERNAME)." };
    private readonly Option<string?> _certificate = new("--certificate") { Description = "JWT bearer: a .pfx with the app certificate's private key (env SALESFORCE_CERTIFICATE; password in SALESFORCE_CERTIFICATE_PASSWORD)." };
    private readonly Option<string?> _secret = new("--client-secret") { Description = "Client credentials instead of JWT: the consumer secret (env SALESFORCE_CLIENT_SECRET). Prefer the variable: arguments show in process lists." };

    public void AddTo(Command command)
    {
        command.Options.Add(_loginUrl);
        command.Options.Add(_client);
        command.Options.Add(_username);
        command.Options.Add(_certificate);
        command.Options.Add(_secret);
    }

    /// <summary>Reads the connection, adding every problem (named by its option) to <paramref name="problems"/>.</summary>
    public Action<SalesforceDirectoryOptions>? Read(ParseResult parse, List<string> problems)
    {
        string? Value(Option<string?> option, string variable) => OrgConnectionOptions.Value(parse, option, variable);
        var loginText = Value(_loginUrl, "SALESFORCE_LOGIN_URL") ?? "https://login.salesforce.com";
        if (!Uri.TryCreate(loginText, UriKind.Absolute, out var login) || !(login.Scheme == Uri.UriSchemeHttps || (login.Scheme == Uri.UriSchemeHttp && login.IsLoopback)))
            problems.Add($"--login-url: '{loginText}' is not an https URL.");
        var client = Value(_client, "SALESFORCE_CLIENT_ID");
        if (client is null)
            problems.Add("--client-id (or SALESFORCE_CLIENT_ID) is required.");
        var secret = Value(_secret, "SALESFORCE_CLIENT_SECRET");
        var username = Value(_username, "SALESFORCE_USERNAME");
        var certificatePath = Value(_certificate, "SALESFORCE_CERTIFICATE");
        X509Certificate2? certificate = null;
        if (secret is null)
        {
            if (username is null || certificatePath is null)
                problems.Add("--username and --certificate (or SALESFORCE_USERNAME, SALESFORCE_CERTIFICATE) are required for the JWT bearer flow, unless --client-secret is given.");
            else if (!File.Exists(certificatePath))
                problems.Add($"--certificate: '{certificatePath}' does not exist.");
            else
            {
                try
                {
                    certificate = X509CertificateLoader.LoadPkcs12FromFile(certificatePath, Environment.GetEnvironmentVariable("SALESFORCE_CERTIFICATE_PASSWORD"));
                }
                catch (CryptographicException ex)
                {
                    problems.Add($"--certificate: '{certificatePath}' could not be read as a .pfx ({ex.Message}); is SALESFORCE_CERTIFICATE_PASSWORD right?");
                }
            }
        }

        if (problems.Count > 0)
            return null;
        return o =>
        {
            o.LoginUrl = login;
            o.ClientId = client;
            if (secret is not null)
            {
                o.Authentication = SalesforceAuthentication.ClientCredentials;
                o.ClientSecret = secret;
            }
            else
            {
                o.Username = username;
                o.Certificate = certificate;
            }
        };
    }

    /// <summary>The Salesforce services for this org, or null (after telling why) when the options are refused.</summary>
    public static async Task<ServiceProvider?> ConnectAsync(Action<SalesforceDirectoryOptions> configure, TextWriter error)
    {
        var services = new ServiceCollection();
        try
        {
            services.AddCrmGuardrailsSalesforce(configure);
        }
        catch (System.ComponentModel.DataAnnotations.ValidationException ex)
        {
            await error.WriteLineAsync("crmguard: " + ex.Message).ConfigureAwait(false);
            return null;
        }

        return services.BuildServiceProvider();
    }
}
