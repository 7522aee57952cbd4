using CrmGuardrails.Embedded;
using CrmGuardrails.Matching;
using CrmGuardrails.Matching.Index;
using CrmGuardrails.Tests.TestSupport;

namespace CrmGuardrails.Tests.Matching;

/// <summary>
/// The path a save takes (the existing-customer rule asking the embedded directory) and <c>crmguard match</c> decide
/// alike, and the directory finds the right candidates however crowded the org.
/// </summary>
public class GuardPathTests
{
    [Theory]
    [InlineData("dev")]
    [InlineData("dev-sites")]
    public async Task GuardPath_DevelopmentSet_DecidesEveryLeadAsTheBulkMatcher(string set)
    {
        var folder = SharedFiles.Path("data", "lead-account-bench", set);
        var data = MatchingDataset.Load(Path.Combine(folder, "accounts.csv"), Path.Combine(folder, "contacts.csv"), Path.Combine(folder, "leads.csv"));
        var bulk = new BulkMatcher(data.Accounts, data.Contacts).MatchAll(data.Leads);

        // As bench_to_replay.py sets the org up: every account a customer of its rep, every lead a prospector's.
        var owners = data.Accounts.Select(a => a.OwnerId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var directory = new InMemoryCrmDirectory(new CrmSnapshot
        {
            Users = owners.Select(o => new User { Id = o, Name = "Rep " + o }).Append(new User { Id = "prospector", Name = "Pat Prospector" }).ToList(),
            Accounts = data.Accounts.Select(a => a with { Status = AccountStatus.Customer }).ToList(),
            Contacts = data.Contacts,
        });
        var pipeline = new GuardPipelineBuilder { Directory = directory }.AddExistingCustomerGuard().Build();

        var differences = new List<string>();
        for (var i = 0; i < data.Leads.Count; i++)
        {
            var lead = data.Leads[i];
            var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(lead with { Id = string.Empty, OwnerId = "prospector" }, "prospector"));
            var account = result.Findings.FirstOrDefault()?.Collision?.Record.Id;
            if (result.Verdict != bulk[i].Verdict || account != bulk[i].AccountId)
                differences.Add($"{lead.Id}: guard path {result.Verdict} {account}, bulk {bulk[i].Verdict} {bulk[i].AccountId}");
        }

        Assert.True(differences.Count == 0, $"{differences.Count} leads decided differently:\n" + string.Join("\n", differences.Take(20)));
    }

    [Fact]
    public async Task FindAccounts_CommonFirstWord_NeverCrowdsOutTheAccountWithTheLeadsDomain()
    {
        // Seventy accounts share the lead's first word and sort before the right one by id.
        var crowd = Enumerable.Range(0, 70).Select(i => new Account { Id = $"a{i:000}", Name = $"Silver Lake {Word(i)} Partners", OwnerId = "u1" });
        var right = new Account { Id = "z-right", Name = "Silver Lake Logistics", Website = "silverlakelogistics.com", OwnerId = "u1" };
        var directory = new InMemoryCrmDirectory(new CrmSnapshot { Users = [new User { Id = "u1", Name = "Rep" }], Accounts = [.. crowd, right] });
        var keys = directory.Matcher.GetKeys(new Lead { Company = "Silver Lake", Email = "jo@silverlakelogistics.com" });

        var found = (await directory.FindMatchCandidatesAsync(new MatchCandidateQuery { Keys = keys }, CancellationToken.None)).Accounts;

        Assert.Contains(found, a => a.Id == "z-right");
        Assert.True(found.Count <= new MatchCandidateQuery().MaxAccounts);
    }

    [Fact]
    public async Task FindOpenLeads_CommonFirstWord_NeverCrowdsOutTheLeadWithTheSameEmail()
    {
        // Seventy open leads share the company's first word and sort before the duplicate by id.
        var crowd = Enumerable.Range(0, 70).Select(i => new Lead { Id = $"l{i:000}", Company = $"Silver Lake {Word(i)} Partners", LastName = "Other", OwnerId = "u1" });
        var duplicate = new Lead { Id = "z-dup", Company = "Silver Lake Logistics", FirstName = "Jo", LastName = "Park", Email = "jo@silverlakelogistics.com", OwnerId = "u2" };
        var directory = new InMemoryCrmDirectory(new CrmSnapshot
        {
            Users = [new User { Id = "u1", Name = "Rep One" }, new User { Id = "u2", Name = "Rep Two" }, new User { Id = "u3", Name = "Rep Three" }],
            Leads = [.. crowd, duplicate],
        });
        var pipeline = new GuardPipelineBuilder { Directory = directory }.AddDuplicateLeadGuard().Build();

        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(new Lead { Company = "Silver Lake", FirstName = "Jo", LastName = "Park", Email = "jo@silverlakelogistics.com", OwnerId = "u3" }, "u3"));

        Assert.Equal(Verdict.Block, result.Verdict);
        Assert.Equal("z-dup", result.Findings.Single().Collision?.Record.Id);
    }

    [Fact]
    public async Task FindOpenLeads_ClosedOrReplacedLead_IsNoLongerFound()
    {
        var lead = new Lead { Id = "l1", Company = "Kamirotex GmbH", Email = "ana@kamirotex.de", OwnerId = "u1" };
        var directory = new InMemoryCrmDirectory(new CrmSnapshot { Users = [new User { Id = "u1", Name = "Rep" }], Leads = [lead] });
        var query = new LeadQuery { Emails = ["ana@kamirotex.de"], CompanyKeys = directory.Matcher.GetKeys(lead) };
        Assert.Single(await directory.FindOpenLeadsAsync(query, CancellationToken.None));

        directory.Upsert(lead with { Email = "ana@other.example", Company = "Other Works" });
        Assert.Empty(await directory.FindOpenLeadsAsync(query, CancellationToken.None));

        directory.Upsert(lead with { Status = LeadStatus.Qualified });
        Assert.Empty(await directory.FindOpenLeadsAsync(query, CancellationToken.None));

        directory.Upsert(lead);
        Assert.Equal("l1", Assert.Single(await directory.FindOpenLeadsAsync(query, CancellationToken.None)).Id);
    }

    [Theory]
    [InlineData("Henry Booth House - Taylor Day School")]
    [InlineData("RUB L.L.C.")]
    [InlineData("Kamriotex")]
    [InlineData("Libeerty Capital Partners GmbH")]
    [InlineData("Müller & Söhne")]
    [InlineData("Вектор Телеком")]
    public void GetKeys_NameKeysHashedAtOnce_AreTheHashesOfTheirText(string company)
    {
        var keys = RecordMatcher.CreateDefault().GetKeys(new Lead { Company = company }).NameKeys;

        var hashed = Assert.IsType<NameKeyList>(keys).Hashed;
        var fromText = keys.Select(k => new MatchKey(KeyHash.Of(k), MatchKey.KindOfNameKey(k))).ToList();

        Assert.NotEmpty(fromText);
        Assert.Equal(fromText, hashed);
    }

    [Fact]
    public void GetKeys_OneWordNameWithATypo_SharesATypoKey()
    {
        var matcher = RecordMatcher.CreateDefault();

        var account = matcher.GetKeys(new Account { Name = "Kamirotex GmbH" });
        var lead = matcher.GetKeys(new Lead { Company = "Kamriotex" });

        Assert.Contains(lead.NameKeys.Intersect(account.NameKeys), k => k.StartsWith("x:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Libeerty Capital", "Liberty Capital")]
    [InlineData("Northern Chemials", "Northern Chemicals")]
    [InlineData("Lkaeview Oil PLC", "Lakeview Oil PLC")]
    [InlineData("Blewave Environmental SARL", "Bluewave Environmental SARL")]
    public void GetKeys_SeveralWordsOneMisspelt_ShareATypoKey(string lead, string account)
    {
        var matcher = RecordMatcher.CreateDefault();

        var shared = matcher.GetKeys(new Lead { Company = lead }).NameKeys.Intersect(matcher.GetKeys(new Account { Name = account }).NameKeys);

        Assert.Contains(shared, k => k.StartsWith("x:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FindAccounts_CommonWordsOneMisspelt_FindsTheAccountAmongACrowd()
    {
        // Every word is common: no rare word to find it by, and "Capital" alone is shared by sixty accounts.
        var crowd = Enumerable.Range(0, 60).Select(i => new Account { Id = $"a{i:000}", Name = $"{Word(i)} Capital", OwnerId = "u1" });
        var right = new Account { Id = "z-right", Name = "Liberty Capital", City = "Munich", OwnerId = "u1" };
        var directory = new InMemoryCrmDirectory(new CrmSnapshot { Users = [new User { Id = "u1", Name = "Rep" }], Accounts = [.. crowd, right] });
        var keys = directory.Matcher.GetKeys(new Lead { Company = "Libeerty Capital", City = "Munich" });

        var found = (await directory.FindMatchCandidatesAsync(new MatchCandidateQuery { Keys = keys }, CancellationToken.None)).Accounts;

        Assert.Contains(found, a => a.Id == "z-right");
    }

    [Theory]
    [InlineData("Granite Oil Pty Ldt", "Granite Oil Pty Ltd")]
    [InlineData("Sydralex Pty. LLtd.", "Sydralex Pty. Ltd.")]
    [InlineData("Howard & Sons Crp", "Howard & Sons Corp")]
    public void NormalizedName_SlipInAShortLegalForm_IsStillTheLegalForm(string lead, string account)
    {
        var matcher = RecordMatcher.CreateDefault();

        Assert.Equal(matcher.GetKeys(new Account { Name = account }).NormalizedName, matcher.GetKeys(new Lead { Company = lead }).NormalizedName);
    }

    [Theory]
    [InlineData("Golden Crop", "golden crop")]
    [InlineData("Robo Cop", "robo cop")]
    public void NormalizedName_WordThatLooksLikeASlippedForm_IsKept(string name, string normalized)
    {
        Assert.Equal(normalized, RecordMatcher.CreateDefault().GetKeys(new Lead { Company = name }).NormalizedName);
    }

    [Theory]
    [InlineData("RUB L.L.C.", "Rapid Urban Builders L.L.C.")]
    [InlineData("Rapid Urban Builders", "RUB LLC")]
    public void GetKeys_AcronymAndItsLongForm_ShareAnAcronymKey(string lead, string account)
    {
        var matcher = RecordMatcher.CreateDefault();

        var shared = matcher.GetKeys(new Lead { Company = lead }).NameKeys.Intersect(matcher.GetKeys(new Account { Name = account }).NameKeys);

        Assert.Contains("a:rub", shared);
    }

    [Fact]
    public void MatchAccount_AcronymAlone_IsNotABlockButWithTheDomainItIs()
    {
        var matcher = RecordMatcher.CreateDefault();
        var account = new Account { Id = "a", Name = "Rapid Urban Builders L.L.C.", Website = "rub-builders.com" };

        var alone = matcher.MatchAccount(new Lead { Company = "RUB L.L.C." }, [account], []);
        var withDomain = matcher.MatchAccount(new Lead { Company = "RUB L.L.C.", Email = "ann@rub-builders.com" }, [account], []);

        Assert.True(alone is null || alone.Score < MatchScoreBands.Flag, $"score {alone?.Score}");
        Assert.True(withDomain!.Score >= MatchScoreBands.Block, $"score {withDomain.Score}");
    }

    [Fact]
    public void GetKeys_NameThatCannotBeRead_KeepsTheEmailDomainAndPhoneKeys()
    {
        var matcher = RecordMatcher.CreateDefault();
        var hostile = "™®©" + new string('\uD800', 3) + "\u202E";

        var keys = matcher.GetKeys(new Lead { Company = hostile, Email = "tim@coxrobo.com", Phone = "+1 206 555 0100" });

        Assert.Equal(["coxrobo.com"], keys.Domains);
        Assert.Equal(["tim@coxrobo.com"], keys.Emails);
        Assert.Contains("+12065550100", keys.Phones);
    }

    [Fact]
    public void MatchAccount_FullWidthNameAndTheAccountsDomain_Blocks()
    {
        var matcher = RecordMatcher.CreateDefault();
        var account = new Account { Id = "cox", Name = "Cox Robotics Inc", Website = "coxrobo.com" };

        var match = matcher.MatchAccount(new Lead { Company = "Ｃｏｘ Ｒｏｂｏｔｉｃｓ", Email = "tim@coxrobo.com" }, [account], []);

        Assert.True(match!.Score >= MatchScoreBands.Block, $"score {match.Score}");
        Assert.Contains(match.Evidence, e => e.Field == "name" && e.Weight > 6);
    }

    [Fact]
    public void MatchAccount_SameWordsInAnotherOrder_FlagsRatherThanBlocks()
    {
        var matcher = RecordMatcher.CreateDefault();
        var account = new Account { Id = "a", Name = "Wilson & Wright Inc", City = "Seattle" };

        var reordered = matcher.MatchAccount(new Lead { Company = "Wright & Wilson", City = "Seattle" }, [account], []);
        var same = matcher.MatchAccount(new Lead { Company = "Wilson and Wright", City = "Seattle" }, [account], []);

        Assert.InRange(reordered!.Score, MatchScoreBands.Flag, MatchScoreBands.Block - 0.0001);
        Assert.True(same!.Score >= MatchScoreBands.Block, $"score {same.Score}");
    }

    private static string Word(int i) => new string([(char)('a' + (i % 26)), (char)('a' + (i / 26)), 'x', 'o', 'n']);
}
