namespace CrmGuardrails.Salesforce.ChangeEvents;

/// <summary>A Salesforce session for the Pub/Sub API's <c>accesstoken</c> and <c>instanceurl</c> headers.</summary>
/// <param name="AccessToken">The access token.</param>
/// <param name="InstanceUrl">The org's instance URL.</param>
public sealed record PubSubSession(string AccessToken, Uri InstanceUrl);

/// <summary>Signs the subscriber in: the same session the REST directory uses (JWT bearer or client credentials).</summary>
public interface IPubSubAuthentication
{
    /// <summary>Gets a session.</summary>
    /// <param name="stale">The token the Pub/Sub API refused (UNAUTHENTICATED), so a new one is needed; <see langword="null"/> for any valid one.</param>
    /// <param name="cancellationToken">Cancels the sign-in.</param>
    /// <returns>The session.</returns>
    ValueTask<PubSubSession> GetSessionAsync(string? stale, CancellationToken cancellationToken);
}
