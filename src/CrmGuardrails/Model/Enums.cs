namespace CrmGuardrails;

/// <summary>Where an account stands with the company.</summary>
public enum AccountStatus
{
    /// <summary>Not known.</summary>
    Unknown = 0,

    /// <summary>Buys from the company today.</summary>
    Customer = 1,

    /// <summary>Being sold to.</summary>
    Prospect = 2,

    /// <summary>Used to buy from the company.</summary>
    Former = 3,
}

/// <summary>Where a lead stands.</summary>
public enum LeadStatus
{
    /// <summary>Being worked.</summary>
    Open = 0,

    /// <summary>Converted into an account, contact or opportunity.</summary>
    Qualified = 1,

    /// <summary>Dropped.</summary>
    Disqualified = 2,
}

/// <summary>The channel of an activity.</summary>
public enum ActivityType
{
    /// <summary>A phone call.</summary>
    PhoneCall = 1,

    /// <summary>A meeting.</summary>
    Appointment = 2,

    /// <summary>An email.</summary>
    Email = 3,

    /// <summary>A task.</summary>
    Task = 4,

    /// <summary>A voicemail.</summary>
    Voicemail = 5,

    /// <summary>A chat conversation.</summary>
    Chat = 6,

    /// <summary>A text message.</summary>
    Sms = 7,
}

/// <summary>Who started an activity.</summary>
public enum ActivityDirection
{
    /// <summary>The company reaches out to the customer.</summary>
    Outbound = 0,

    /// <summary>The customer reaches out to the company.</summary>
    Inbound = 1,
}

/// <summary>Where an activity stands.</summary>
public enum ActivityStatus
{
    /// <summary>Planned or in progress.</summary>
    Open = 0,

    /// <summary>Done: the activity is history.</summary>
    Completed = 1,

    /// <summary>Called off.</summary>
    Canceled = 2,
}
