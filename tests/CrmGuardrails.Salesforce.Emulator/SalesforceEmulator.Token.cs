using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CrmGuardrails.Salesforce.Emulator;

/// <summary>The OAuth 2.0 token endpoint (salesforce.md §5).</summary>
public sealed partial class SalesforceEmulator
{
    /// <summary>Gets or sets a value indicating whether the next sign-ins fail as if the user was not approved.</summary>
    public bool RefuseSignIns { get; set; }

    /// <summary>
    /// JWT bearer: "client POSTs a signed JWT ... Salesforce validates signature against the uploaded certificate; needs
    /// prior approval"; claims <c>iss</c>, <c>sub</c>, <c>aud</c>, <c>exp</c>, RS256. Client credentials: "<c>Authorization:
    /// Basic base64(key:secret)</c> and <c>grant_type=client_credentials</c>". Errors are <c>{error, error_description}</c>;
    /// the answer is the sample <c>oauth-jwt-bearer-token-response.doc.json</c>'s shape with this org as <c>instance_url</c>.
    /// </summary>
    private async Task AnswerTokenAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Method != "POST" || !request.HasFormContentType)
        {
            await WriteAsync(context, 400, OAuthError("unsupported_grant_type", "grant type not supported")).ConfigureAwait(false);
            return;
        }

        var form = await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var grant = form["grant_type"].ToString();
        string? refusal = grant switch
        {
            "urn:ietf:params:oauth:grant-type:jwt-bearer" => CheckAssertion(form["assertion"].ToString()),
            "client_credentials" => CheckClientCredentials(request.Headers.Authorization.ToString()),
            _ => "unsupported_grant_type:grant type not supported",
        };
        if (refusal is null && RefuseSignIns)
            refusal = "invalid_grant:user hasn't approved this consumer";
        if (refusal is not null)
        {
            var colon = refusal.IndexOf(':', StringComparison.Ordinal);
            await WriteAsync(context, 400, OAuthError(refusal.Substring(0, colon), refusal.Substring(colon + 1))).ConfigureAwait(false);
            return;
        }

        var token = "00DEMU0000000001!" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('/', '_').Replace('+', '-');
        lock (_sessions)
            _sessions.Add(token);
        TokensIssued++;
        await WriteAsync(context, 200, new JsonObject
        {
            ["access_token"] = token,
            ["scope"] = "api",
            ["instance_url"] = Url.GetLeftPart(UriPartial.Authority),
            ["id"] = Url.GetLeftPart(UriPartial.Authority) + "/id/00DEMU0000000001EAA/005EMU0000000001AAA",
            ["token_type"] = "Bearer",
            ["issued_at"] = Time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        }).ConfigureAwait(false);
    }

    private string? CheckAssertion(string assertion)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3 || Certificate is null)
            return "invalid_grant:invalid assertion";
        try
        {
            using var header = JsonDocument.Parse(FromBase64Url(parts[0]));
            if (header.RootElement.GetProperty("alg").GetString() != "RS256")
                return "invalid_grant:invalid assertion";
            using var key = Certificate.GetRSAPublicKey()!;
            if (!key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
                return "invalid_grant:invalid assertion";
            using var claims = JsonDocument.Parse(FromBase64Url(parts[1]));
            var root = claims.RootElement;
            if (root.GetProperty("iss").GetString() != ClientId)
                return "invalid_client_id:client identifier invalid";
            if (root.GetProperty("aud").GetString()?.TrimEnd('/') != Url.GetLeftPart(UriPartial.Authority))
                return "invalid_grant:audience is invalid";
            if (root.GetProperty("exp").GetInt64() < Time.GetUtcNow().ToUnixTimeSeconds())
                return "invalid_grant:expired authorization code";
            return ApprovedUsers.Contains(root.GetProperty("sub").GetString() ?? string.Empty) ? null : "invalid_grant:user hasn't approved this consumer";
        }
        catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return "invalid_grant:invalid assertion";
        }
    }

    private string? CheckClientCredentials(string authorization)
    {
        if (!authorization.StartsWith("Basic ", StringComparison.Ordinal))
            return "invalid_client:invalid client credentials";
        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization.Substring(6))).Split(':', 2);
        return pair.Length == 2 && Uri.UnescapeDataString(pair[0]) == ClientId && Uri.UnescapeDataString(pair[1]) == ClientSecret ? null : "invalid_client:invalid client credentials";
    }

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    private static JsonObject OAuthError(string error, string description) => new() { ["error"] = error, ["error_description"] = description };
}
