using System.Collections.Concurrent;

namespace CrmGuardrails.Dataverse.Emulator;

/// <summary>The type of an emulated column, which decides its OData (Edm) type and what a write may put in it.</summary>
public enum EmulatorColumnType
{
    /// <summary>Single line of text (<c>Edm.String</c>).</summary>
    String,

    /// <summary>Multiple lines of text (<c>Edm.String</c>).</summary>
    Memo,

    /// <summary>A table's logical name, as <c>activitytypecode</c> or <c>primaryobjecttypecode</c> (<c>Edm.String</c>).</summary>
    EntityName,

    /// <summary>Whole number (<c>Edm.Int32</c>).</summary>
    Integer,

    /// <summary>Big integer, as <c>versionnumber</c> (<c>Edm.Int64</c>).</summary>
    BigInt,

    /// <summary>Choice, state or status (<c>Edm.Int32</c>).</summary>
    Choice,

    /// <summary>Decimal number or currency (<c>Edm.Decimal</c>).</summary>
    Decimal,

    /// <summary>Floating-point number (<c>Edm.Double</c>).</summary>
    Double,

    /// <summary>Yes/no (<c>Edm.Boolean</c>).</summary>
    Boolean,

    /// <summary>Date and time (<c>Edm.DateTimeOffset</c>).</summary>
    DateTime,

    /// <summary>Unique identifier: primary keys and plain id columns (<c>Edm.Guid</c>).</summary>
    Guid,

    /// <summary>Lookup (<c>Edm.Guid</c>): read and filtered as <c>_x_value</c>, written as <c>x@odata.bind</c>.</summary>
    Lookup,
}

/// <summary>One column of an emulated table.</summary>
public sealed class EmulatorColumn
{
    internal EmulatorColumn(string logicalName, EmulatorColumnType type, int? maxLength, IReadOnlyList<string> targets)
    {
        LogicalName = logicalName;
        Type = type;
        MaxLength = maxLength;
        Targets = targets;
    }

    /// <summary>Gets the column's logical name (<c>parentcustomerid</c>).</summary>
    public string LogicalName { get; }

    /// <summary>Gets the Web API property that reads it: the logical name, or <c>_x_value</c> for a lookup.</summary>
    public string PropertyName => Type == EmulatorColumnType.Lookup ? "_" + LogicalName + "_value" : LogicalName;

    /// <summary>Gets the column's type.</summary>
    public EmulatorColumnType Type { get; }

    /// <summary>Gets the longest text a write may put in it, or <see langword="null"/> for no check.</summary>
    public int? MaxLength { get; }

    /// <summary>Gets the tables (logical names) a lookup may point at; empty for other columns.</summary>
    public IReadOnlyList<string> Targets { get; }

    /// <summary>Gets a value indicating whether a create may set it (<c>IsValidForCreate</c>).</summary>
    public bool ValidForCreate { get; init; } = true;

    /// <summary>Gets a value indicating whether an update may set it (<c>IsValidForUpdate</c>).</summary>
    public bool ValidForUpdate { get; init; } = true;

    /// <summary>Gets a value indicating whether reads return it (<c>IsValidForRead</c>; <c>serviceendpoint.authvalue</c> is write-only).</summary>
    public bool ValidForRead { get; init; } = true;

    /// <summary>Gets the OData type name (<c>Edm.Guid</c>, <c>Edm.String</c>, ...).</summary>
    public string EdmType => EdmTypeOf(Type);

    /// <summary>Gets a value indicating whether the column holds text (string functions apply).</summary>
    public bool IsText => Type is EmulatorColumnType.String or EmulatorColumnType.Memo or EmulatorColumnType.EntityName;

    /// <summary>Gets a value indicating whether the column holds a GUID (primary keys, lookups).</summary>
    public bool IsGuid => Type is EmulatorColumnType.Guid or EmulatorColumnType.Lookup;

    internal static string EdmTypeOf(EmulatorColumnType type) => type switch
    {
        EmulatorColumnType.String or EmulatorColumnType.Memo or EmulatorColumnType.EntityName => "Edm.String",
        EmulatorColumnType.Integer or EmulatorColumnType.Choice => "Edm.Int32",
        EmulatorColumnType.BigInt => "Edm.Int64",
        EmulatorColumnType.Decimal => "Edm.Decimal",
        EmulatorColumnType.Double => "Edm.Double",
        EmulatorColumnType.Boolean => "Edm.Boolean",
        EmulatorColumnType.DateTime => "Edm.DateTimeOffset",
        _ => "Edm.Guid",
    };
}

/// <summary>A single-valued navigation property: how a write binds a lookup (<c>nav@odata.bind</c>) and how <c>$expand</c> follows it.</summary>
/// <param name="Name">The navigation property (<c>parentcustomerid_account</c>, <c>regardingobjectid_account_task</c>, <c>ownerid</c>).</param>
/// <param name="Column">The lookup column it sets.</param>
/// <param name="Targets">The tables it may point at (one, except <c>ownerid</c>: systemuser or team).</param>
public sealed record EmulatorNavigation(string Name, EmulatorColumn Column, IReadOnlyList<string> Targets);

/// <summary>An alternate key: columns whose values together are unique and address a row (<c>set(col1='a',col2='b')</c>).</summary>
/// <param name="Name">The key's schema name.</param>
/// <param name="Columns">The key's columns (logical names), at most 16.</param>
public sealed record EmulatorAlternateKey(string Name, IReadOnlyList<string> Columns);

/// <summary>One emulated table: its entity set, keys and columns.</summary>
public sealed class EmulatorTable
{
    private readonly ConcurrentDictionary<string, EmulatorColumn> _columns = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EmulatorColumn> _properties = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EmulatorNavigation> _navigations = new(StringComparer.Ordinal);
    private readonly List<EmulatorAlternateKey> _alternateKeys = [];

    internal EmulatorTable(string logicalName, string entitySet, string primaryKey, string? primaryName, bool isActivity)
    {
        LogicalName = logicalName;
        EntitySet = entitySet;
        PrimaryKey = primaryKey;
        PrimaryName = primaryName;
        IsActivity = isActivity;
        AddColumn(primaryKey, EmulatorColumnType.Guid, validForUpdate: false);
    }

    /// <summary>Gets the table's logical name (<c>account</c>).</summary>
    public string LogicalName { get; }

    /// <summary>Gets the entity set (<c>accounts</c>).</summary>
    public string EntitySet { get; }

    /// <summary>Gets the primary key column (<c>accountid</c>; <c>activityid</c> for activities).</summary>
    public string PrimaryKey { get; }

    /// <summary>Gets the primary name column (<c>name</c>, <c>fullname</c>, <c>subject</c>), used for lookup formatted values.</summary>
    public string? PrimaryName { get; }

    /// <summary>Gets a value indicating whether this is an activity table (a row also appears in <c>activitypointers</c>).</summary>
    public bool IsActivity { get; }

    /// <summary>Gets the OData type name (<c>Microsoft.Dynamics.CRM.account</c>).</summary>
    public string TypeName => "Microsoft.Dynamics.CRM." + LogicalName;

    /// <summary>Gets the columns.</summary>
    public IEnumerable<EmulatorColumn> Columns => _columns.Values;

    /// <summary>Gets the alternate keys.</summary>
    public IReadOnlyList<EmulatorAlternateKey> AlternateKeys
    {
        get
        {
            lock (_alternateKeys)
                return _alternateKeys.ToList();
        }
    }

    /// <summary>Adds (or replaces) a column.</summary>
    /// <param name="logicalName">The column's logical name.</param>
    /// <param name="type">The column's type.</param>
    /// <param name="maxLength">For text, the longest value a write may set.</param>
    /// <param name="validForCreate">Whether a create may set it.</param>
    /// <param name="validForUpdate">Whether an update may set it.</param>
    /// <returns>This table.</returns>
    public EmulatorTable AddColumn(string logicalName, EmulatorColumnType type, int? maxLength = null, bool validForCreate = true, bool validForUpdate = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(logicalName);
        if (type == EmulatorColumnType.Lookup)
            throw new ArgumentException("Add a lookup with AddLookup (it needs its targets).", nameof(type));
        return Add(new EmulatorColumn(logicalName, type, maxLength, []) { ValidForCreate = validForCreate, ValidForUpdate = validForUpdate });
    }

    /// <summary>Adds a read-only column (set by the platform: <c>createdon</c>, <c>fullname</c>, <c>activitytypecode</c>).</summary>
    /// <param name="logicalName">The column's logical name.</param>
    /// <param name="type">The column's type.</param>
    /// <returns>This table.</returns>
    public EmulatorTable AddReadOnlyColumn(string logicalName, EmulatorColumnType type) =>
        AddColumn(logicalName, type, validForCreate: false, validForUpdate: false);

    /// <summary>
    /// Adds a lookup. Its navigation properties are <c>x</c> for one target, <c>x_target</c> for several (polymorphic), and
    /// <c>regardingobjectid_target_table</c> for an activity's regarding; <c>ownerid</c> keeps the single name <c>ownerid</c>.
    /// </summary>
    /// <param name="logicalName">The lookup's logical name.</param>
    /// <param name="targets">The tables it may point at.</param>
    /// <returns>This table.</returns>
    public EmulatorTable AddLookup(string logicalName, params string[] targets) => AddLookup(logicalName, true, true, targets);

    /// <summary>Adds a lookup only the platform sets (<c>createdby</c>).</summary>
    /// <param name="logicalName">The lookup's logical name.</param>
    /// <param name="targets">The tables it may point at.</param>
    /// <returns>This table.</returns>
    public EmulatorTable AddReadOnlyLookup(string logicalName, params string[] targets) => AddLookup(logicalName, false, false, targets);

    /// <summary>Adds an alternate key.</summary>
    /// <param name="name">The key's schema name.</param>
    /// <param name="columns">Its columns (logical names, already added).</param>
    /// <returns>This table.</returns>
    public EmulatorTable AddAlternateKey(string name, params string[] columns)
    {
        // "the system validates the key, including that the total key size doesn't violate SQL-based index constraints like
        // 900 bytes per key and 16 columns per key." / "A table ... can have up to ten alternate key table definitions."
        // (P: define-alternate-keys-entity.md, quoted in /tmp/research/dataverse-facts.md §8)
        if (columns.Length is 0 or > 16)
            throw new ArgumentException("An alternate key has 1 to 16 columns.", nameof(columns));
        foreach (var column in columns)
        {
            if (!_columns.ContainsKey(column))
                throw new ArgumentException($"'{LogicalName}' has no column '{column}'.", nameof(columns));
        }

        lock (_alternateKeys)
        {
            if (_alternateKeys.Count >= 10)
                throw new InvalidOperationException("A table can have up to ten alternate keys.");
            _alternateKeys.Add(new EmulatorAlternateKey(name, columns));
        }

        return this;
    }

    /// <summary>Finds a column by logical name.</summary>
    /// <param name="logicalName">The logical name (<c>parentcustomerid</c>).</param>
    /// <returns>The column, or <see langword="null"/>.</returns>
    public EmulatorColumn? Column(string logicalName) => _columns.TryGetValue(logicalName, out var column) ? column : null;

    /// <summary>Finds a column by its Web API property (<c>_parentcustomerid_value</c>, <c>name</c>).</summary>
    /// <param name="propertyName">The property.</param>
    /// <returns>The column, or <see langword="null"/>.</returns>
    public EmulatorColumn? Property(string propertyName) => _properties.TryGetValue(propertyName, out var column) ? column : null;

    /// <summary>Finds a single-valued navigation property.</summary>
    /// <param name="name">The navigation property.</param>
    /// <returns>The navigation, or <see langword="null"/>.</returns>
    public EmulatorNavigation? Navigation(string name) => _navigations.TryGetValue(name, out var navigation) ? navigation : null;

    private EmulatorTable AddLookup(string logicalName, bool validForCreate, bool validForUpdate, string[] targets)
    {
        ArgumentException.ThrowIfNullOrEmpty(logicalName);
        if (targets.Length == 0)
            throw new ArgumentException("A lookup needs at least one target table.", nameof(targets));
        var column = new EmulatorColumn(logicalName, EmulatorColumnType.Lookup, null, targets) { ValidForCreate = validForCreate, ValidForUpdate = validForUpdate };
        Add(column);
        if (targets.Length == 1 || logicalName == "ownerid")
        {
            _navigations[logicalName] = new EmulatorNavigation(logicalName, column, targets);
        }
        else
        {
            foreach (var target in targets)
            {
                // "regardingobjectid_account_task@odata.bind" (P: execute-batch-operations-using-web-api.md), "parentcustomerid_account",
                // "regardingobjectid_contact_task" (P: webapi/query/join-tables.md).
                var name = logicalName == "regardingobjectid" && IsActivity && LogicalName != "activitypointer"
                    ? $"{logicalName}_{target}_{LogicalName}"
                    : $"{logicalName}_{target}";
                _navigations[name] = new EmulatorNavigation(name, column, [target]);
            }
        }

        return this;
    }

    internal EmulatorTable Add(EmulatorColumn column)
    {
        _columns[column.LogicalName] = column;
        _properties[column.PropertyName] = column;
        return this;
    }
}

/// <summary>
/// The emulated organisation's tables and columns, in one place: requests naming an unknown entity set, column or
/// navigation property are refused as Dataverse refuses them. Tests may add columns and tables
/// (<c>org.Schema.AddColumn("lead", "new_x", EmulatorColumnType.String)</c>). Thread-safe.
/// </summary>
public sealed class EmulatorSchema
{
    /// <summary>The custom columns CrmGuardrails writes on leads and activities (docs/dataverse-plugin.md, "Flags: the columns to create").</summary>
    private static readonly string[] FlaggedTables = ["lead", "phonecall", "appointment", "email", "task"];

    private readonly ConcurrentDictionary<string, EmulatorTable> _bySet = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EmulatorTable> _byLogicalName = new(StringComparer.Ordinal);

    /// <summary>Gets the schema every new emulator starts with (a fresh copy each time).</summary>
    /// <returns>The default schema.</returns>
    public static EmulatorSchema CreateDefault()
    {
        var s = new EmulatorSchema();

        // Columns: the ones src/CrmGuardrails.Dataverse reads and writes (RecordMapper, DataverseRecordWriter, Registration,
        // Schema/DataverseSchema.cs), the seeding code's, and the table references summarised in docs/platform/dataverse.md §5.
        var account = Owned(s.AddTable("account", "accounts", "accountid", "name"))
            .AddColumn("name", EmulatorColumnType.String, 160)
            .AddColumn("accountnumber", EmulatorColumnType.String, 20)
            .AddColumn("customertypecode", EmulatorColumnType.Choice)
            .AddColumn("industrycode", EmulatorColumnType.Choice)
            .AddColumn("numberofemployees", EmulatorColumnType.Integer)
            .AddColumn("revenue", EmulatorColumnType.Decimal)
            .AddColumn("fax", EmulatorColumnType.String, 50)
            .AddLookup("parentaccountid", "account")
            .AddLookup("primarycontactid", "contact");
        Contact(Address(account));

        var contact = Owned(s.AddTable("contact", "contacts", "contactid", "fullname"))
            .AddColumn("firstname", EmulatorColumnType.String, 50)
            .AddColumn("middlename", EmulatorColumnType.String, 50)
            .AddColumn("lastname", EmulatorColumnType.String, 50)
            .AddReadOnlyColumn("fullname", EmulatorColumnType.String)
            .AddColumn("jobtitle", EmulatorColumnType.String, 100)
            .AddColumn("mobilephone", EmulatorColumnType.String, 50)
            .AddColumn("fax", EmulatorColumnType.String, 50)
            .AddLookup("parentcustomerid", "account", "contact");
        Contact(Address(contact));

        var lead = Owned(s.AddTable("lead", "leads", "leadid", "fullname"))
            .AddColumn("subject", EmulatorColumnType.String, 300)
            .AddColumn("firstname", EmulatorColumnType.String, 50)
            .AddColumn("middlename", EmulatorColumnType.String, 50)
            .AddColumn("lastname", EmulatorColumnType.String, 50)
            .AddReadOnlyColumn("fullname", EmulatorColumnType.String)
            .AddColumn("companyname", EmulatorColumnType.String, 100)
            .AddColumn("jobtitle", EmulatorColumnType.String, 100)
            .AddColumn("mobilephone", EmulatorColumnType.String, 50)
            .AddColumn("leadsourcecode", EmulatorColumnType.Choice)
            .AddLookup("parentaccountid", "account")
            .AddLookup("parentcontactid", "contact")
            .AddLookup("customerid", "account", "contact");
        Contact(Address(lead));

        s.AddTable("systemuser", "systemusers", "systemuserid", "fullname")
            .AddColumn("firstname", EmulatorColumnType.String, 64)
            .AddColumn("lastname", EmulatorColumnType.String, 64)
            .AddReadOnlyColumn("fullname", EmulatorColumnType.String)
            .AddColumn("internalemailaddress", EmulatorColumnType.String, 100)
            .AddColumn("domainname", EmulatorColumnType.String, 1024)
            .AddColumn("title", EmulatorColumnType.String, 128)
            .AddColumn("isdisabled", EmulatorColumnType.Boolean)
            .AddLookup("parentsystemuserid", "systemuser")
            .AddLookup("businessunitid", "businessunit")
            .AddReadOnlyColumn("createdon", EmulatorColumnType.DateTime)
            .AddReadOnlyColumn("modifiedon", EmulatorColumnType.DateTime);

        s.AddTable("team", "teams", "teamid", "name")
            .AddColumn("name", EmulatorColumnType.String, 160)
            .AddColumn("teamtype", EmulatorColumnType.Choice)
            .AddColumn("description", EmulatorColumnType.Memo)
            .AddLookup("regardingobjectid", "account", "contact", "lead", "opportunity")
            .AddLookup("teamtemplateid", "teamtemplate")
            .AddLookup("businessunitid", "businessunit")
            .AddLookup("administratorid", "systemuser")
            .AddReadOnlyColumn("createdon", EmulatorColumnType.DateTime)
            .AddReadOnlyColumn("modifiedon", EmulatorColumnType.DateTime);

        // The team/systemuser intersect table behind teammembership_association (N:N).
        s.AddTable("teammembership", "teammemberships", "teammembershipid", null)
            .AddColumn("teamid", EmulatorColumnType.Guid)
            .AddColumn("systemuserid", EmulatorColumnType.Guid);

        Activity(s.AddTable("activitypointer", "activitypointers", "activityid", "subject", isActivity: true));
        Activity(s.AddTable("phonecall", "phonecalls", "activityid", "subject", isActivity: true))
            .AddColumn("directioncode", EmulatorColumnType.Boolean)
            .AddColumn("phonenumber", EmulatorColumnType.String, 200);
        Activity(s.AddTable("appointment", "appointments", "activityid", "subject", isActivity: true))
            .AddColumn("location", EmulatorColumnType.String, 200)
            .AddColumn("isalldayevent", EmulatorColumnType.Boolean);
        Activity(s.AddTable("email", "emails", "activityid", "subject", isActivity: true))
            .AddColumn("directioncode", EmulatorColumnType.Boolean)
            .AddColumn("sender", EmulatorColumnType.String, 250)
            .AddColumn("torecipients", EmulatorColumnType.String, 500);
        Activity(s.AddTable("task", "tasks", "activityid", "subject", isActivity: true))
            .AddColumn("percentcomplete", EmulatorColumnType.Integer);

        s.AddTable("activityparty", "activityparties", "activitypartyid", null)
            .AddLookup("activityid", "activitypointer")
            .AddLookup("partyid", "account", "contact", "lead", "systemuser", "team", "queue")
            .AddColumn("participationtypemask", EmulatorColumnType.Choice)
            .AddColumn("addressused", EmulatorColumnType.String, 200)
            .AddReadOnlyColumn("ispartydeleted", EmulatorColumnType.Boolean)
            .AddReadOnlyColumn("scheduledstart", EmulatorColumnType.DateTime)
            .AddReadOnlyColumn("scheduledend", EmulatorColumnType.DateTime);

        // Registration tables (src/CrmGuardrails.Dataverse/Registration, docs/platform/dataverse.md §2.1 and SE/SMPS references).
        s.AddTable("serviceendpoint", "serviceendpoints", "serviceendpointid", "name")
            .AddColumn("name", EmulatorColumnType.String, 256)
            .AddColumn("description", EmulatorColumnType.Memo)
            .AddColumn("contract", EmulatorColumnType.Choice)
            .AddColumn("url", EmulatorColumnType.String, 2000)
            .AddColumn("authtype", EmulatorColumnType.Choice)
            .Add(new EmulatorColumn("authvalue", EmulatorColumnType.String, 4000, []) { ValidForRead = false })
            .AddColumn("messageformat", EmulatorColumnType.Choice)
            .AddColumn("namespaceaddress", EmulatorColumnType.String, 255)
            .AddColumn("path", EmulatorColumnType.String, 160)
            .AddColumn("userclaim", EmulatorColumnType.Choice)
            .AddColumn("solutionnamespace", EmulatorColumnType.String, 160)
            .AddReadOnlyColumn("createdon", EmulatorColumnType.DateTime)
            .AddReadOnlyColumn("modifiedon", EmulatorColumnType.DateTime);
        s.AddTable("sdkmessage", "sdkmessages", "sdkmessageid", "name")
            .AddColumn("name", EmulatorColumnType.String, 256)
            .AddColumn("categoryname", EmulatorColumnType.String, 25)
            .AddColumn("isprivate", EmulatorColumnType.Boolean)
            .AddReadOnlyColumn("createdon", EmulatorColumnType.DateTime)
            .AddReadOnlyColumn("modifiedon", EmulatorColumnType.DateTime);
        s.AddTable("sdkmessagefilter", "sdkmessagefilters", "sdkmessagefilterid", null)
            .AddLookup("sdkmessageid", "sdkmessage")
            .AddColumn("primaryobjecttypecode", EmulatorColumnType.EntityName)
            .AddColumn("secondaryobjecttypecode", EmulatorColumnType.EntityName)
            .AddColumn("iscustomprocessingstepallowed", EmulatorColumnType.Boolean)
            .AddColumn("availability", EmulatorColumnType.Integer)
            .AddReadOnlyColumn("createdon", EmulatorColumnType.DateTime)
            .AddReadOnlyColumn("modifiedon", EmulatorColumnType.DateTime);
        s.AddTable("sdkmessageprocessingstep", "sdkmessageprocessingsteps", "sdkmessageprocessingstepid", "name")
            .AddColumn("name", EmulatorColumnType.String, 256)
            .AddColumn("description", EmulatorColumnType.Memo)
            .AddColumn("stage", EmulatorColumnType.Choice)
            .AddColumn("mode", EmulatorColumnType.Choice)
            .AddColumn("rank", EmulatorColumnType.Integer)
            .AddColumn("supporteddeployment", EmulatorColumnType.Choice)
            .AddColumn("asyncautodelete", EmulatorColumnType.Boolean)
            .AddColumn("filteringattributes", EmulatorColumnType.Memo)
            .AddColumn("configuration", EmulatorColumnType.Memo)
            .AddColumn("invocationsource", EmulatorColumnType.Choice)
            .AddLookup("sdkmessageid", "sdkmessage")
            .AddLookup("sdkmessagefilterid", "sdkmessagefilter")
            .AddLookup("eventhandler", "serviceendpoint", "plugintype")
            .AddLookup("plugintypeid", "plugintype")
            .AddLookup("impersonatinguserid", "systemuser")
            .AddColumn("statecode", EmulatorColumnType.Choice)
            .AddColumn("statuscode", EmulatorColumnType.Choice)
            .AddReadOnlyColumn("createdon", EmulatorColumnType.DateTime)
            .AddReadOnlyColumn("modifiedon", EmulatorColumnType.DateTime);
        s.AddTable("sdkmessageprocessingstepimage", "sdkmessageprocessingstepimages", "sdkmessageprocessingstepimageid", "name")
            .AddColumn("name", EmulatorColumnType.String, 256)
            .AddColumn("entityalias", EmulatorColumnType.String, 256)
            .AddColumn("imagetype", EmulatorColumnType.Choice)
            .AddColumn("messagepropertyname", EmulatorColumnType.String, 256)
            .AddColumn("attributes", EmulatorColumnType.Memo)
            .AddColumn("description", EmulatorColumnType.Memo)
            .AddLookup("sdkmessageprocessingstepid", "sdkmessageprocessingstep")
            .AddReadOnlyColumn("createdon", EmulatorColumnType.DateTime)
            .AddReadOnlyColumn("modifiedon", EmulatorColumnType.DateTime);

        // The match-key table (src/CrmGuardrails.Dataverse/Schema/DataverseSchema.cs, MatchKey): a user-owned custom table
        // with an alternate key on (key, record).
        Owned(s.AddTable("crmg_matchkey", "crmg_matchkeys", "crmg_matchkeyid", "crmg_key"))
            .AddColumn("crmg_key", EmulatorColumnType.String, 100)
            .AddColumn("crmg_recordid", EmulatorColumnType.String, 100)
            .AddColumn("crmg_accountid", EmulatorColumnType.String, 100)
            .AddAlternateKey("crmg_key_record", "crmg_key", "crmg_recordid");

        // The flag columns: "crmg_guardverdict | Text (20)", "crmg_guardmessage | Multiline text (2000)", "crmg_guardrule |
        // Text (200)", "crmg_reschedulecount | Whole number" (docs/dataverse-plugin.md), crmg_guardcheckedon date and time
        // (docs/webhook.md).
        foreach (var table in FlaggedTables)
        {
            s.Table(table)!
                .AddColumn("crmg_guardverdict", EmulatorColumnType.String, 20)
                .AddColumn("crmg_guardrule", EmulatorColumnType.String, 200)
                .AddColumn("crmg_guardmessage", EmulatorColumnType.Memo, 2000)
                .AddColumn("crmg_guardcheckedon", EmulatorColumnType.DateTime)
                .AddColumn("crmg_reschedulecount", EmulatorColumnType.Integer);
        }

        return s;
    }

    /// <summary>Gets every table.</summary>
    public IEnumerable<EmulatorTable> Tables => _bySet.Values;

    /// <summary>Adds (or replaces) a table, with its primary key column.</summary>
    /// <param name="logicalName">The logical name (<c>new_thing</c>).</param>
    /// <param name="entitySet">The entity set (<c>new_things</c>).</param>
    /// <param name="primaryKey">The primary key column (<c>new_thingid</c>).</param>
    /// <param name="primaryName">The primary name column, if any (added by the caller).</param>
    /// <param name="isActivity">Whether it is an activity table (rows mirrored into <c>activitypointers</c>).</param>
    /// <returns>The table, to add columns to.</returns>
    public EmulatorTable AddTable(string logicalName, string entitySet, string primaryKey, string? primaryName, bool isActivity = false)
    {
        var table = new EmulatorTable(logicalName, entitySet, primaryKey, primaryName, isActivity);
        _bySet[entitySet] = table;
        _byLogicalName[logicalName] = table;
        return table;
    }

    /// <summary>Adds a column to a table.</summary>
    /// <param name="table">The table's logical name or entity set.</param>
    /// <param name="logicalName">The column's logical name.</param>
    /// <param name="type">The column's type.</param>
    /// <param name="maxLength">For text, the longest value a write may set.</param>
    /// <returns>This schema.</returns>
    /// <exception cref="ArgumentException">The table is unknown.</exception>
    public EmulatorSchema AddColumn(string table, string logicalName, EmulatorColumnType type, int? maxLength = null)
    {
        (Table(table) ?? TableForSet(table) ?? throw new ArgumentException($"The emulator has no table '{table}'.", nameof(table)))
            .AddColumn(logicalName, type, maxLength);
        return this;
    }

    /// <summary>Finds a table by logical name (<c>account</c>).</summary>
    /// <param name="logicalName">The logical name.</param>
    /// <returns>The table, or <see langword="null"/>.</returns>
    public EmulatorTable? Table(string logicalName) => _byLogicalName.TryGetValue(logicalName, out var table) ? table : null;

    /// <summary>Finds a table by entity set (<c>accounts</c>).</summary>
    /// <param name="entitySet">The entity set.</param>
    /// <returns>The table, or <see langword="null"/>.</returns>
    public EmulatorTable? TableForSet(string entitySet) => _bySet.TryGetValue(entitySet, out var table) ? table : null;

    /// <summary>
    /// Finds a collection-valued navigation property: <c>&lt;activity&gt;_activity_parties</c> (1:N to activityparty, "Navigation:
    /// activitypointer_activity_parties, phonecall_activity_parties, ..." — docs/platform/dataverse.md §5.4), <c>contact_customer_accounts</c>
    /// and <c>Account_Tasks</c> (1:N, P: webapi/query/join-tables.md) and <c>teammembership_association</c> (N:N team/systemuser).
    /// </summary>
    /// <param name="table">The table the navigation starts from.</param>
    /// <param name="name">The navigation property.</param>
    /// <returns>The navigation, or <see langword="null"/> when the table has no such collection.</returns>
    internal CollectionNavigation? CollectionNavigation(EmulatorTable table, string name)
    {
        (string Target, string? Referencing, (string Set, string From, string To)? Intersect)? found = (table.LogicalName, name) switch
        {
            (_, _) when table.IsActivity && name == table.LogicalName + "_activity_parties" => ("activityparty", "_activityid_value", null),
            ("account", "contact_customer_accounts") => ("contact", "_parentcustomerid_value", null),
            ("account", "Account_Tasks") => ("task", "_regardingobjectid_value", null),
            ("team", "teammembership_association") => ("systemuser", null, ("teammemberships", "teamid", "systemuserid")),
            ("systemuser", "teammembership_association") => ("team", null, ("teammemberships", "systemuserid", "teamid")),
            _ => null,
        };
        return found is { } f && Table(f.Target) is { } target ? new CollectionNavigation(name, target, f.Referencing, f.Intersect) : null;
    }

    /// <summary>Columns of every user- or team-owned table: owner, state, status, audit dates (docs/platform/dataverse.md §5).</summary>
    private static EmulatorTable Owned(EmulatorTable table) => table
        .AddLookup("ownerid", "systemuser", "team")
        .AddReadOnlyLookup("owninguser", "systemuser")
        .AddReadOnlyLookup("owningteam", "team")
        .AddReadOnlyLookup("owningbusinessunit", "businessunit")
        .AddReadOnlyLookup("createdby", "systemuser")
        .AddReadOnlyLookup("modifiedby", "systemuser")
        .AddColumn("statecode", EmulatorColumnType.Choice)
        .AddColumn("statuscode", EmulatorColumnType.Choice)

        // "Columns with IsValidForUpdate=False (e.g. activityid, importsequencenumber, overriddencreatedon)"
        // (/tmp/research/dataverse-facts.md §5); createdon/modifiedon are set by the platform.
        .AddReadOnlyColumn("createdon", EmulatorColumnType.DateTime)
        .AddReadOnlyColumn("modifiedon", EmulatorColumnType.DateTime)
        .AddColumn("overriddencreatedon", EmulatorColumnType.DateTime, validForUpdate: false)
        .AddColumn("importsequencenumber", EmulatorColumnType.Integer, validForUpdate: false)
        .AddReadOnlyColumn("versionnumber", EmulatorColumnType.BigInt);

    private static EmulatorTable Address(EmulatorTable table) => table
        .AddColumn("address1_line1", EmulatorColumnType.String, 250)
        .AddColumn("address1_line2", EmulatorColumnType.String, 250)
        .AddColumn("address1_line3", EmulatorColumnType.String, 250)
        .AddColumn("address1_city", EmulatorColumnType.String, 80)
        .AddColumn("address1_county", EmulatorColumnType.String, 50)
        .AddColumn("address1_stateorprovince", EmulatorColumnType.String, 50)
        .AddColumn("address1_postalcode", EmulatorColumnType.String, 20)
        .AddColumn("address1_country", EmulatorColumnType.String, 80)
        .AddReadOnlyColumn("address1_composite", EmulatorColumnType.Memo);

    private static EmulatorTable Contact(EmulatorTable table) => table
        .AddColumn("emailaddress1", EmulatorColumnType.String, 100)
        .AddColumn("emailaddress2", EmulatorColumnType.String, 100)
        .AddColumn("emailaddress3", EmulatorColumnType.String, 100)
        .AddColumn("telephone1", EmulatorColumnType.String, 50)
        .AddColumn("telephone2", EmulatorColumnType.String, 50)
        .AddColumn("telephone3", EmulatorColumnType.String, 50)
        .AddColumn("websiteurl", EmulatorColumnType.String, 200)
        .AddColumn("description", EmulatorColumnType.Memo);

    /// <summary>
    /// Activity columns: "Common columns: subject, description, regardingobjectid (polymorphic lookup), ownerid (systemuser|team),
    /// scheduledstart, scheduledend (task due date), actualstart, actualend, activitytypecode, directioncode (email/phonecall)"
    /// (docs/platform/dataverse.md §5.3).
    /// </summary>
    private static EmulatorTable Activity(EmulatorTable table) => Owned(table)

        // "The length of the 'subject' attribute of the 'task' entity exceeded the maximum allowed length of '200'."
        // (P: execute-batch-operations-using-web-api.md, quoted in /tmp/research/dataverse-facts.md §4).
        .AddColumn("subject", EmulatorColumnType.String, 200)
        .AddColumn("description", EmulatorColumnType.Memo)
        .AddColumn("scheduledstart", EmulatorColumnType.DateTime)
        .AddColumn("scheduledend", EmulatorColumnType.DateTime)
        .AddColumn("actualstart", EmulatorColumnType.DateTime)
        .AddColumn("actualend", EmulatorColumnType.DateTime)
        .AddColumn("scheduleddurationminutes", EmulatorColumnType.Integer)
        .AddColumn("actualdurationminutes", EmulatorColumnType.Integer)
        .AddColumn("prioritycode", EmulatorColumnType.Choice)
        .AddReadOnlyColumn("activitytypecode", EmulatorColumnType.EntityName)
        .AddReadOnlyColumn("sortdate", EmulatorColumnType.DateTime)
        .AddReadOnlyColumn("isregularactivity", EmulatorColumnType.Boolean)
        .AddLookup("regardingobjectid", "account", "contact", "lead", "opportunity", "incident", "systemuser");
}

/// <summary>A collection-valued navigation property: rows of <see cref="Target"/> whose <see cref="ReferencingProperty"/> is the row's id (1:N), or linked through an intersect table (N:N).</summary>
internal sealed record CollectionNavigation(string Name, EmulatorTable Target, string? ReferencingProperty, (string Set, string From, string To)? Intersect)
{
    public bool ManyToMany => Intersect is not null;
}
