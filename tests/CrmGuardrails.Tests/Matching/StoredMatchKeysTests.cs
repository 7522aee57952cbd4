using CrmGuardrails.Embedded;
using CrmGuardrails.Matching;
using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Matching;

/// <summary>
/// Stored keys (what a host keeps in its key table) find what the embedded index finds, and their format does not move
/// without a new version.
/// </summary>
public class StoredMatchKeysTests
{
    [Theory]
    [InlineData("dev")]
    [InlineData("dev-sites")]
    public async Task Choose_KeyTableOfADevelopmentSet_FindsTheEmbeddedIndexsCandidates(string set)
    {
        var folder = SharedFiles.Path("data", "lead-account-bench", set);
        var data = MatchingDataset.Load(Path.Combine(folder, "accounts.csv"), Path.Combine(folder, "contacts.csv"), Path.Combine(folder, "leads.csv"));

        // The key table as a host would fill it, holders in the order they were written.
        var table = new Dictionary<string, List<StoredKeyHolder>>(StringComparer.Ordinal);
        var countries = data.Accounts.ToDictionary(a => a.Id, a => a.Country, StringComparer.Ordinal);
        foreach (var account in data.Accounts)
            Store(table, StoredMatchKeys.Of(account), new StoredKeyHolder(account.Id));
        foreach (var contact in data.Contacts)
            Store(table, StoredMatchKeys.Of(contact, contact.AccountId is { } id && countries.TryGetValue(id, out var c) ? c : null), new StoredKeyHolder(contact.Id, contact.AccountId));

        // The embedded directory with the same (org-independent) word statistics.
        var directory = new InMemoryCrmDirectory(new CrmSnapshot { Accounts = data.Accounts, Contacts = data.Contacts }, StoredMatchKeys.Matcher);
        var differences = new List<string>();
        var found = 0;
        foreach (var lead in data.Leads)
        {
            var keys = StoredMatchKeys.Matcher.GetKeys(lead);
            var embedded = await directory.FindMatchCandidatesAsync(new MatchCandidateQuery { Keys = keys }, CancellationToken.None);
            var lookups = StoredMatchKeys.LookupsFor(keys);
            var choice = StoredMatchKeys.Choose(lookups, l => table.TryGetValue(l.Key, out var holders) ? holders.Take(l.MaxHolders + 1).ToList() : []);

            found += choice.AccountIds.Count;
            if (!embedded.Accounts.Select(a => a.Id).SequenceEqual(choice.AccountIds) || !embedded.Contacts.Select(c => c.Id).SequenceEqual(choice.ContactIds))
                differences.Add($"{lead.Id}: embedded [{string.Join(",", embedded.Accounts.Select(a => a.Id))}] key table [{string.Join(",", choice.AccountIds)}]");
        }

        Assert.True(found > data.Leads.Count, "the key table found almost nothing: the test would prove nothing");
        Assert.True(differences.Count == 0, $"{differences.Count} leads got other candidates:\n" + string.Join("\n", differences.Take(10)));
    }

    [Fact]
    public void Of_Account_WritesVersionedTableScopedKeysOfSixteenCharacters()
    {
        var keys = StoredMatchKeys.Of(new Account { Id = "a", Name = "Müller Maschinenbau GmbH", Website = "https://www.mueller-maschinen.de/", Phone = "+49 30 1234567", Email = "info@mueller-maschinen.de" });

        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.True(StoredMatchKeys.IsCurrent(k) && k.Length == StoredMatchKeys.KeyLength && k.StartsWith($"{StoredMatchKeys.Version}a", StringComparison.Ordinal), k));
        Assert.Contains(keys, k => k[2] == 'n');
        Assert.Contains(keys, k => k[2] == 'd');
        Assert.Contains(keys, k => k[2] == 'p');
        Assert.Contains(keys, k => k[2] == 'e');
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Of_SameCompanyTypedDifferently_SharesTheWholeNameAndPhoneKeys()
    {
        var account = StoredMatchKeys.Of(new Account { Name = "Roberts & Wright Pty Ltd", Phone = "(02) 9374 4000", Country = "AU" });
        var lead = StoredMatchKeys.LookupsFor(StoredMatchKeys.Matcher.GetKeys(new Lead { Company = "Roberts and Wright", Phone = "+61 2 9374 4000", Country = "AU" }))
            .Where(l => l.Table == RecordKind.Account).Select(l => l.Key).ToList();

        var shared = account.Intersect(lead).ToList();
        Assert.Contains(shared, k => k[2] == 'n');
        Assert.Contains(shared, k => k[2] == 'p');
    }

    [Fact]
    public void LookupsFor_PhoneTypedWithoutCountry_AsksForContactsByTheirNationalNumber()
    {
        var contact = StoredMatchKeys.Of(new Contact { Phone = "+44 7700 900123" }, "GB");
        var lead = StoredMatchKeys.LookupsFor(StoredMatchKeys.Matcher.GetKeys(new Lead { LastName = "Dawson", Phone = "07700 900123" }))
            .Where(l => l.Table == RecordKind.Contact).Select(l => l.Key).ToList();

        Assert.Contains(contact, lead.Contains);
    }

    /// <summary>
    /// Keys stored in an org must match the keys asked for by every later release of the same format version: a change
    /// here breaks stored keys. If it is meant, raise <see cref="StoredMatchKeys.Version"/>, say in the changelog that
    /// <c>crmguard dataverse keys --backfill</c> must run again, and update the expected keys.
    /// </summary>
    [Fact]
    public void Of_PinnedRecords_KeepTheirKeysForThisVersion()
    {
        var account = StoredMatchKeys.Of(new Account { Name = "Contoso Pharmaceuticals Ltd", Website = "contoso-pharma.co.uk", Phone = "+44 20 7946 0000", Country = "GB" });
        var contact = StoredMatchKeys.Of(new Contact { Email = "tom@contoso-pharma.co.uk", Phone = "020 7946 0018" }, "GB");

        Assert.Equal(8, StoredMatchKeys.Version);
        Assert.Equal(PinnedAccountKeys, string.Join(" ", account));
        Assert.Equal(PinnedContactKeys, string.Join(" ", contact));
    }

    [Fact]
    public void Of_CountryTypedAsName_GivesTheKeysOfItsCode()
    {
        // A free-text country field ("United Kingdom") reads the national number as the code does: the same phone keys.
        var byCode = StoredMatchKeys.Of(new Account { Name = "Contoso Pharmaceuticals Ltd", Phone = "020 7946 0000", Country = "GB" });
        var byName = StoredMatchKeys.Of(new Account { Name = "Contoso Pharmaceuticals Ltd", Phone = "020 7946 0000", Country = "United Kingdom" });
        var contact = StoredMatchKeys.Of(new Contact { Phone = "020 7946 0018" }, "England");

        Assert.Equal(byCode, byName);
        Assert.Contains(contact, k => k[2] == 'p' && byCode.Any(a => a[2] == 'p' && a.Substring(3) == k.Substring(3)));
    }

    private const string PinnedAccountKeys = "8an2wbm0hthpztep 8an87m0jejjm6ycx 8ana960c2t9vcrqh 8at3kenhag6kn1q2 8ax88ctfcjjrghvb 8ax49qpe5anzfp2g 8ax9s40g7q10qx76 8axfxcwh1pcaf3wd 8axbxxkkw6mj0z9j 8adfx2cmsyg3zk3t 8and4hzfzb5b2qqp 8ap3y3m45vceg8d8 8ap69shbg05wg7cx 8ap5a8zhx1fk0q0k";

    private const string PinnedContactKeys = "8cebmkq7xfbntvx7 8cdfx2cmsyg3zk3t 8cp3y4c25vcemn0s 8cp69shbg05wg7cx 8cp5a843x1fjtttj";

    private static void Store(Dictionary<string, List<StoredKeyHolder>> table, IReadOnlyList<string> keys, StoredKeyHolder holder)
    {
        foreach (var key in keys)
        {
            if (!table.TryGetValue(key, out var holders))
                table[key] = holders = [];
            holders.Add(holder);
        }
    }
}
