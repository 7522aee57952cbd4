using System.ComponentModel.DataAnnotations;

namespace CrmGuardrails.Dataverse.Registration;

/// <summary>How Dataverse authenticates to a webhook (<c>serviceendpoint.authtype</c>).</summary>
public enum WebhookAuthType
{
    /// <summary>A key sent as <c>?code=&lt;value&gt;</c> (suits Azure Functions).</summary>
    WebhookKey = 4,

    /// <summary>One or more HTTP headers.</summary>
    HttpHeader = 5,

    /// <summary>Query string parameters.</summary>
    HttpQueryString = 6,
}

/// <summary>The pipeline stage of a step (<c>sdkmessageprocessingstep.stage</c>).</summary>
public enum StepStage
{
    /// <summary>Before the transaction and security checks: the cheapest place to cancel.</summary>
    PreValidation = 10,

    /// <summary>Inside the transaction, before the main operation.</summary>
    PreOperation = 20,

    /// <summary>After the main operation.</summary>
    PostOperation = 40,
}

/// <summary>How a step runs (<c>sdkmessageprocessingstep.mode</c>).</summary>
public enum StepMode
{
    /// <summary>In the user's request; a failure rolls the operation back.</summary>
    Synchronous = 0,

    /// <summary>Later, as a system job (PostOperation only).</summary>
    Asynchronous = 1,
}

/// <summary>Which image of the row a step sends (<c>sdkmessageprocessingstepimage.imagetype</c>).</summary>
public enum StepImageType
{
    /// <summary>The row before the operation.</summary>
    PreImage = 0,

    /// <summary>The row after the operation (PostOperation steps only).</summary>
    PostImage = 1,
}

/// <summary>An image a step sends with the context (<c>sdkmessageprocessingstepimage</c>).</summary>
public sealed class WebhookStepImage
{
    /// <summary>Gets or sets which image.</summary>
    /// <value>The default value is <see cref="StepImageType.PreImage"/>.</value>
    public StepImageType Type { get; set; } = StepImageType.PreImage;

    /// <summary>Gets or sets the comma-separated columns the image holds; <see langword="null"/> for every column.</summary>
    public string? Attributes { get; set; }

    /// <summary>Gets the image's name and alias: <c>PreImage</c> or <c>PostImage</c>.</summary>
    public string Alias => Type == StepImageType.PreImage ? "PreImage" : "PostImage";
}

/// <summary>A webhook (a <c>serviceendpoint</c> with contract 8) and the steps that call it.</summary>
public sealed class WebhookRegistration : IValidatableObject
{
    /// <summary>Gets or sets the endpoint's unique name; it is how an existing registration is found again.</summary>
    [Required]
    [StringLength(256, MinimumLength = 1)]
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the webhook's URL (https).</summary>
    [Required]
    public Uri? Url { get; set; }

    /// <summary>Gets or sets how Dataverse authenticates to the webhook.</summary>
    /// <value>The default value is <see cref="WebhookAuthType.HttpHeader"/>.</value>
    public WebhookAuthType AuthType { get; set; } = WebhookAuthType.HttpHeader;

    /// <summary>Gets or sets the secret (<c>authvalue</c>). Dataverse never returns it, so an existing endpoint's value is
    /// only written when the endpoint is created, changed, or <see cref="RotateAuthValue"/> is set.</summary>
    public string? AuthValue { get; set; }

    /// <summary>Gets or sets a value indicating whether <see cref="AuthValue"/> is written even when nothing else changed.</summary>
    public bool RotateAuthValue { get; set; }

    /// <summary>Gets the steps calling the webhook.</summary>
    public IList<WebhookStepRegistration> Steps { get; } = [];

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Url is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))))
            yield return new ValidationResult("The webhook Url must be an absolute https URL.", [nameof(Url)]);
        var registration = this;
        foreach (var step in Steps)
        {
            if (string.IsNullOrWhiteSpace(step.Message) || string.IsNullOrWhiteSpace(step.PrimaryEntity))
                yield return new ValidationResult("Every step needs a Message and a PrimaryEntity.", [nameof(Steps)]);
            if (step.Mode == StepMode.Asynchronous && step.Stage != StepStage.PostOperation)
                yield return new ValidationResult($"The step '{step.Message} of {step.PrimaryEntity}' is asynchronous, which Dataverse allows only in PostOperation.", [nameof(Steps)]);
            if (step.Images.Any(i => i.Type == StepImageType.PostImage) && step.Stage != StepStage.PostOperation)
                yield return new ValidationResult($"The step '{step.Message} of {step.PrimaryEntity}' asks for a post-image, which Dataverse sends only in PostOperation.", [nameof(Steps)]);
            if (registration.Steps.Count(other => other.GetName(Name) == step.GetName(Name)) > 1)
                yield return new ValidationResult($"Two steps are named '{step.GetName(Name)}': give one a Purpose.", [nameof(Steps)]);
            if (step.Images.GroupBy(i => i.Type).Any(g => g.Count() > 1))
                yield return new ValidationResult($"The step '{step.Message} of {step.PrimaryEntity}' asks for the same image twice.", [nameof(Steps)]);
        }
    }
}

/// <summary>A step (<c>sdkmessageprocessingstep</c>) that sends a message's context to the webhook.</summary>
public sealed class WebhookStepRegistration
{
    /// <summary>Gets or sets the message, for example <c>Create</c>.</summary>
    public string Message { get; set; } = "Create";

    /// <summary>Gets or sets the table's logical name, for example <c>lead</c>.</summary>
    public string PrimaryEntity { get; set; } = "lead";

    /// <summary>Gets or sets the stage.</summary>
    /// <value>The default value is <see cref="StepStage.PreValidation"/>.</value>
    public StepStage Stage { get; set; } = StepStage.PreValidation;

    /// <summary>Gets or sets the mode.</summary>
    /// <value>The default value is <see cref="StepMode.Synchronous"/>.</value>
    public StepMode Mode { get; set; } = StepMode.Synchronous;

    /// <summary>Gets or sets the execution order within the stage.</summary>
    /// <value>The default value is 1.</value>
    public int Rank { get; set; } = 1;

    /// <summary>Gets or sets the comma-separated filtering attributes (Update only), or <see langword="null"/>.</summary>
    public string? FilteringAttributes { get; set; }

    /// <summary>
    /// Gets the images the step sends: an Update checked after the save needs the row as it was (a moved start, the
    /// reschedule count, an earlier flag), and the match keys of a saved row need it whole.
    /// </summary>
    public IList<WebhookStepImage> Images { get; } = [];

    /// <summary>
    /// Gets or sets what the step is for, when a message of a table needs two steps (a synchronous check and an
    /// asynchronous match-key upkeep): it becomes part of the step's name. <see langword="null"/> for none.
    /// </summary>
    public string? Purpose { get; set; }

    /// <summary>Gets the step's name: <c>&lt;endpoint&gt;: &lt;Message&gt; of &lt;entity&gt;</c>, then <c>(&lt;Purpose&gt;)</c> when it has one.</summary>
    /// <param name="endpointName">The endpoint's name.</param>
    /// <returns>The name.</returns>
    public string GetName(string endpointName) => $"{endpointName}: {Message} of {PrimaryEntity}" + (string.IsNullOrWhiteSpace(Purpose) ? string.Empty : $" ({Purpose})");
}

/// <summary>What a registration did, or would do in a dry run, to one row.</summary>
public enum RegistrationAction
{
    /// <summary>The row already matched.</summary>
    Unchanged = 0,

    /// <summary>The row was (or would be) created.</summary>
    Create = 1,

    /// <summary>The row was (or would be) updated.</summary>
    Update = 2,

    /// <summary>The row, a step of this endpoint that is no longer wanted, was (or would be) deleted.</summary>
    Delete = 3,
}

/// <summary>One row's change.</summary>
/// <param name="EntitySet">The entity set: <c>serviceendpoints</c> or <c>sdkmessageprocessingsteps</c>.</param>
/// <param name="Name">The row's name.</param>
/// <param name="Action">What was (or would be) done.</param>
/// <param name="Id">The row's id (for a dry-run create, the id it would get).</param>
/// <param name="ChangedColumns">The columns written.</param>
public sealed record RegistrationChange(string EntitySet, string Name, RegistrationAction Action, string Id, IReadOnlyList<string> ChangedColumns);

/// <summary>The outcome of <see cref="DataverseRegistration.ApplyAsync"/>.</summary>
/// <param name="DryRun">Whether nothing was written.</param>
/// <param name="Changes">The rows, endpoint first.</param>
public sealed record RegistrationResult(bool DryRun, IReadOnlyList<RegistrationChange> Changes)
{
    /// <summary>Gets a value indicating whether every row already matched.</summary>
    public bool IsUpToDate => Changes.All(c => c.Action == RegistrationAction.Unchanged);
}
