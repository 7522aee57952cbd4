using CrmGuardrails.Embedded;

namespace CrmGuardrails.Testing;

/// <summary>
/// The small, fixed organisation every directory is seeded with before the contract runs: four users, five accounts
/// (one a site of another), active and inactive contacts, open and closed leads, open, completed and canceled
/// activities, and account teams — typed as real orgs hold them ("Roberts &amp; Wright Pty Ltd", "(206) 555-0150",
/// websites with paths, mixed-case emails).
/// </summary>
/// <remarks>
/// <para>
/// Every record gets a new GUID (lower case, <c>D</c> format) each time <see cref="Create"/> is called, so a host that
/// already holds data (a live org) cannot be confused with it. Names, emails and phones are the same every time.
/// </para>
/// <para>
/// Seed <see cref="Users"/>, <see cref="Accounts"/>, <see cref="Contacts"/>, <see cref="InactiveContacts"/> (as inactive:
/// Dataverse <c>statecode</c> 1), <see cref="Leads"/> (with their <see cref="Lead.Status"/>), <see cref="Activities"/>
/// (with their <see cref="Activity.Status"/>, parties and <see cref="Activity.CreatedOn"/>) and <see cref="AccountTeam"/>.
/// A store that has no inactive contacts (the embedded snapshot) leaves <see cref="InactiveContacts"/> out:
/// <see cref="ToSnapshot"/> does.
/// </para>
/// </remarks>
public sealed class ContractOrg
{
    private ContractOrg()
    {
        ChrisMoore = new User { Id = NewId(), Name = "Chris Moore" };
        MariaLopez = new User { Id = NewId(), Name = "Maria Lopez", ManagerId = ChrisMoore.Id };
        TomBaker = new User { Id = NewId(), Name = "Tom Baker", ManagerId = ChrisMoore.Id };
        PriyaShah = new User { Id = NewId(), Name = "Priya Shah", ManagerId = ChrisMoore.Id };

        RobertsWright = new Account
        {
            Id = NewId(), Name = "Roberts & Wright Pty Ltd", Website = "https://www.robertswright.com.au/about/team", Phone = "(02) 9555 0150",
            Email = "accounts@robertswright.com.au", Street = "Level 4, 12 Pitt St", City = "Sydney", PostalCode = "2000", Country = "AU",
            Status = AccountStatus.Customer, OwnerId = MariaLopez.Id,
        };
        CascadeCoffee = new Account
        {
            Id = NewId(), Name = "Cascade Coffee Roasters, Inc.", Website = "http://cascadecoffee.com/shop/beans?ref=nav", Phone = "(206) 555-0150",
            Street = "1912 Pike Pl", City = "Seattle", PostalCode = "98101", Country = "US", Status = AccountStatus.Customer, OwnerId = PriyaShah.Id,
        };
        CascadePortland = new Account
        {
            Id = NewId(), Name = "Cascade Coffee Roasters - Portland", Website = "cascadecoffee.com/portland", Phone = "(503) 555-0172",
            City = "Portland", Country = "US", Status = AccountStatus.Customer, OwnerId = PriyaShah.Id, ParentId = CascadeCoffee.Id,
        };
        BlueHeron = new Account
        {
            Id = NewId(), Name = "Blue Heron Landscaping", Email = "blueheronlandscaping@gmail.com", City = "Leeds", Country = "GB",
            Status = AccountStatus.Prospect, OwnerId = TomBaker.Id,
        };
        HalcyonPrint = new Account
        {
            Id = NewId(), Name = "Halcyon Print Works Ltd", Website = "www.halcyonprint.co.uk", Phone = "0113 496 0321", City = "Leeds", Country = "GB",
            Status = AccountStatus.Former, OwnerId = MariaLopez.Id,
        };

        JaneDoe = new Contact
        {
            Id = NewId(), AccountId = RobertsWright.Id, FirstName = "Jane", LastName = "Doe", Email = "jane.doe@robertswright.com.au", Phone = "0491 570 156",
            OwnerId = MariaLopez.Id,
        };
        KimWright = new Contact { Id = NewId(), AccountId = RobertsWright.Id, FirstName = "Kim", LastName = "Wright", Email = "kim@wrightadvisory.net", OwnerId = MariaLopez.Id };
        SamLee = new Contact
        {
            Id = NewId(), AccountId = CascadeCoffee.Id, FirstName = "Sam", LastName = "Lee", Email = "sam.lee@cascadecoffee.com", Phone = "(206) 555-0163",
            OwnerId = PriyaShah.Id,
        };
        AnaRuiz = new Contact { Id = NewId(), AccountId = CascadePortland.Id, FirstName = "Ana", LastName = "Ruiz", Email = "ana.ruiz@cascadecoffee.com", OwnerId = PriyaShah.Id };
        PeterNguyen = new Contact
        {
            Id = NewId(), AccountId = RobertsWright.Id, FirstName = "Peter", LastName = "Nguyen", Email = "peter.nguyen@robertswright.com.au", OwnerId = MariaLopez.Id,
        };

        OpenLead = new Lead
        {
            Id = NewId(), FirstName = "Tom", LastName = "Reed", Company = "Roberts and Wright", Email = "Tom.Reed@RobertsWright.com.au", Phone = "+61 2 9555 0188",
            Country = "AU", Status = LeadStatus.Open, OwnerId = TomBaker.Id,
        };
        DisqualifiedLead = new Lead
        {
            Id = NewId(), FirstName = "Tom", LastName = "Reed", Company = "Roberts & Wright Pty Ltd", Email = "tom.reed@robertswright.com.au",
            Status = LeadStatus.Disqualified, OwnerId = PriyaShah.Id,
        };
        QualifiedLead = new Lead
        {
            Id = NewId(), FirstName = "Sam", LastName = "Lee", Company = "Cascade Coffee Roasters", Email = "sam.lee@cascadecoffee.com",
            Status = LeadStatus.Qualified, OwnerId = PriyaShah.Id,
        };
        SecondOpenLead = new Lead
        {
            Id = NewId(), FirstName = "Liam", LastName = "Chen", Company = "Roberts & Wright", Email = "liam.chen@robertswright.com.au",
            Status = LeadStatus.Open, OwnerId = MariaLopez.Id,
        };
        OtherOpenLead = new Lead
        {
            Id = NewId(), FirstName = "Olivia", LastName = "Brown", Company = "Blue Heron Landscaping Ltd", Email = "olivia.brown@outlook.com",
            Status = LeadStatus.Open, OwnerId = MariaLopez.Id,
        };

        OpenCall = new Activity
        {
            Id = NewId(), Type = ActivityType.PhoneCall, Direction = ActivityDirection.Outbound, Status = ActivityStatus.Open, Subject = "Renewal call",
            Regarding = RobertsWright.Ref, Parties = [JaneDoe.Ref], ScheduledStart = At(2025, 3, 12, 9, 30), CreatedOn = At(2025, 3, 10, 8, 0), OwnerId = TomBaker.Id,
        };
        CompletedCall = new Activity
        {
            Id = NewId(), Type = ActivityType.PhoneCall, Direction = ActivityDirection.Outbound, Status = ActivityStatus.Completed, Subject = "Introductory call",
            Regarding = RobertsWright.Ref, Parties = [JaneDoe.Ref], CreatedOn = At(2025, 2, 3, 14, 0), OwnerId = MariaLopez.Id,
        };
        InboundEmail = new Activity
        {
            Id = NewId(), Type = ActivityType.Email, Direction = ActivityDirection.Inbound, Status = ActivityStatus.Open, Subject = "Wholesale pricing?",
            Parties = [SamLee.Ref], CreatedOn = At(2025, 3, 11, 16, 20), OwnerId = PriyaShah.Id,
        };
        OldMeeting = new Activity
        {
            Id = NewId(), Type = ActivityType.Appointment, Direction = ActivityDirection.Outbound, Status = ActivityStatus.Open, Subject = "Tasting session",
            Regarding = CascadeCoffee.Ref, Parties = [SamLee.Ref], ScheduledStart = At(2025, 1, 20, 17, 0), CreatedOn = At(2025, 1, 5, 10, 0), OwnerId = PriyaShah.Id,
        };
        CanceledTask = new Activity
        {
            Id = NewId(), Type = ActivityType.Task, Direction = ActivityDirection.Outbound, Status = ActivityStatus.Canceled, Subject = "Send samples",
            Regarding = CascadeCoffee.Ref, CreatedOn = At(2025, 3, 1, 9, 0), OwnerId = TomBaker.Id,
        };

        Users = [ChrisMoore, MariaLopez, TomBaker, PriyaShah];
        Accounts = [RobertsWright, CascadeCoffee, CascadePortland, BlueHeron, HalcyonPrint];
        Contacts = [JaneDoe, KimWright, SamLee, AnaRuiz];
        InactiveContacts = [PeterNguyen];
        Leads = [OpenLead, SecondOpenLead, DisqualifiedLead, QualifiedLead, OtherOpenLead];
        Activities = [OpenCall, CompletedCall, InboundEmail, OldMeeting, CanceledTask];
        AccountTeam =
        [
            new AccountTeamMember(RobertsWright.Id, TomBaker.Id),
            new AccountTeamMember(RobertsWright.Id, PriyaShah.Id),
            new AccountTeamMember(CascadeCoffee.Id, MariaLopez.Id),
        ];
    }

    /// <summary>Gets the sales manager (no manager of his own).</summary>
    public User ChrisMoore { get; }

    /// <summary>Gets the owner of Roberts &amp; Wright and Halcyon Print Works, on Cascade Coffee's team.</summary>
    public User MariaLopez { get; }

    /// <summary>Gets a rep on Roberts &amp; Wright's team, owner of Blue Heron Landscaping and of the open lead.</summary>
    public User TomBaker { get; }

    /// <summary>Gets the owner of both Cascade Coffee accounts, on Roberts &amp; Wright's team.</summary>
    public User PriyaShah { get; }

    /// <summary>Gets "Roberts &amp; Wright Pty Ltd" (Sydney, AU): a customer with a website with a path, a phone in national format and an email.</summary>
    public Account RobertsWright { get; }

    /// <summary>Gets "Cascade Coffee Roasters, Inc." (Seattle, US), phone "(206) 555-0150", website with a path and a query.</summary>
    public Account CascadeCoffee { get; }

    /// <summary>Gets "Cascade Coffee Roasters - Portland": a site of <see cref="CascadeCoffee"/> (its parent) on the same web domain.</summary>
    public Account CascadePortland { get; }

    /// <summary>Gets "Blue Heron Landscaping" (Leeds, GB): a prospect known only by a free-mail address.</summary>
    public Account BlueHeron { get; }

    /// <summary>Gets "Halcyon Print Works Ltd" (Leeds, GB): a former customer (an inactive account in Dataverse).</summary>
    public Account HalcyonPrint { get; }

    /// <summary>Gets Jane Doe, an active contact of Roberts &amp; Wright (email on its domain, Australian mobile).</summary>
    public Contact JaneDoe { get; }

    /// <summary>Gets Kim Wright, an active contact of Roberts &amp; Wright whose email is on another domain (her own consultancy).</summary>
    public Contact KimWright { get; }

    /// <summary>Gets Sam Lee, an active contact of Cascade Coffee.</summary>
    public Contact SamLee { get; }

    /// <summary>Gets Ana Ruiz, an active contact of the Portland site.</summary>
    public Contact AnaRuiz { get; }

    /// <summary>Gets Peter Nguyen, an inactive contact of Roberts &amp; Wright (he left): never among an account's contacts.</summary>
    public Contact PeterNguyen { get; }

    /// <summary>Gets the open lead: Tom Reed at "Roberts and Wright", email typed in mixed case.</summary>
    public Lead OpenLead { get; }

    /// <summary>Gets a second open lead for Roberts &amp; Wright (Liam Chen, another rep's).</summary>
    public Lead SecondOpenLead { get; }

    /// <summary>Gets a disqualified lead with the same person and email as <see cref="OpenLead"/>: never an open lead.</summary>
    public Lead DisqualifiedLead { get; }

    /// <summary>Gets a qualified (converted) lead for Cascade Coffee: never an open lead.</summary>
    public Lead QualifiedLead { get; }

    /// <summary>Gets an open lead for another company (Blue Heron Landscaping Ltd, free-mail address).</summary>
    public Lead OtherOpenLead { get; }

    /// <summary>Gets an open outbound phone call regarding Roberts &amp; Wright with Jane Doe, created 2025-03-10.</summary>
    public Activity OpenCall { get; }

    /// <summary>Gets a completed phone call regarding Roberts &amp; Wright with Jane Doe: history, never open.</summary>
    public Activity CompletedCall { get; }

    /// <summary>Gets an open inbound email from Sam Lee regarding nothing (found by its party only), created 2025-03-11.</summary>
    public Activity InboundEmail { get; }

    /// <summary>Gets an open outbound appointment regarding Cascade Coffee with Sam Lee, created 2025-01-05.</summary>
    public Activity OldMeeting { get; }

    /// <summary>Gets a canceled task regarding Cascade Coffee: never open.</summary>
    public Activity CanceledTask { get; }

    /// <summary>Gets the users.</summary>
    public IReadOnlyList<User> Users { get; }

    /// <summary>Gets the accounts.</summary>
    public IReadOnlyList<Account> Accounts { get; }

    /// <summary>Gets the active contacts.</summary>
    public IReadOnlyList<Contact> Contacts { get; }

    /// <summary>Gets the inactive contacts: seed them as inactive, or leave them out where the store has no such state.</summary>
    public IReadOnlyList<Contact> InactiveContacts { get; }

    /// <summary>Gets the leads, open and closed.</summary>
    public IReadOnlyList<Lead> Leads { get; }

    /// <summary>Gets the activities, open, completed and canceled.</summary>
    public IReadOnlyList<Activity> Activities { get; }

    /// <summary>Gets the account teams' members (owners are not members).</summary>
    public IReadOnlyList<AccountTeamMember> AccountTeam { get; }

    /// <summary>Gets every record (users, accounts, active and inactive contacts, leads, activities), in that order: the order to seed them in.</summary>
    public IReadOnlyList<CrmRecord> Records =>
        [.. Users, .. Accounts, .. Contacts, .. InactiveContacts, .. Leads, .. Activities];

    /// <summary>Creates the organisation, with new ids.</summary>
    /// <returns>The organisation.</returns>
    public static ContractOrg Create() => new();

    /// <summary>Gets the organisation as an embedded snapshot (without <see cref="InactiveContacts"/>, which a snapshot cannot hold).</summary>
    /// <returns>The snapshot.</returns>
    public CrmSnapshot ToSnapshot() => new()
    {
        Users = Users,
        Accounts = Accounts,
        Contacts = Contacts,
        Leads = Leads,
        Activities = Activities,
        AccountTeam = AccountTeam,
    };

    /// <summary>Gets the account of an id.</summary>
    /// <param name="accountId">The id.</param>
    /// <returns>The account.</returns>
    public Account AccountOf(string accountId) =>
        Accounts.FirstOrDefault(a => string.Equals(a.Id, accountId, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"No account of the contract org has the id '{accountId}'.", nameof(accountId));

    private static string NewId() => Guid.NewGuid().ToString("D");

    private static DateTimeOffset At(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);
}
