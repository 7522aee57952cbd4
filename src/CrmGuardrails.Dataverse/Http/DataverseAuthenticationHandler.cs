using System.Net;
using System.Net.Http.Headers;

namespace CrmGuardrails.Dataverse.Http;

/// <summary>Adds <c>Authorization: Bearer</c>; on a 401 it renews the token once and resends.</summary>
internal sealed class DataverseAuthenticationHandler(DataverseTokenProvider tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetTokenAsync(forceRefresh: false, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
            return response;

        // The token may have been revoked or the clock skewed: one fresh token, one more try.
        response.Dispose();
        token = await tokens.GetTokenAsync(forceRefresh: true, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
