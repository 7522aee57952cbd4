namespace CrmGuardrails.Matching.Bulk;

/// <summary>
/// Runs a few records of every shape through the matcher once: the reference data loads, the phone library reads its
/// metadata and the code compiles (a published tool compiles everything on first use). A run calls it on a spare core
/// while it reads its files, so that work is not done later while every core waits for it.
/// </summary>
internal static class MatchingWarmUp
{
    /// <summary>Input from which a run warms up on a spare core: below it, reading takes less time than warming up would.</summary>
    public const long MinInputBytes = 16 << 20;

    /// <summary>Starts <see cref="Run"/> on the thread pool when the input is large enough to be worth it.</summary>
    /// <param name="inputBytes">The size of the files the run reads.</param>
    public static void StartFor(long inputBytes)
    {
        if (inputBytes >= MinInputBytes)
            _ = Task.Run(Run);
    }

    public static void Run()
    {
        try
        {
            var accounts = new List<Account>
            {
                new() { Id = "a1", Name = "Contoso Pharmaceuticals Ltd", Website = "https://www.contoso.co.uk/en", Phone = "+44 20 7946 0958", Email = "info@contoso.co.uk", Street = "1 High St", City = "London", PostalCode = "EC1A 1BB", Country = "GB" },
                new() { Id = "a2", Name = "Fabrikam, Inc. - Redmond Campus", Website = "fabrikam.com", Phone = "(425) 555-0100", Street = "One Microsoft Way", City = "Redmond", PostalCode = "98052", Country = "US" },
                new() { Id = "a3", Name = "Müller Maschinenbau GmbH", Phone = "0049 30 1234567", Street = "Hauptstraße 5", City = "Berlin", Country = "DE", ParentId = "a4" },
                new() { Id = "a4", Name = "Müller Gruppe AG", Phone = "030 1234560", City = "Berlin", Country = "DE" },
            };
            var contacts = new List<Contact>
            {
                new() { Id = "c1", AccountId = "a1", FirstName = "Jane", LastName = "Doe", Email = "jane.doe@contoso.co.uk", Phone = "020 7946 0959" },
                new() { Id = "c2", AccountId = "a2", FirstName = "Robert", LastName = "Ng", Email = "bob@fabrikam.com", Phone = "425-555-0101 x12" },
            };
            var matcher = new BulkMatcher(accounts, contacts);
            Lead[] leads =
            [
                new() { Id = "l1", FirstName = "Jane", LastName = "Doe", Company = "Contoso Pharma", Email = "jane.doe+web@contoso.co.uk", Country = "United Kingdom" },
                new() { Id = "l2", FirstName = "Bob", LastName = "Ng", Company = "Fabrikam Redmond", Phone = "+1 425 555 0100", City = "Redmond, WA", Country = "US" },
                new() { Id = "l3", Company = "Mueller Maschinenbau", Street = "Hauptstr. 5", City = "Berlin", Country = "DE" },
                new() { Id = "l4", Company = "Яндекс", Email = "someone@gmail.com", Website = "facebook.com/yandex", Country = "RU" },
            ];
            matcher.MatchAll(leads);
            foreach (var lead in leads)
                matcher.FindBestAccount(lead);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A warm-up that fails costs nothing but the time it saves.
        }
    }
}
