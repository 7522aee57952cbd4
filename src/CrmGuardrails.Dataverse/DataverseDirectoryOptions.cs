using CrmGuardrails.Hosting;
using System.ComponentModel.DataAnnotations;
using Azure.Core;

namespace CrmGuardrails.Dataverse;

/// <summary>Configures <see cref="DataverseDirectory"/>: which organisation to ask, how to authenticate and how hard to try.</summary>
/// <remarks>Options are validated when <c>AddCrmGuardrailsDataverse</c> is called; every error is reported at once.</remarks>
public sealed class DataverseDirectoryOptions : CrmConnectionOptions, IValidatableObject
{
    /// <summary>Gets or sets the organisation's URL, for example <c>https://contoso.crm4.dynamics.com/</c>.</summary>
    /// <value>Required. Must be absolute and use https; http is accepted only for a loopback host (an emulator in tests).</value>
    [Required]
    public Uri? OrgUrl { get; set; }

    /// <summary>Gets or sets the Web API version.</summary>
    /// <value>The default value is <c>9.2</c>.</value>
    [Required]
    [RegularExpression(@"^\d+\.\d+$")]
    public string ApiVersion { get; set; } = "9.2";

    /// <summary>Gets or sets the credential that issues access tokens for the organisation.</summary>
    /// <value>Required. Use <c>Azure.Identity.ClientSecretCredential</c> (an application user) for a live organisation.</value>
    [Required]
    public TokenCredential? Credential { get; set; }

    /// <summary>Gets or sets the OAuth scope to ask tokens for.</summary>
    /// <value>The default value is <see langword="null"/>, meaning <c>&lt;OrgUrl&gt;/.default</c>.</value>
    public string? Scope { get; set; }

    /// <summary>Gets or sets how long before its expiry a cached token is renewed.</summary>
    /// <value>The default value is 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:30:00")]
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets the most requests in flight to the organisation at once (connections of the client). Dataverse
    /// refuses more than 52 concurrent requests per user and web server ("Number of concurrent requests exceeded the
    /// limit of 52"); under load, more connections only queue on the server and lengthen every check.
    /// </summary>
    /// <value>The default value is 48. It must be between 1 and 1,000.</value>
    [Range(1, 1000)]
    public int MaxConcurrentRequests { get; set; } = 48;

    /// <summary>Gets or sets the most rows asked for per page (<c>Prefer: odata.maxpagesize</c>).</summary>
    /// <value>The default value is 500. A query never asks for more rows than its <c>MaxResults</c>.</value>
    [Range(1, 5000)]
    public int PageSize { get; set; } = 500;

    /// <summary>Gets or sets the most pages (HTTP requests) one directory call may read when following <c>@odata.nextLink</c>.</summary>
    /// <value>The default value is 2, so that one directory call costs at most two requests.</value>
    [Range(1, 10)]
    public int MaxPagesPerCall { get; set; } = 2;

    /// <summary>Gets or sets the most terms (comparisons or <c>In</c> lists) one <c>$filter</c> may hold; further keys are dropped.</summary>
    /// <value>The default value is 40.</value>
    [Range(1, 200)]
    public int MaxFilterTerms { get; set; } = 40;

    /// <summary>Gets or sets the most values of one <c>Microsoft.Dynamics.CRM.In</c> list; further values are dropped.</summary>
    /// <value>The default value is 100.</value>
    [Range(1, 1000)]
    public int MaxInValues { get; set; } = 100;

    /// <summary>Gets or sets how candidate accounts, contacts and leads are found.</summary>
    /// <value>
    /// The default value is <see cref="DataverseCandidateSearch.MatchKeyTable"/>: exact lookups in the match-key table
    /// (create it as docs/dataverse.md describes and fill it with <c>crmguard dataverse keys --backfill</c>; asynchronous webhook steps keep it current).
    /// </value>
    [EnumDataType(typeof(DataverseCandidateSearch))]
    public DataverseCandidateSearch CandidateSearch { get; set; } = DataverseCandidateSearch.MatchKeyTable;

    /// <summary>Gets the table and column mapping: activity tables, customer-type codes, the reschedule-count column.</summary>
    public DataverseMappingOptions Mapping => _mapping;

    private DataverseMappingOptions _mapping = new();

    /// <summary>Gets or sets the access-team template whose teams make an account's team; <see langword="null"/> takes every access team of the account.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Guid? AccountTeamTemplateId { get; set; }

    /// <summary>Gets the Web API root, for example <c>https://contoso.crm4.dynamics.com/api/data/v9.2/</c>.</summary>
    /// <returns>The absolute URL of the Web API root.</returns>
    /// <exception cref="InvalidOperationException"><see cref="OrgUrl"/> is not set.</exception>
    public Uri GetWebApiRoot()
    {
        var org = OrgUrl ?? throw new InvalidOperationException("DataverseDirectoryOptions.OrgUrl is not set.");
        var text = org.GetLeftPart(UriPartial.Authority);
        return new Uri(text + "/api/data/v" + ApiVersion + "/");
    }

    /// <summary>Gets the OAuth scope: <see cref="Scope"/> or <c>&lt;OrgUrl&gt;/.default</c>.</summary>
    /// <returns>The scope.</returns>
    /// <exception cref="InvalidOperationException"><see cref="OrgUrl"/> is not set.</exception>
    public string GetScope()
    {
        if (!string.IsNullOrWhiteSpace(Scope))
            return Scope!;
        var org = OrgUrl ?? throw new InvalidOperationException("DataverseDirectoryOptions.OrgUrl is not set.");
        return org.GetLeftPart(UriPartial.Authority) + "/.default";
    }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OrgUrl is { } url)
        {
            if (!url.IsAbsoluteUri)
            {
                yield return new ValidationResult("The OrgUrl must be an absolute URL.", [nameof(OrgUrl)]);
            }
            else if (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
            {
                yield return new ValidationResult("The OrgUrl must use https (http is accepted only for a loopback emulator such as http://127.0.0.1).", [nameof(OrgUrl)]);
            }
        }

        foreach (var error in ValidateConnection())
            yield return error;
        foreach (var error in OptionsValidation.Validate(Mapping))
            yield return new ValidationResult($"Mapping: {error}", [nameof(Mapping)]);
    }

    /// <summary>Validates the options and throws one exception listing every error.</summary>
    /// <exception cref="ValidationException">The options are invalid.</exception>
    public void ThrowIfInvalid() => OptionsValidation.ThrowIfInvalid(this);

    internal DataverseDirectoryOptions Clone()
    {
        var copy = (DataverseDirectoryOptions)MemberwiseClone();
        var mapping = new DataverseMappingOptions();
        Mapping.CopyTo(mapping);
        copy.SetMapping(mapping);
        return copy;
    }

    private void SetMapping(DataverseMappingOptions mapping) => _mapping = mapping;
}

/// <summary>How the Dataverse directory finds the records a lead may belong to.</summary>
public enum DataverseCandidateSearch
{
    /// <summary>
    /// Exact, indexed lookups of the lead's match keys in the <c>crmg_matchkey</c> table: finds what the embedded index
    /// finds, however names, phones and websites were typed.
    /// </summary>
    MatchKeyTable,

    /// <summary>
    /// Name prefixes, exact emails and phones as given, without the key table: for organisations that cannot add it.
    /// Misses names typed differently from the lead, phones stored in another format and website domains.
    /// </summary>
    TextSearch,
}
