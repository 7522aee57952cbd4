namespace CrmGuardrails;

/// <summary>Base type of every record the guards see.</summary>
/// <remarks>Records are immutable: an update produces a new instance (<c>with</c>). Empty strings mean "unknown".</remarks>
public abstract record CrmRecord
{
    /// <summary>Gets the record's id in the host CRM; empty while a record is being created and has none yet.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Gets the id of the user (or team) who owns the record.</summary>
    public string? OwnerId { get; init; }

    /// <summary>Gets the owner's display name when the host returned it with the record, which saves a lookup.</summary>
    public string? OwnerName { get; init; }

    /// <summary>Gets the record's kind.</summary>
    public abstract RecordKind Kind { get; }

    /// <summary>Gets a reference to this record.</summary>
    public RecordRef Ref => new(Kind, Id);

    /// <summary>Gets the name a person would use for this record in a sentence.</summary>
    public abstract string DisplayName { get; }
}

/// <summary>A CRM user.</summary>
public sealed record User : CrmRecord
{
    /// <summary>Gets the user's full name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Gets the id of the user's manager, if any.</summary>
    public string? ManagerId { get; init; }

    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.User;

    /// <inheritdoc />
    public override string DisplayName => Name.Length > 0 ? Name : Id;

    /// <summary>Gets the first word of the user's name, for friendly messages.</summary>
    public string FirstName => PersonName.FirstWord(DisplayName);
}

/// <summary>An organisation: a customer, a prospect or a former customer.</summary>
public sealed record Account : CrmRecord
{
    /// <summary>Gets the account's name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Gets the account's website.</summary>
    public string? Website { get; init; }

    /// <summary>Gets the account's main phone (switchboard).</summary>
    public string? Phone { get; init; }

    /// <summary>Gets the account's general email address.</summary>
    public string? Email { get; init; }

    /// <summary>Gets the street line of the account's address.</summary>
    public string? Street { get; init; }

    /// <summary>Gets the account's city.</summary>
    public string? City { get; init; }

    /// <summary>Gets the account's postal code.</summary>
    public string? PostalCode { get; init; }

    /// <summary>Gets the account's country as an ISO 3166 alpha-2 code.</summary>
    public string? Country { get; init; }

    /// <summary>Gets where the account stands with the company.</summary>
    public AccountStatus Status { get; init; }

    /// <summary>
    /// Gets the id of the parent account, when the account is a site or part of a larger organisation (Dataverse
    /// <c>parentaccountid</c>, Salesforce <c>ParentId</c>). A lead for a new site of the organisation is flagged, never blocked.
    /// </summary>
    public string? ParentId { get; init; }

    /// <summary>
    /// Gets the parent account's name, when known: a lead may name the site with its organisation's name ("Ramsay North
    /// Shore Private Hospital" for "North Shore Private", a site of Ramsay Health Care). The embedded directory and
    /// <c>crmguard</c> fill it from the parent record when it is not given.
    /// </summary>
    public string? ParentName { get; init; }

    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Account;

    /// <inheritdoc />
    public override string DisplayName => Name.Length > 0 ? Name : Id;
}

/// <summary>A person at an account.</summary>
public sealed record Contact : CrmRecord
{
    /// <summary>Gets the id of the contact's account.</summary>
    public string? AccountId { get; init; }

    /// <summary>Gets the contact's first name.</summary>
    public string? FirstName { get; init; }

    /// <summary>Gets the contact's last name.</summary>
    public string? LastName { get; init; }

    /// <summary>Gets the contact's email address.</summary>
    public string? Email { get; init; }

    /// <summary>Gets the contact's phone.</summary>
    public string? Phone { get; init; }

    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Contact;

    /// <inheritdoc />
    public override string DisplayName => PersonName.Format(FirstName, LastName, Id);
}

/// <summary>A prospect not yet qualified.</summary>
public sealed record Lead : CrmRecord
{
    /// <summary>Gets the lead's first name.</summary>
    public string? FirstName { get; init; }

    /// <summary>Gets the lead's last name.</summary>
    public string? LastName { get; init; }

    /// <summary>Gets the lead's company name as typed.</summary>
    public string? Company { get; init; }

    /// <summary>Gets the lead's email address.</summary>
    public string? Email { get; init; }

    /// <summary>Gets the lead's phone.</summary>
    public string? Phone { get; init; }

    /// <summary>Gets the lead's company website.</summary>
    public string? Website { get; init; }

    /// <summary>Gets the street line of the lead's address.</summary>
    public string? Street { get; init; }

    /// <summary>Gets the lead's city.</summary>
    public string? City { get; init; }

    /// <summary>Gets the lead's postal code.</summary>
    public string? PostalCode { get; init; }

    /// <summary>Gets the lead's country as an ISO 3166 alpha-2 code.</summary>
    public string? Country { get; init; }

    /// <summary>Gets where the lead stands.</summary>
    public LeadStatus Status { get; init; }

    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Lead;

    /// <inheritdoc />
    public override string DisplayName
    {
        get
        {
            var person = PersonName.Format(FirstName, LastName, string.Empty);
            if (person.Length == 0)
                return string.IsNullOrWhiteSpace(Company) ? Id : Company!;
            return string.IsNullOrWhiteSpace(Company) ? person : $"{person} ({Company})";
        }
    }
}

/// <summary>A phone call, appointment, email, task, voicemail, chat or SMS.</summary>
public sealed record Activity : CrmRecord
{
    /// <summary>Gets the activity's channel.</summary>
    public ActivityType Type { get; init; }

    /// <summary>Gets who started the activity.</summary>
    public ActivityDirection Direction { get; init; }

    /// <summary>Gets where the activity stands.</summary>
    public ActivityStatus Status { get; init; }

    /// <summary>Gets the record the activity is about, if any.</summary>
    public RecordRef? Regarding { get; init; }

    /// <summary>Gets the customers taking part (recipients, attendees, senders).</summary>
    public IReadOnlyList<RecordRef> Parties { get; init; } = [];

    /// <summary>Gets when the activity is planned to start.</summary>
    public DateTimeOffset? ScheduledStart { get; init; }

    /// <summary>Gets when the activity was created.</summary>
    public DateTimeOffset? CreatedOn { get; init; }

    /// <summary>Gets the subject line. Redacted from verdicts shown to users who may not read it.</summary>
    public string? Subject { get; init; }

    /// <summary>Gets the description or message body. Never put in a verdict shown to another rep.</summary>
    public string? Description { get; init; }

    /// <summary>Gets how many times the scheduled start has been moved so far.</summary>
    /// <remarks>Hosts keep this count on the record (Dataverse: a whole-number column) so that the
    /// <c>reschedule</c> rule can tell a first move from a second.</remarks>
    public int RescheduleCount { get; init; }

    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Activity;

    /// <inheritdoc />
    public override string DisplayName => string.IsNullOrWhiteSpace(Subject) ? ActivityText.Describe(Type) : Subject!;

    /// <summary>Gets a value indicating whether the activity records something that already happened.</summary>
    public bool IsHistory => Status == ActivityStatus.Completed;

    /// <summary>Gets a value indicating whether the activity is a planned call or meeting with a start time.</summary>
    public bool IsPlannedCallOrMeeting =>
        Status == ActivityStatus.Open && ScheduledStart is not null &&
        (Type == ActivityType.PhoneCall || Type == ActivityType.Appointment);

    /// <summary>Gets the regarding record and every party, without repeats.</summary>
    public IEnumerable<RecordRef> Participants
    {
        get
        {
            var seen = new HashSet<RecordRef>();
            if (Regarding is { } regarding && seen.Add(regarding))
                yield return regarding;
            foreach (var party in Parties)
            {
                if (seen.Add(party))
                    yield return party;
            }
        }
    }
}
