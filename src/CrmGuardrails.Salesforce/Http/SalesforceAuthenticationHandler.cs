using System.Net;
using System.Net.Http.Headers;

namespace CrmGuardrails.Salesforce.Http;

/// <summary>
/// Sends each request to the signed-in instance with its token; on HTTP 401 (<c>INVALID_SESSION_ID</c>: "Session
/// expired or invalid", salesforce.md §3.4) signs in again once and sends it once more.
/// </summary>
internal sealed class SalesforceAuthenticationHandler(SalesforceTokenProvider tokens) : DelegatingHandler
{
    /// <summary>The base address the package's clients are built with; the handler puts the session's instance in its place.</summary>
    public static readonly Uri PlaceholderRoot = new("https://instance.crmguardrails.invalid/");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var session = await tokens.GetSessionAsync(stale: null, cancellationToken).ConfigureAwait(false);
        Aim(request, session);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
            return response;

        response.Dispose();
        session = await tokens.GetSessionAsync(stale: session.AccessToken, cancellationToken).ConfigureAwait(false);
        Aim(request, session);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static void Aim(HttpRequestMessage request, SalesforceSession session)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
        if (request.RequestUri is { IsAbsoluteUri: true } uri && uri.Host == PlaceholderRoot.Host)
            request.RequestUri = new Uri(session.InstanceUrl.GetLeftPart(UriPartial.Authority) + uri.PathAndQuery);
    }
}
