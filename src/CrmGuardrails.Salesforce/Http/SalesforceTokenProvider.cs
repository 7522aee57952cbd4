using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace CrmGuardrails.Salesforce.Http;

/// <summary>An access token and the instance it is for (the token answer's <c>instance_url</c>).</summary>
internal sealed record SalesforceSession(string AccessToken, Uri InstanceUrl, DateTimeOffset IssuedAt);

/// <summary>
/// Signs in with the OAuth 2.0 JWT bearer or client-credentials flow (salesforce.md §5) and caches the session until
/// <see cref="SalesforceDirectoryOptions.TokenLifetime"/> passes or a request answers <c>INVALID_SESSION_ID</c>.
/// </summary>
/// <remarks>
/// JWT bearer: "Claims used by clients: <c>iss</c>=consumer key, <c>sub</c>=username, <c>aud</c>=login or test URL,
/// <c>exp</c> (simple-salesforce uses now+3 min), RS256; body
/// <c>grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&amp;assertion=…</c>". Client credentials: "<c>Authorization:
/// Basic base64(key:secret)</c> and <c>grant_type=client_credentials</c>". Signed with System.Security.Cryptography,
/// which netstandard2.0 has.
/// </remarks>
internal sealed class SalesforceTokenProvider(SalesforceDirectoryOptions options, Func<HttpClient> clients, TimeProvider time) : IDisposable
{
    public const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private SalesforceSession? _session;

    /// <summary>Gets the cached session, or signs in. <paramref name="stale"/>: the token a request was refused with (signs in again unless another caller already did).</summary>
    public async ValueTask<SalesforceSession> GetSessionAsync(string? stale, CancellationToken cancellationToken)
    {
        if (Fresh(_session, stale) is { } cached)
            return cached;

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(_session, stale) is { } again)
                return again;
            _session = await SignInAsync(cancellationToken).ConfigureAwait(false);
            return _session;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Builds the signed JWT of the bearer flow.</summary>
    internal static string CreateAssertion(SalesforceDirectoryOptions options, DateTimeOffset now)
    {
        var audience = options.Audience is { Length: > 0 } aud ? aud : options.LoginUrl!.GetLeftPart(UriPartial.Authority);
        var header = Base64Url(Encoding.UTF8.GetBytes("{\"alg\":\"RS256\"}"));
        var claims = new Dictionary<string, object>
        {
            ["iss"] = options.ClientId!,
            ["sub"] = options.Username!,
            ["aud"] = audience,
            ["exp"] = now.AddMinutes(3).ToUnixTimeSeconds(),
        };
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signed = header + "." + payload;
        using var key = options.Certificate!.GetRSAPrivateKey()
            ?? throw new SalesforceException("The Certificate has no RSA private key: the JWT bearer flow signs with RS256.");
        var signature = key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + Base64Url(signature);
    }

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private SalesforceSession? Fresh(SalesforceSession? session, string? stale) =>
        session is { } s && s.AccessToken != stale && time.GetUtcNow() < s.IssuedAt + options.TokenLifetime ? s : null;

    private async Task<SalesforceSession> SignInAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.GetTokenEndpoint());
        var form = new List<KeyValuePair<string, string>>();
        if (options.Authentication == SalesforceAuthentication.JwtBearer)
        {
            form.Add(new("grant_type", JwtBearerGrant));
            form.Add(new("assertion", CreateAssertion(options, time.GetUtcNow())));
        }
        else
        {
            form.Add(new("grant_type", "client_credentials"));
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(options.ClientId!) + ":" + Uri.EscapeDataString(options.ClientSecret!))));
        }

        request.Content = new FormUrlEncodedContent(form);
        HttpResponseMessage response;
        try
        {
            response = await clients().SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new SalesforceException($"Could not reach the Salesforce token endpoint {options.GetTokenEndpoint()}: {ex.Message}", innerException: ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
            }
            catch (JsonException ex)
            {
                throw new SalesforceException($"The Salesforce token endpoint answered HTTP {(int)response.StatusCode} without JSON.", response.StatusCode, innerException: ex);
            }

            using (document)
            {
                var root = document.RootElement;
                if (!response.IsSuccessStatusCode || root.ValueKind != JsonValueKind.Object)
                {
                    var error = Text(root, "error");
                    throw new SalesforceException(
                        $"Salesforce refused the sign-in ({options.Authentication}, HTTP {(int)response.StatusCode}): {error ?? "no error"}: {Text(root, "error_description") ?? "no description"}. {Hint(error, Text(root, "error_description"))}".TrimEnd(),
                        response.StatusCode,
                        error);
                }

                var token = Text(root, "access_token");
                var instance = Text(root, "instance_url");
                if (token is null || instance is null || !Uri.TryCreate(instance, UriKind.Absolute, out var instanceUrl))
                    throw new SalesforceException("The Salesforce token answer has no access_token or instance_url.", response.StatusCode);
                return new SalesforceSession(token, instanceUrl, time.GetUtcNow());
            }
        }
    }

    private static string Hint(string? error, string? description) => (error, description?.ToLowerInvariant()) switch
    {
        (_, { } d) when d.Contains("approved") => "An admin must pre-approve the user for the app (Manage Policies: admin approved users are pre-authorized, and a profile or permission set).",
        (_, { } d) when d.Contains("audience") => "Set Audience (or LoginUrl) to the URL the user signs in at: login, test, or the My Domain.",
        (_, { } d) when d.Contains("not supported on this domain") => "The client-credentials flow needs the My Domain URL as LoginUrl.",
        ("invalid_client_id" or "invalid_client", _) => "Check the ClientId (the app's consumer key).",
        _ => string.Empty,
    };

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
