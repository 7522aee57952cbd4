namespace CrmGuardrails.Dataverse.Webhooks;

/// <summary>A lookup value of a Dataverse execution context (<c>EntityReference</c>).</summary>
/// <param name="LogicalName">The referenced table's logical name (<c>account</c>, <c>systemuser</c>, …).</param>
/// <param name="Id">The referenced row's id (a GUID in lower-case <c>D</c> format when it parses as one).</param>
/// <param name="Name">The row's primary name when Dataverse sent it, else <see langword="null"/>.</param>
public sealed record DataverseReference(string LogicalName, string Id, string? Name);

/// <summary>A choice value of a Dataverse execution context (<c>OptionSetValue</c>).</summary>
/// <param name="Value">The option's number.</param>
public readonly record struct DataverseOptionSetValue(int Value);

/// <summary>A currency value of a Dataverse execution context (<c>Money</c>).</summary>
/// <param name="Value">The amount.</param>
public readonly record struct DataverseMoney(decimal Value);

/// <summary>A row of a Dataverse execution context (<c>Entity</c>): a Target, an image, or an activity party.</summary>
/// <remarks>
/// <para>
/// Attribute values are typed: <see cref="string"/>, <see cref="bool"/>, <see cref="long"/>, <see cref="double"/>,
/// <see cref="DateTimeOffset"/>, <see cref="DataverseReference"/>, <see cref="DataverseOptionSetValue"/>,
/// <see cref="DataverseMoney"/>, a list of <see cref="DataverseEntity"/> (<c>EntityCollection</c>, for example activity
/// parties), a list of <see cref="DataverseOptionSetValue"/> (multi-select choices), or <see langword="null"/>. Values of
/// other shapes are kept as their raw JSON text.
/// </para>
/// <para>
/// A date is a JSON string (<c>/Date(ms±hhmm)/</c>, where ms are UTC milliseconds and the offset never shifts the
/// instant), so only the date columns — <c>createdon</c>, <c>modifiedon</c>, <c>overriddencreatedon</c>,
/// <c>scheduledstart</c>, <c>scheduledend</c>, <c>actualstart</c>, <c>actualend</c>, <c>crmg_guardcheckedon</c> — read
/// it as a <see cref="DateTimeOffset"/>, and as <see langword="null"/> when the <c>/Date(…)/</c> text is not a date.
/// Text in any other column stays text, whatever it begins with.
/// </para>
/// <para>
/// What cannot be read is that value's problem, never the row's: text that is not UTF-8 or holds a lone surrogate reads
/// with U+FFFD in its place; an amount no <see cref="decimal"/> or <see cref="double"/> holds is clamped to the largest
/// one of its sign (one too small to hold is 0); a choice no <see cref="int"/> holds is <see langword="null"/>; a typed
/// value with broken parts (a Money without an amount) is kept as its raw JSON text, and only reading it as one of the
/// columns the guards use is a <see cref="CrmGuardrails.Hosting.GuardEventFormatException"/>, naming it.
/// </para>
/// </remarks>
public sealed record DataverseEntity
{
    /// <summary>Gets the table's logical name.</summary>
    public required string LogicalName { get; init; }

    /// <summary>Gets the row's id; empty when Dataverse has not assigned one yet (PreValidation / PreOperation Create).</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Gets the attributes sent, by logical name (case-insensitive).</summary>
    public IReadOnlyDictionary<string, object?> Attributes { get; init; } = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets the attributes whose typed value could not be read (kept as raw JSON text in <see cref="Attributes"/>), with
    /// the path and problem a format error reports when a guard reads one; <see langword="null"/> when there are none.
    /// </summary>
    internal IReadOnlyDictionary<string, (string Field, string Problem)>? Unreadable { get; init; }

    /// <summary>Tells whether the attribute was sent (possibly as <see langword="null"/>).</summary>
    /// <param name="name">The attribute's logical name.</param>
    /// <returns><see langword="true"/> when present.</returns>
    public bool Has(string name) => Attributes.ContainsKey(name);

    /// <summary>Gets an attribute's value, or <see langword="null"/> when absent.</summary>
    /// <param name="name">The attribute's logical name.</param>
    /// <returns>The value.</returns>
    public object? this[string name] => Attributes.TryGetValue(name, out var value) ? value : null;
}

/// <summary>The parts of a Dataverse <c>RemoteExecutionContext</c> that the guards need.</summary>
public sealed record DataverseExecutionContext
{
    /// <summary>Gets the message (<c>Create</c>, <c>Update</c>, <c>CreateMultiple</c>, …).</summary>
    public required string MessageName { get; init; }

    /// <summary>Gets the table's logical name.</summary>
    public required string PrimaryEntityName { get; init; }

    /// <summary>Gets the row's id, when Dataverse sent one.</summary>
    public string? PrimaryEntityId { get; init; }

    /// <summary>Gets the step's stage: 10 PreValidation, 20 PreOperation, 40 PostOperation.</summary>
    public int Stage { get; init; }

    /// <summary>Gets the step's mode: 0 synchronous, 1 asynchronous.</summary>
    public int Mode { get; init; }

    /// <summary>Gets the depth: 1 for a save a person or client made, more for saves made by plug-ins, flows and workflows.</summary>
    public int Depth { get; init; }

    /// <summary>Gets the id of the step's user (the impersonated user when the step runs as one).</summary>
    public string? UserId { get; init; }

    /// <summary>Gets the id of the user who started the operation: the rep saving the record.</summary>
    public string? InitiatingUserId { get; init; }

    /// <summary>Gets the operation's correlation id: a GUID in lower-case <c>D</c> form, or the text sent made safe for one log line.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>Gets when the operation started.</summary>
    public DateTimeOffset? OperationCreatedOn { get; init; }

    /// <summary>Gets the environment's organisation name.</summary>
    public string? OrganizationName { get; init; }

    /// <summary>Gets the rows being saved: <c>Target</c>, or every entity of <c>Targets</c> for <c>CreateMultiple</c>.</summary>
    /// <remarks>Empty when Dataverse removed the input parameters (context over 256 KB).</remarks>
    public IReadOnlyList<DataverseEntity> Targets { get; init; } = [];

    /// <summary>Gets the Target of messages whose Target is a reference, not a row (Delete), if any.</summary>
    public DataverseReference? TargetReference { get; init; }

    /// <summary>Gets the first pre-image of each row (updates), in the order of <see cref="Targets"/>; empty when the step registers none.</summary>
    public IReadOnlyList<DataverseEntity?> PreImages { get; init; } = [];

    /// <summary>Gets the first post-image of each row (PostOperation steps), in the order of <see cref="Targets"/>.</summary>
    public IReadOnlyList<DataverseEntity?> PostImages { get; init; } = [];

    /// <summary>Gets the first pre-image of the first row, if any.</summary>
    public DataverseEntity? PreImage => PreImages.Count > 0 ? PreImages[0] : null;

    /// <summary>Gets a value indicating whether the step is synchronous (and a non-success answer cancels the save).</summary>
    public bool IsSynchronous => Mode == 0;

    /// <summary>Gets the user to check the save for: <see cref="InitiatingUserId"/>, else <see cref="UserId"/>.</summary>
    public string? ActingUserId => !string.IsNullOrEmpty(InitiatingUserId) ? InitiatingUserId : UserId;
}
