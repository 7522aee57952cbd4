using CrmGuardrails.Hosting;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography.X509Certificates;

namespace CrmGuardrails.Salesforce;

/// <summary>How CrmGuardrails signs in to a Salesforce org and asks it: the connected app, the limits and the resilience.</summary>
/// <remarks>
/// Sign-in is server to server (salesforce.md §5): the OAuth 2.0 JWT bearer flow with a certificate
/// (<see cref="SalesforceAuthentication.JwtBearer"/>: <see cref="ClientId"/>, <see cref="Username"/>,
/// <see cref="Certificate"/>) or the client-credentials flow (<see cref="SalesforceAuthentication.ClientCredentials"/>:
/// <see cref="ClientId"/>, <see cref="ClientSecret"/>; it "must use the org's My Domain URL" as <see cref="LoginUrl"/>).
/// </remarks>
public sealed class SalesforceDirectoryOptions : CrmConnectionOptions, IValidatableObject
{
    private SalesforceMappingOptions _mapping = new();

    /// <summary>Gets or sets the URL the token is asked from: <c>https://login.salesforce.com</c>, <c>https://test.salesforce.com</c> or the org's My Domain.</summary>
    /// <value>The default value is <c>https://login.salesforce.com</c>.</value>
    [Required]
    public Uri? LoginUrl { get; set; } = new("https://login.salesforce.com");

    /// <summary>Gets or sets the REST API version.</summary>
    /// <value>The default value is <c>62.0</c> (<c>Sforce-Duplicate-Rule-Header</c> needs 52.0 or later).</value>
    [Required]
    [RegularExpression(@"^\d{2}\.0$")]
    public string ApiVersion { get; set; } = "62.0";

    /// <summary>Gets or sets the OAuth flow.</summary>
    /// <value>The default value is <see cref="SalesforceAuthentication.JwtBearer"/>.</value>
    [EnumDataType(typeof(SalesforceAuthentication))]
    public SalesforceAuthentication Authentication { get; set; } = SalesforceAuthentication.JwtBearer;

    /// <summary>Gets or sets the connected (or external client) app's consumer key.</summary>
    [Required]
    public string? ClientId { get; set; }

    /// <summary>Gets or sets the consumer secret (client credentials only).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Gets or sets the username the JWT bearer flow signs in as (the JWT's <c>sub</c>).</summary>
    public string? Username { get; set; }

    /// <summary>Gets or sets the certificate with its private key whose public half is uploaded to the app (JWT bearer only).</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Gets or sets the JWT's audience.</summary>
    /// <value>The default value is <see langword="null"/>: the <see cref="LoginUrl"/>'s origin.</value>
    public string? Audience { get; set; }

    /// <summary>
    /// Gets or sets how long a token is used before a new one is asked for. Salesforce's token answer has no
    /// <c>expires_in</c> (§5); the session lasts the org's session timeout, and an <c>INVALID_SESSION_ID</c> signs in again anyway.
    /// </summary>
    /// <value>The default value is 30 minutes.</value>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Gets or sets the most requests in flight to the org at once.</summary>
    /// <value>The default value is 20: below the 25 long-running requests an org allows (§3.6).</value>
    [Range(1, 1000)]
    public int MaxConcurrentRequests { get; set; } = 20;

    /// <summary>Gets or sets the most pages one call reads through <c>nextRecordsUrl</c>.</summary>
    /// <value>The default value is 3.</value>
    [Range(1, 50)]
    public int MaxPagesPerCall { get; set; } = 3;

    /// <summary>Gets or sets how the directory finds the accounts and contacts a lead may belong to.</summary>
    /// <value>The default value is <see cref="SalesforceCandidateSearch.MatchKeyObject"/>.</value>
    [EnumDataType(typeof(SalesforceCandidateSearch))]
    public SalesforceCandidateSearch CandidateSearch { get; set; } = SalesforceCandidateSearch.MatchKeyObject;

    /// <summary>Gets how the org's fields map to the guards' records.</summary>
    public SalesforceMappingOptions Mapping => _mapping;

    /// <summary>
    /// Gets or sets a value indicating whether ids in GUID form are taken as record ids (the contract org's, in an
    /// emulated org); a real org's ids are 15 or 18 letters and digits.
    /// </summary>
    internal bool AcceptGuidIds { get; set; }

    /// <summary>Gets the token endpoint: <c>{LoginUrl}/services/oauth2/token</c>.</summary>
    /// <returns>The endpoint.</returns>
    public Uri GetTokenEndpoint() =>
        new((LoginUrl ?? throw new InvalidOperationException("SalesforceDirectoryOptions.LoginUrl is not set.")).GetLeftPart(UriPartial.Authority) + "/services/oauth2/token");

    /// <summary>Gets the REST root of an instance: <c>{instance}/services/data/v{ApiVersion}/</c>.</summary>
    /// <param name="instanceUrl">The <c>instance_url</c> of the token answer.</param>
    /// <returns>The root.</returns>
    public Uri GetRestRoot(Uri instanceUrl) =>
        new((instanceUrl ?? throw new ArgumentNullException(nameof(instanceUrl))).GetLeftPart(UriPartial.Authority) + "/services/data/v" + ApiVersion + "/");

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LoginUrl is { } url)
        {
            if (!url.IsAbsoluteUri)
                yield return new ValidationResult("The LoginUrl must be an absolute URL, e.g. https://login.salesforce.com or https://mycompany.my.salesforce.com.", [nameof(LoginUrl)]);
            else if (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
                yield return new ValidationResult("The LoginUrl must use https (http is accepted only for a loopback emulator such as http://127.0.0.1).", [nameof(LoginUrl)]);
        }

        switch (Authentication)
        {
            case SalesforceAuthentication.JwtBearer:
                if (string.IsNullOrWhiteSpace(Username))
                    yield return new ValidationResult("The JWT bearer flow needs the Username to sign in as.", [nameof(Username)]);
                if (Certificate is null)
                    yield return new ValidationResult("The JWT bearer flow needs the Certificate (with its private key) uploaded to the connected app.", [nameof(Certificate)]);
                else if (!Certificate.HasPrivateKey)
                    yield return new ValidationResult("The Certificate has no private key: the JWT bearer flow signs with it.", [nameof(Certificate)]);
                break;
            case SalesforceAuthentication.ClientCredentials:
                if (string.IsNullOrWhiteSpace(ClientSecret))
                    yield return new ValidationResult("The client-credentials flow needs the ClientSecret.", [nameof(ClientSecret)]);
                if (LoginUrl is { IsAbsoluteUri: true } login && !login.IsLoopback && (login.Host.Equals("login.salesforce.com", StringComparison.OrdinalIgnoreCase) || login.Host.Equals("test.salesforce.com", StringComparison.OrdinalIgnoreCase)))
                    yield return new ValidationResult("The client-credentials flow must use the org's My Domain URL as LoginUrl, not login or test.salesforce.com (Salesforce answers 'request not supported on this domain').", [nameof(LoginUrl)]);
                break;
        }

        foreach (var error in ValidateConnection())
            yield return error;
        foreach (var error in OptionsValidation.Validate(Mapping))
            yield return new ValidationResult($"Mapping: {error}", [nameof(Mapping)]);
    }

    /// <summary>Throws when the options are invalid, listing every error.</summary>
    /// <exception cref="ValidationException">The options are invalid.</exception>
    public void ThrowIfInvalid() => OptionsValidation.ThrowIfInvalid(this);

    internal SalesforceDirectoryOptions Clone()
    {
        var copy = (SalesforceDirectoryOptions)MemberwiseClone();
        var mapping = new SalesforceMappingOptions();
        Mapping.CopyTo(mapping);
        copy._mapping = mapping;
        return copy;
    }
}

/// <summary>The OAuth 2.0 flow the package signs in with (salesforce.md §5).</summary>
public enum SalesforceAuthentication
{
    /// <summary>JWT bearer: a JWT signed (RS256) with the app's certificate, for a pre-approved user; no secret, no refresh token.</summary>
    JwtBearer,

    /// <summary>Client credentials: the consumer key and secret, for the app's run-as user; needs the My Domain URL.</summary>
    ClientCredentials,
}

/// <summary>How the directory finds the accounts and contacts a lead may belong to.</summary>
public enum SalesforceCandidateSearch
{
    /// <summary>
    /// Exact lookups of stored match keys in the <c>CrmG_MatchKey__c</c> object (deploy the metadata, run
    /// <c>crmguard salesforce keys --backfill</c>): selective, and finds websites and phones, which Salesforce does not index.
    /// </summary>
    MatchKeyObject,

    /// <summary>
    /// SOSL over the search index: no custom object needed, but the index lags ("about 15 minutes or more",
    /// salesforce.md §10.F) and relevance decides the top results.
    /// </summary>
    TextSearch,
}
