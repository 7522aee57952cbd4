using Azure.Core;

namespace CrmGuardrails.Dataverse.Http;

/// <summary>Caches an access token until shortly before it expires. One instance per organisation (a DI singleton).</summary>
internal sealed class DataverseTokenProvider(TokenCredential credential, string scope, TimeSpan refreshMargin, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AccessToken? _token;

    public async ValueTask<string> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        if (!forceRefresh && Fresh(_token) is { } cached)
            return cached;

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!forceRefresh && Fresh(_token) is { } again)
                return again;
            var token = await credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken).ConfigureAwait(false);
            _token = token;
            return token.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private string? Fresh(AccessToken? token) =>
        token is { } t && time.GetUtcNow() < t.ExpiresOn - refreshMargin ? t.Token : null;
}
