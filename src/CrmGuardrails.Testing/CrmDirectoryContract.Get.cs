using CrmGuardrails.Testing.Internal;

namespace CrmGuardrails.Testing;

/// <summary>GetAsync: one record by reference, or <see langword="null"/>.</summary>
public abstract partial class CrmDirectoryContract
{
    /// <summary>An account is returned with the fields the guards read: name, website, phone, email, city, country, status and owner.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task GetAsync_Account_ReturnsTheAccountAsStored()
    {
        var expect = new Expect();
        var stored = Org.RobertsWright;

        var found = await Directory.GetAsync(stored.Ref, CancellationToken.None);

        if (found is not Account account)
        {
            expect.Fail($"GetAsync({stored.Ref}): expected the account, got {Expect.Describe(found)}.");
            expect.Verify();
            return;
        }

        expect.True(Expect.SameId(stored.Id, account.Id), $"GetAsync({stored.Ref}): expected the id {stored.Id}, got {account.Id}.");
        expect.Equal(stored.Name, account.Name, "Name");
        expect.Equal(stored.Website, account.Website, "Website");
        expect.Equal(stored.Phone, account.Phone, "Phone");
        expect.SameText(stored.Email, account.Email, "Email");
        expect.Equal(stored.City, account.City, "City");
        expect.Equal(stored.Country, account.Country, "Country");
        expect.Equal(stored.Status, account.Status, "Status");
        expect.True(Expect.SameId(stored.OwnerId, account.OwnerId), $"OwnerId: expected {stored.OwnerId}, got {account.OwnerId ?? "null"}.");
        expect.Verify();
    }

    /// <summary>Every account comes back with its own status (customer, prospect, former) and a site with its parent.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task GetAsync_Accounts_ReturnTheirStatusAndParent()
    {
        var expect = new Expect();
        foreach (var stored in Org.Accounts)
        {
            var found = await Directory.GetAsync(stored.Ref, CancellationToken.None) as Account;
            if (found is null)
            {
                expect.Fail($"GetAsync({stored.Ref}) '{stored.Name}': expected the account, got null.");
                continue;
            }

            expect.Equal(stored.Status, found.Status, $"'{stored.Name}' Status");
            expect.True(Expect.SameId(stored.ParentId, found.ParentId), $"'{stored.Name}' ParentId: expected {stored.ParentId ?? "null"}, got {found.ParentId ?? "null"}.");
        }

        expect.Verify();
    }

    /// <summary>A contact is returned with its account, names, email and phone.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task GetAsync_Contact_ReturnsTheContactWithItsAccount()
    {
        var expect = new Expect();
        foreach (var stored in new[] { Org.JaneDoe, Org.KimWright })
        {
            var found = await Directory.GetAsync(stored.Ref, CancellationToken.None);
            if (found is not Contact contact)
            {
                expect.Fail($"GetAsync({stored.Ref}) '{stored.DisplayName}': expected the contact, got {Expect.Describe(found)}.");
                continue;
            }

            expect.True(Expect.SameId(stored.Id, contact.Id), $"'{stored.DisplayName}' Id: expected {stored.Id}, got {contact.Id}.");
            expect.True(Expect.SameId(stored.AccountId, contact.AccountId), $"'{stored.DisplayName}' AccountId: expected {stored.AccountId}, got {contact.AccountId ?? "null"}.");
            expect.Equal(stored.FirstName, contact.FirstName, $"'{stored.DisplayName}' FirstName");
            expect.Equal(stored.LastName, contact.LastName, $"'{stored.DisplayName}' LastName");
            expect.SameText(stored.Email, contact.Email, $"'{stored.DisplayName}' Email");
            expect.Equal(stored.Phone, contact.Phone, $"'{stored.DisplayName}' Phone");
        }

        expect.Verify();
    }

    /// <summary>Leads, open and closed, are returned with their company, email, owner and status.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task GetAsync_Lead_ReturnsTheLeadWithItsStatus()
    {
        var expect = new Expect();
        foreach (var stored in Org.Leads)
        {
            var found = await Directory.GetAsync(stored.Ref, CancellationToken.None);
            if (found is not Lead lead)
            {
                expect.Fail($"GetAsync({stored.Ref}) '{stored.DisplayName}': expected the lead, got {Expect.Describe(found)}.");
                continue;
            }

            expect.True(Expect.SameId(stored.Id, lead.Id), $"'{stored.DisplayName}' Id: expected {stored.Id}, got {lead.Id}.");
            expect.Equal(stored.Company, lead.Company, $"'{stored.DisplayName}' Company");
            expect.SameText(stored.Email, lead.Email, $"'{stored.DisplayName}' Email");
            expect.Equal(stored.LastName, lead.LastName, $"'{stored.DisplayName}' LastName");
            expect.Equal(stored.Status, lead.Status, $"'{stored.DisplayName}' Status");
            expect.True(Expect.SameId(stored.OwnerId, lead.OwnerId), $"'{stored.DisplayName}' OwnerId: expected {stored.OwnerId}, got {lead.OwnerId ?? "null"}.");
        }

        expect.Verify();
    }

    /// <summary>Activities are returned with their type, direction, status, regarding record, parties, times and owner.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task GetAsync_Activity_ReturnsTypeDirectionStatusRegardingAndParties()
    {
        var expect = new Expect();
        foreach (var stored in Org.Activities)
        {
            var found = await Directory.GetAsync(stored.Ref, CancellationToken.None);
            var name = $"'{stored.Subject}'";
            if (found is not Activity activity)
            {
                expect.Fail($"GetAsync({stored.Ref}) {name}: expected the activity, got {Expect.Describe(found)}.");
                continue;
            }

            expect.True(Expect.SameId(stored.Id, activity.Id), $"{name} Id: expected {stored.Id}, got {activity.Id}.");
            expect.Equal(stored.Type, activity.Type, $"{name} Type");
            expect.Equal(stored.Direction, activity.Direction, $"{name} Direction");
            expect.Equal(stored.Status, activity.Status, $"{name} Status");
            expect.Equal(stored.Subject, activity.Subject, $"{name} Subject");
            expect.Equal(stored.ScheduledStart, activity.ScheduledStart, $"{name} ScheduledStart");
            expect.True(Expect.SameId(stored.OwnerId, activity.OwnerId), $"{name} OwnerId: expected {stored.OwnerId}, got {activity.OwnerId ?? "null"}.");
            if (stored.Regarding is { } regarding)
                expect.True(Expect.SameRef(activity.Regarding, regarding), $"{name} Regarding: expected {regarding}, got {activity.Regarding?.ToString() ?? "null"}.");
            else
                expect.True(activity.Regarding is null, $"{name} Regarding: expected none, got {activity.Regarding}.");
            foreach (var party in stored.Parties)
                expect.True(activity.Parties.Any(p => Expect.SameRef(p, party)), $"{name} Parties: expected {party} among them, got [{string.Join(", ", activity.Parties)}].");
        }

        expect.Verify();
    }

    /// <summary>A user is returned with its name and manager.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task GetAsync_User_ReturnsNameAndManager()
    {
        var expect = new Expect();
        foreach (var stored in Org.Users)
        {
            var found = await Directory.GetAsync(stored.Ref, CancellationToken.None);
            if (found is not User user)
            {
                expect.Fail($"GetAsync({stored.Ref}) '{stored.Name}': expected the user, got {Expect.Describe(found)}.");
                continue;
            }

            expect.True(Expect.SameId(stored.Id, user.Id), $"'{stored.Name}' Id: expected {stored.Id}, got {user.Id}.");
            expect.Equal(stored.Name, user.Name, $"'{stored.Name}' Name");
            expect.True(Expect.SameId(stored.ManagerId, user.ManagerId), $"'{stored.Name}' ManagerId: expected {stored.ManagerId ?? "null"}, got {user.ManagerId ?? "null"}.");
        }

        expect.Verify();
    }

    /// <summary>A reference of <see cref="RecordKind.Unknown"/> kind finds the record whatever its kind ("asks the directory to find the kind").</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task GetAsync_UnknownKind_FindsTheRecordOfAnyKind()
    {
        var expect = new Expect();
        foreach (var stored in new CrmRecord[] { Org.RobertsWright, Org.JaneDoe, Org.OpenLead, Org.OpenCall, Org.TomBaker })
        {
            var found = await Directory.GetAsync(new RecordRef(RecordKind.Unknown, stored.Id), CancellationToken.None);
            expect.True(
                found is not null && found.Kind == stored.Kind && Expect.SameId(found.Id, stored.Id),
                $"GetAsync(unknown:{stored.Id}), the id of {Expect.Describe(stored)}: expected that {stored.Kind}, got {Expect.Describe(found)}.");
        }

        expect.Verify();
    }

    /// <summary>An id that no record has answers <see langword="null"/>, for every kind.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task GetAsync_MissingId_ReturnsNull()
    {
        var expect = new Expect();
        foreach (var kind in AllKinds)
        {
            var reference = new RecordRef(kind, Guid.NewGuid().ToString("D"));
            var found = await Directory.GetAsync(reference, CancellationToken.None);
            expect.True(found is null, $"GetAsync({reference}), an id no record has: expected null, got {Expect.Describe(found)}.");
        }

        expect.Verify();
    }

    /// <summary>A malformed id (empty, not an id of the host, an injection attempt) answers <see langword="null"/> and never throws.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task GetAsync_MalformedId_ReturnsNullWithoutThrowing()
    {
        var expect = new Expect();
        var ids = new[]
        {
            string.Empty, " ", "not-a-guid", "a-contoso", Org.RobertsWright.Id + "'", "' or 1 eq 1 or name eq '", "<fetch/>", "%27%20or%201%20eq%201",
            Org.RobertsWright.Id + ")", "../accounts", "00000000-0000-0000-0000-000000000000",
        };
        foreach (var kind in AllKinds)
        {
            foreach (var id in ids)
            {
                var reference = new RecordRef(kind, id);
                try
                {
                    var found = await Directory.GetAsync(reference, CancellationToken.None);
                    expect.True(found is null, $"GetAsync({reference}): expected null, got {Expect.Describe(found)}.");
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    expect.Fail($"GetAsync({reference}): expected null, but it threw {ex.GetType().Name}: {ex.Message}");
                }
            }
        }

        expect.Verify();
    }

    /// <summary>A reference names a kind: the id of a record of another kind answers <see langword="null"/>.</summary>
    /// <returns>A task that completes when the fact has been checked.</returns>
    [ContractFact]
    public async Task GetAsync_IdOfAnotherKind_ReturnsNull()
    {
        var expect = new Expect();
        var references = new[]
        {
            new RecordRef(RecordKind.Contact, Org.RobertsWright.Id),
            new RecordRef(RecordKind.Account, Org.JaneDoe.Id),
            new RecordRef(RecordKind.Activity, Org.OpenLead.Id),
            new RecordRef(RecordKind.Lead, Org.OpenCall.Id),
            new RecordRef(RecordKind.Account, Org.TomBaker.Id),
            new RecordRef(RecordKind.User, Org.RobertsWright.Id),
        };
        foreach (var reference in references)
        {
            var found = await Directory.GetAsync(reference, CancellationToken.None);
            expect.True(found is null, $"GetAsync({reference}), the id of a record of another kind: expected null, got {Expect.Describe(found)}.");
        }

        expect.Verify();
    }

    private static readonly RecordKind[] AllKinds =
        [RecordKind.Account, RecordKind.Contact, RecordKind.Lead, RecordKind.Activity, RecordKind.User, RecordKind.Unknown];
}
