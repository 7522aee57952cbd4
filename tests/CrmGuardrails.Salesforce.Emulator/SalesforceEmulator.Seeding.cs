namespace CrmGuardrails.Salesforce.Emulator;

/// <summary>Seeding the org with the guards' records, stored as Salesforce holds them (ids kept as given).</summary>
public sealed partial class SalesforceEmulator
{
    /// <summary>
    /// Stores records as a Salesforce org holds them: an account's status as its <c>Type</c>; a lead's as
    /// <c>IsConverted</c> and <c>Status</c>; calls with a planned time and meetings as Events (<c>Type</c> Call for a
    /// call), other activities as Tasks (<c>TaskSubtype</c> Call or Email, <c>CallType</c> Inbound for an inbound one, a
    /// closed <c>Status</c> for a done or canceled one); the regarding record as <c>WhatId</c>, the first contact or lead
    /// party as <c>WhoId</c>.
    /// </summary>
    /// <param name="records">The records, users and accounts before contacts, contacts before activities.</param>
    public void Seed(IEnumerable<CrmRecord> records)
    {
        foreach (var record in records)
        {
            switch (record)
            {
                case User user:
                    Store.Put("User", new Dictionary<string, object?> { ["Id"] = user.Id, ["Name"] = user.Name, ["ManagerId"] = user.ManagerId });
                    break;
                case Account account:
                    Store.Put("Account", new Dictionary<string, object?>
                    {
                        ["Id"] = account.Id, ["Name"] = account.Name, ["Website"] = account.Website, ["Phone"] = account.Phone, ["CrmG_Email__c"] = account.Email,
                        ["BillingStreet"] = account.Street, ["BillingCity"] = account.City, ["BillingPostalCode"] = account.PostalCode, ["BillingCountry"] = account.Country,
                        ["Type"] = account.Status switch { AccountStatus.Customer => "Customer - Direct", AccountStatus.Prospect => "Prospect", AccountStatus.Former => "Former Customer", _ => null },
                        ["OwnerId"] = account.OwnerId, ["ParentId"] = account.ParentId,
                    });
                    break;
                case Contact contact:
                    Store.Put("Contact", new Dictionary<string, object?>
                    {
                        ["Id"] = contact.Id, ["FirstName"] = contact.FirstName, ["LastName"] = contact.LastName, ["Email"] = contact.Email, ["Phone"] = contact.Phone,
                        ["AccountId"] = contact.AccountId, ["OwnerId"] = contact.OwnerId, ["CrmG_Inactive__c"] = false,
                    });
                    break;
                case Lead lead:
                    Store.Put("Lead", new Dictionary<string, object?>
                    {
                        ["Id"] = lead.Id, ["FirstName"] = lead.FirstName, ["LastName"] = lead.LastName, ["Company"] = lead.Company, ["Email"] = lead.Email, ["Phone"] = lead.Phone,
                        ["Website"] = lead.Website, ["Street"] = lead.Street, ["City"] = lead.City, ["PostalCode"] = lead.PostalCode, ["Country"] = lead.Country, ["OwnerId"] = lead.OwnerId,
                        ["IsConverted"] = lead.Status == LeadStatus.Qualified,
                        ["Status"] = lead.Status switch { LeadStatus.Qualified => "Closed - Converted", LeadStatus.Disqualified => "Closed - Not Converted", _ => "Open - Not Contacted" },
                    });
                    break;
                case Activity activity:
                    SeedActivity(activity);
                    break;
            }
        }
    }

    /// <summary>Marks contacts as having left (<c>CrmG_Inactive__c</c>).</summary>
    /// <param name="contactIds">The contacts.</param>
    public void Deactivate(IEnumerable<string> contactIds)
    {
        foreach (var id in contactIds)
            Store.Patch("Contact", id, new Dictionary<string, object?> { ["CrmG_Inactive__c"] = true });
    }

    /// <summary>Adds users to an account's team (<c>AccountTeamMember</c>).</summary>
    /// <param name="accountId">The account.</param>
    /// <param name="userIds">The members.</param>
    public void SeedAccountTeam(string accountId, IEnumerable<string> userIds)
    {
        foreach (var user in userIds)
            Store.Put("AccountTeamMember", new Dictionary<string, object?> { ["AccountId"] = accountId, ["UserId"] = user, ["TeamMemberRole"] = "Sales Rep" });
    }

    private void SeedActivity(Activity activity)
    {
        var who = activity.Parties.FirstOrDefault(p => p.Kind is RecordKind.Contact or RecordKind.Lead);
        var fields = new Dictionary<string, object?>
        {
            ["Id"] = activity.Id, ["Subject"] = activity.Subject, ["Description"] = activity.Description, ["OwnerId"] = activity.OwnerId,
            ["WhatId"] = activity.Regarding?.Id, ["WhoId"] = who.Id, ["CreatedDate"] = activity.CreatedOn ?? Time.GetUtcNow(), ["CrmG_Reschedules__c"] = (double)activity.RescheduleCount,
        };
        var isEvent = activity.Type == ActivityType.Appointment || (activity.Type == ActivityType.PhoneCall && activity.ScheduledStart is not null && activity.Status == ActivityStatus.Open);
        if (isEvent)
        {
            fields["Type"] = activity.Type == ActivityType.PhoneCall ? "Call" : "Meeting";
            fields["StartDateTime"] = activity.ScheduledStart;
            fields["EndDateTime"] = activity.ScheduledStart?.AddMinutes(30);
            Store.Put("Event", fields);
            return;
        }

        fields["TaskSubtype"] = activity.Type switch { ActivityType.PhoneCall => "Call", ActivityType.Email => "Email", _ => "Task" };
        fields["Type"] = activity.Type switch { ActivityType.Sms => "SMS", ActivityType.Chat => "Chat", ActivityType.Voicemail => "Voicemail", _ => null };
        fields["CallType"] = activity.Direction == ActivityDirection.Inbound ? "Inbound" : "Outbound";
        fields["Status"] = activity.Status switch { ActivityStatus.Completed => "Completed", ActivityStatus.Canceled => "Canceled", _ => "Not Started" };
        fields["ActivityDate"] = activity.ScheduledStart is { } start ? new DateTimeOffset(start.UtcDateTime.Date, TimeSpan.Zero) : null;
        Store.Put("Task", fields);
    }
}
