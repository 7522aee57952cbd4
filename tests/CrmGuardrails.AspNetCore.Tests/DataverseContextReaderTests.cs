using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Json;
using CrmGuardrails.Dataverse;
using CrmGuardrails.Dataverse.Webhooks;
using CrmGuardrails.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmGuardrails.AspNetCore.Tests;

public sealed class DataverseContextReaderTests
{
    // The shape of a real synchronous PostOperation capture (Update of account; see docs/webhook.md): ids are ours.
    private const string AccountUpdate = """
    {"BusinessUnitId":"b1000000-0000-0000-0000-000000000001","CorrelationId":"c1000000-0000-0000-0000-000000000001","Depth":1,
     "InitiatingUserId":"11111111-0000-0000-0000-000000000001",
     "InputParameters":[{"key":"Target","value":{"__type":"Entity:http:\/\/schemas.microsoft.com\/xrm\/2011\/Contracts",
       "Attributes":[{"key":"telephone1","value":"+44 20 7946 0999"},{"key":"accountid","value":"AAAAAAAA-0000-0000-0000-000000000001"},
         {"key":"modifiedon","value":"\/Date(1527757524000)\/"},
         {"key":"modifiedby","value":{"__type":"EntityReference:http:\/\/schemas.microsoft.com\/xrm\/2011\/Contracts","Id":"11111111-0000-0000-0000-000000000001","KeyAttributes":[],"LogicalName":"systemuser","Name":null,"RowVersion":null}},
         {"key":"modifiedonbehalfby","value":null},
         {"key":"customertypecode","value":{"__type":"OptionSetValue:http:\/\/schemas.microsoft.com\/xrm\/2011\/Contracts","Value":3}},
         {"key":"revenue","value":{"__type":"Money:http:\/\/schemas.microsoft.com\/xrm\/2011\/Contracts","Value":2154.32}},
         {"key":"industries","value":[{"__type":"OptionSetValue:http:\/\/schemas.microsoft.com\/xrm\/2011\/Contracts","Value":1},{"__type":"OptionSetValue:http:\/\/schemas.microsoft.com\/xrm\/2011\/Contracts","Value":4}]}],
       "EntityState":null,"FormattedValues":[],"Id":"aaaaaaaa-0000-0000-0000-000000000001","KeyAttributes":[],"LogicalName":"account","RelatedEntities":[],"RowVersion":null}},
      {"key":"SuppressDuplicateDetection","value":false}],
     "IsExecutingOffline":false,"IsInTransaction":true,"IsOfflinePlayback":false,"IsolationMode":1,"MessageName":"Update","Mode":0,
     "OperationCreatedOn":"\/Date(1527757530151+0200)\/","OperationId":"0e100000-0000-0000-0000-000000000001","OrganizationId":"0a100000-0000-0000-0000-000000000001",
     "OrganizationName":"org1","OutputParameters":[],"OwningExtension":{"Id":"5e100000-0000-0000-0000-000000000001","KeyAttributes":[],"LogicalName":"sdkmessageprocessingstep","Name":"Guard: Update of account","RowVersion":null},
     "ParentContext":null,"PostEntityImages":[],"PreEntityImages":[],"PrimaryEntityId":"aaaaaaaa-0000-0000-0000-000000000001","PrimaryEntityName":"account",
     "RequestId":"0e100000-0000-0000-0000-000000000001","SecondaryEntityName":"none",
     "SharedVariables":[{"key":"ChangedEntityTypes","value":[{"__type":"KeyValuePairOfstringstring:#System.Collections.Generic","key":"account","value":"Update"}]}],
     "Stage":40,"UserId":"11111111-0000-0000-0000-000000000001"}
    """;

    [Fact]
    public void ReadContext_RealCaptureShape_ReadsTopLevelAndTypedValues()
    {
        var reader = new DataverseContextReader();

        var context = reader.ReadContext(Encoding.UTF8.GetBytes(AccountUpdate));

        Assert.Equal("Update", context.MessageName);
        Assert.Equal("account", context.PrimaryEntityName);
        Assert.Equal(40, context.Stage);
        Assert.True(context.IsSynchronous);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1527757530151), context.OperationCreatedOn);
        var target = Assert.Single(context.Targets);
        Assert.Equal("aaaaaaaa-0000-0000-0000-000000000001", target.Id);
        Assert.Equal("AAAAAAAA-0000-0000-0000-000000000001", target["accountid"]); // string columns are kept as sent
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1527757524000), target["modifiedon"]);
        Assert.Equal(new DataverseReference("systemuser", "11111111-0000-0000-0000-000000000001", null), target["modifiedby"]);
        Assert.True(target.Has("modifiedonbehalfby"));
        Assert.Null(target["modifiedonbehalfby"]);
        Assert.Equal(new DataverseOptionSetValue(3), target["customertypecode"]);
        Assert.Equal(new DataverseMoney(2154.32m), target["revenue"]);
        Assert.Equal([new DataverseOptionSetValue(1), new DataverseOptionSetValue(4)], Assert.IsAssignableFrom<IReadOnlyList<DataverseOptionSetValue>>(target["industries"]));
    }

    [Fact]
    public void ToRequests_UpdateWithoutPreImageAfterTheSave_CarriesTheChangesAndDoesNotAskForThePrevious()
    {
        var reader = new DataverseContextReader();
        var context = reader.ReadContext(Encoding.UTF8.GetBytes(AccountUpdate));

        var request = Assert.Single(reader.ToRequests(context));

        Assert.Equal(GuardOperation.Update, request.Operation);
        Assert.Null(request.Previous);

        // After the save (PostOperation) the directory holds the saved row, so the pipeline must not read it as "before".
        Assert.False(request.CanReadPrevious);
        var account = Assert.IsType<Account>(request.Record);
        Assert.Equal("+44 20 7946 0999", account.Phone);
        Assert.Equal("account", request.Table);
        Assert.Equal("11111111-0000-0000-0000-000000000001", request.UserId);
        Assert.Equal("c1000000-0000-0000-0000-000000000001", request.CorrelationId);
    }

    [Fact]
    public void ToRecord_PhoneCallWithParties_MapsCustomersOnlyAndDirection()
    {
        var reader = new DataverseContextReader();
        var context = reader.ReadContext(File.ReadAllBytes(WebhookHost.Fixture("phonecall-create-rep-collision.json")));

        var request = Assert.Single(reader.ToRequests(context));

        var call = Assert.IsType<Activity>(request.Record);
        Assert.Equal(ActivityType.PhoneCall, call.Type);
        Assert.Equal(ActivityDirection.Outbound, call.Direction);
        Assert.Equal(ActivityStatus.Open, call.Status);
        Assert.Equal(new RecordRef(RecordKind.Lead, "1ead0000-0000-0000-0000-000000000001"), call.Regarding);
        Assert.Equal([new RecordRef(RecordKind.Lead, "1ead0000-0000-0000-0000-000000000001")], call.Parties); // the rep in "from" is not a customer
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 10, 0, 0, TimeSpan.Zero), call.ScheduledStart);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 2, 0, TimeSpan.Zero), call.CreatedOn);
        Assert.Equal("Intro call", call.Subject);
        Assert.Equal("11111111-0000-0000-0000-000000000003", call.OwnerId);
        Assert.Equal(string.Empty, call.Id);
    }

    [Fact]
    public void ToRecord_LeadAndContactColumns()
    {
        var reader = new DataverseContextReader();
        var lead = new DataverseEntity
        {
            LogicalName = "lead",
            Attributes = new Dictionary<string, object?>
            {
                ["firstname"] = "Tom", ["lastname"] = "Reed", ["companyname"] = "Contoso", ["emailaddress1"] = "tom@contoso.com",
                ["mobilephone"] = "+44 7700 900123", ["websiteurl"] = "contoso.com", ["address1_line1"] = "1 Main St", ["address1_city"] = "London",
                ["address1_postalcode"] = "EC1A 1BB", ["address1_country"] = "gb", ["statecode"] = new DataverseOptionSetValue(2),
                ["ownerid"] = new DataverseReference("systemuser", "u2", "Jon Berg"),
            },
        };
        var contact = new DataverseEntity
        {
            LogicalName = "contact",
            Id = "c1",
            Attributes = new Dictionary<string, object?> { ["firstname"] = "Anna", ["parentcustomerid"] = new DataverseReference("account", "a1", null) },
        };

        var l = Assert.IsType<Lead>(reader.ToRecord(lead));
        var c = Assert.IsType<Contact>(reader.ToRecord(contact));

        Assert.Equal(("Tom", "Reed", "Contoso", "tom@contoso.com", "+44 7700 900123"), (l.FirstName, l.LastName, l.Company, l.Email, l.Phone));
        Assert.Equal(("contoso.com", "1 Main St", "London", "EC1A 1BB", "GB"), (l.Website, l.Street, l.City, l.PostalCode, l.Country));
        Assert.Equal(LeadStatus.Disqualified, l.Status);
        Assert.Equal(("u2", "Jon Berg"), (l.OwnerId, l.OwnerName));
        Assert.Equal(("c1", "Anna", "a1"), (c.Id, c.FirstName, c.AccountId));
    }

    [Fact]
    public void ToRecord_ConfiguredActivityTable_And_UnknownTable()
    {
        var options = new DataverseMappingOptions();
        options.ActivityTables["new_sms"] = ActivityType.Sms;
        var reader = new DataverseContextReader(options);
        var sms = new DataverseEntity
        {
            LogicalName = "new_sms",
            Id = "s1",
            Attributes = new Dictionary<string, object?> { ["statecode"] = new DataverseOptionSetValue(1), ["scheduledstart"] = "2026-03-02T09:00:00+01:00" },
        };

        var activity = Assert.IsType<Activity>(reader.ToRecord(sms));

        Assert.Equal((ActivityType.Sms, ActivityStatus.Completed), (activity.Type, activity.Status));
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero), activity.ScheduledStart);
        Assert.Null(reader.ToRecord(new DataverseEntity { LogicalName = "opportunity" }));
        Assert.Equal(RecordKind.Activity, reader.KindOf("new_sms"));
        Assert.Equal(RecordKind.User, reader.KindOf("systemuser"));
    }

    [Theory]
    [InlineData("\"/Date(abc)/\"")]
    [InlineData("\"yesterday\"")]
    [InlineData("12")]
    public void ReadContext_BadOperationCreatedOn_NamesTheField(string value)
    {
        var json = $$"""{"MessageName":"Create","PrimaryEntityName":"lead","OperationCreatedOn":{{value}}}""";

        var ex = Assert.Throws<GuardEventFormatException>(() => new DataverseContextReader().ReadContext(Encoding.UTF8.GetBytes(json)));

        Assert.Equal("OperationCreatedOn", ex.Field);
    }

    /// <summary>A synchronous Create of a lead whose Target holds the given attribute pairs (raw JSON).</summary>
    private static string LeadCreate(string attributes) =>
        $$$"""{"MessageName":"Create","PrimaryEntityName":"lead","Mode":0,"InitiatingUserId":"11111111-0000-0000-0000-000000000001","CorrelationId":"c1000000-0000-0000-0000-000000000001","InputParameters":[{"key":"Target","value":{"LogicalName":"lead","Attributes":[{{{attributes}}}]}}]}""";

    private static DataverseEntity Target(string json) => Assert.Single(new DataverseContextReader().ReadContext(Encoding.UTF8.GetBytes(json)).Targets);

    [Fact]
    public void ReadContext_LoneSurrogates_BecomeReplacementCharacters_AndPairsAndEscapedBackslashesStay()
    {
        var target = Target(LeadCreate("""
            {"key":"firstname","value":"A\ud800B"},{"key":"lastname","value":"\udc00"},{"key":"companyname","value":"\ud83d\ude00 Contoso \ud800\ud800\udc00"},
            {"key":"\ud800note","value":"x"},{"key":"description","value":"C:\\ud800"}
            """));

        Assert.Equal("A\uFFFDB", target["firstname"]);
        Assert.Equal("\uFFFD", target["lastname"]);
        Assert.Equal("\U0001F600 Contoso \uFFFD\U00010000", target["companyname"]);
        Assert.Equal("x", target["\uFFFDnote"]);
        Assert.Equal("C:\\ud800", target["description"]); // an escaped backslash, then text: not an escape
    }

    [Fact]
    public void ReadContext_InvalidUtf8_BecomesReplacementCharacters()
    {
        var json = Encoding.UTF8.GetBytes(LeadCreate("""{"key":"firstname","value":"A#B"},{"key":"lastname","value":"#"},{"key":"companyname","value":"Acme#"}"""));
        byte[][] poison = [[0xFF], [0xC3, 0x28], [0xE2, 0x82]];
        var body = new List<byte>();
        var n = 0;
        foreach (var b in json)
        {
            if (b == (byte)'#')
                body.AddRange(poison[n++]);
            else
                body.Add(b);
        }

        var target = Assert.Single(new DataverseContextReader().ReadContext(body.ToArray()).Targets);

        Assert.Equal("A\uFFFDB", target["firstname"]);
        Assert.Equal("\uFFFD(", target["lastname"]);
        Assert.Equal("Acme\uFFFD", target["companyname"]);
    }

    [Fact]
    public void ReadContext_JsonElementWithLoneSurrogate_IsReadAsText()
    {
        using var document = JsonDocument.Parse(LeadCreate("""{"key":"firstname","value":"A\ud800B"}"""));

        var context = new DataverseContextReader().ReadContext(document.RootElement);

        Assert.Equal("A\uFFFDB", Assert.Single(context.Targets)["firstname"]);
    }

    [Fact]
    public void ReadContext_NumbersOutOfRange_AreClampedAsAmountsAndAbsentAsCodes()
    {
        var target = Target(LeadCreate("""
            {"key":"estimatedamount","value":{"__type":"Money:http:\/\/schemas.microsoft.com\/xrm\/2011\/Contracts","Value":1e300}},
            {"key":"budgetamount","value":{"__type":"Money:http:\/\/schemas.microsoft.com\/xrm\/2011\/Contracts","Value":-1e400}},
            {"key":"revenue","value":{"__type":"Money:http:\/\/schemas.microsoft.com\/xrm\/2011\/Contracts","Value":1e-400}},
            {"key":"numberofemployees","value":1e400},{"key":"exchangerate","value":-1e300},{"key":"new_visits","value":12},
            {"key":"leadsourcecode","value":{"__type":"OptionSetValue:http:\/\/schemas.microsoft.com\/xrm\/2011\/Contracts","Value":1e300}},
            {"key":"industries","value":[{"__type":"OptionSetValue:http:\/\/schemas.microsoft.com\/xrm\/2011\/Contracts","Value":2147483648},{"__type":"OptionSetValue:http:\/\/schemas.microsoft.com\/xrm\/2011\/Contracts","Value":4}]},
            {"key":"statecode","value":3000000000}
            """));

        Assert.Equal(new DataverseMoney(decimal.MaxValue), target["estimatedamount"]);
        Assert.Equal(new DataverseMoney(decimal.MinValue), target["budgetamount"]);
        Assert.Equal(new DataverseMoney(0m), target["revenue"]);
        Assert.Equal(double.MaxValue, target["numberofemployees"]);
        Assert.Equal(-1e300, target["exchangerate"]);
        Assert.Equal(12L, target["new_visits"]);
        Assert.True(target.Has("leadsourcecode"));
        Assert.Null(target["leadsourcecode"]);
        Assert.Equal([new DataverseOptionSetValue(4)], Assert.IsAssignableFrom<IReadOnlyList<DataverseOptionSetValue>>(target["industries"]));
        var lead = Assert.IsType<Lead>(new DataverseContextReader().ToRecord(target));
        Assert.Equal(LeadStatus.Open, lead.Status); // a state code no int holds is absent
    }

    [Fact]
    public void ReadContext_TextBeginningWithDate_StaysText_AndDateColumnsAreDates()
    {
        var target = Target(LeadCreate("""
            {"key":"subject","value":"\/Date(1527757524000)\/"},{"key":"description","value":"/Date(tomorrow"},{"key":"firstname","value":"/Date(1)/"},
            {"key":"modifiedon","value":"\/Date(1527757524000)\/"},{"key":"createdon","value":"\/Date(-86400000-0700)\/"},
            {"key":"overriddencreatedon","value":"\/Date(not a date)\/"},{"key":"scheduledstart","value":"\/Date(99999999999999999999)\/"}
            """));

        Assert.Equal("/Date(1527757524000)/", target["subject"]);
        Assert.Equal("/Date(tomorrow", target["description"]);
        Assert.Equal("/Date(1)/", Assert.IsType<Lead>(new DataverseContextReader().ToRecord(target)).FirstName);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1527757524000), target["modifiedon"]);

        // /Date(ms±hhmm)/: ms are UTC milliseconds; the offset never shifts the instant.
        Assert.Equal(new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero), target["createdon"]);

        // A date column whose text is not a date is that column's problem: absent, not a refused call.
        Assert.True(target.Has("overriddencreatedon"));
        Assert.Null(target["overriddencreatedon"]);
        Assert.Null(target["scheduledstart"]);
    }

    [Theory]
    [InlineData("\"/Date(soon)/\"")]
    [InlineData("\"next Tuesday\"")]
    [InlineData("\"/Date(1772532000000+99)/\"")]
    [InlineData("\"/Date(1772532000000+0100x)/\"")]
    public void ToRecord_ActivityWithMalformedScheduledStart_IsAbsent(string value)
    {
        var reader = new DataverseContextReader();
        var context = reader.ReadContext(Encoding.UTF8.GetBytes($$$"""
            {"MessageName":"Create","PrimaryEntityName":"phonecall","InitiatingUserId":"11111111-0000-0000-0000-000000000001",
             "InputParameters":[{"key":"Target","value":{"LogicalName":"phonecall","Attributes":[{"key":"scheduledstart","value":{{{value}}}},{"key":"subject","value":"/Date(1)/"}]}}]}
            """));

        var call = Assert.IsType<Activity>(Assert.Single(reader.ToRequests(context)).Record);

        Assert.Null(call.ScheduledStart);
        Assert.Equal("/Date(1)/", call.Subject);
    }

    [Fact]
    public void ToRecord_DateColumnSetInCode_ReadsDataContractAndIsoText()
    {
        var reader = new DataverseContextReader();
        var call = new DataverseEntity
        {
            LogicalName = "phonecall",
            Attributes = new Dictionary<string, object?> { ["scheduledstart"] = "/Date(1772532000000+0100)/", ["createdon"] = "2026-03-02T09:00:00Z" },
        };

        var activity = Assert.IsType<Activity>(reader.ToRecord(call));

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1772532000000), activity.ScheduledStart);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero), activity.CreatedOn);
    }

    [Fact]
    public void ReadContext_BrokenTypedValueInAColumnNobodyReads_IsIgnored_AndInAReadColumnNamesIt()
    {
        const string Broken = """
            {"key":"estimatedamount","value":{"__type":"Money:http:\/\/schemas.microsoft.com\/xrm\/2011\/Contracts","Value":"lots"}},
            {"key":"leadsourcecode","value":{"__type":"OptionSetValue:http:\/\/schemas.microsoft.com\/xrm\/2011\/Contracts","Value":{}}},
            {"key":"campaignid","value":{"__type":"EntityReference:http:\/\/schemas.microsoft.com\/xrm\/2011\/Contracts","LogicalName":"campaign"}}
            """;
        var reader = new DataverseContextReader();

        var request = Assert.Single(reader.ToRequests(reader.ReadContext(Encoding.UTF8.GetBytes(LeadCreate(Broken + """,{"key":"lastname","value":"Reed"}""")))));
        var ex = Assert.Throws<GuardEventFormatException>(() => reader.ToRequests(reader.ReadContext(Encoding.UTF8.GetBytes(LeadCreate(Broken + """,{"key":"ownerid","value":{"__type":"EntityReference:http:\/\/schemas.microsoft.com\/xrm\/2011\/Contracts","LogicalName":"systemuser"}}""")))));

        Assert.Equal("Reed", Assert.IsType<Lead>(request.Record).LastName);
        Assert.Equal("InputParameters[0].value.Attributes[3].value.Id", ex.Field);
    }

    [Fact]
    public void Read_LineBreaksInCorrelationIdAndNames_HandsTheHostOneLineValues()
    {
        var reader = new DataverseWebhookEventReader();
        var json = LeadCreate("""{"key":"lastname","value":"Reed"}""")
            .Replace("c1000000-0000-0000-0000-000000000001", "c1\\r\\n2026-03-02 INFO fake\\u2028line\\u0085\\u001b[31m", StringComparison.Ordinal);
        var skipped = json.Replace("\"MessageName\":\"Create\"", "\"MessageName\":\"Assign\\nERROR fake line\"", StringComparison.Ordinal);
        var unknownTable = json.Replace("\"PrimaryEntityName\":\"lead\"", "\"PrimaryEntityName\":\"opportunity\\r\\nfake\"", StringComparison.Ordinal);

        var checkedEvent = reader.Read(Encoding.UTF8.GetBytes(json), _ => null);
        var skippedEvent = reader.Read(Encoding.UTF8.GetBytes(skipped), _ => null);
        var unknownEvent = reader.Read(Encoding.UTF8.GetBytes(unknownTable), _ => null);

        Assert.Equal("c1\\r\\n2026-03-02 INFO fake\\u2028line\\u0085\\u001B[31m", checkedEvent.CorrelationId);
        Assert.Equal(checkedEvent.CorrelationId, Assert.Single(checkedEvent.Requests).CorrelationId);
        Assert.Equal("Create of lead", checkedEvent.Description);
        Assert.Equal("Assign\\nERROR fake line of lead", skippedEvent.Description);
        Assert.Contains("the Assign\\nERROR fake line message is not checked", skippedEvent.SkipReason);
        Assert.Contains("the opportunity\\r\\nfake table is not checked", unknownEvent.SkipReason);
    }

    [Fact]
    public void Read_HugeCorrelationIdAndMessageName_AreCutForLogs()
    {
        var json = LeadCreate("""{"key":"lastname","value":"Reed"}""")
            .Replace("c1000000-0000-0000-0000-000000000001", new string('c', 5000), StringComparison.Ordinal)
            .Replace("\"MessageName\":\"Create\"", $"\"MessageName\":\"{new string('m', 5000)}\"", StringComparison.Ordinal);

        var saveEvent = new DataverseWebhookEventReader().Read(Encoding.UTF8.GetBytes(json), _ => null);

        Assert.True(saveEvent.CorrelationId!.Length <= 128, saveEvent.CorrelationId);
        Assert.True(saveEvent.Description.Length <= 160, saveEvent.Description);
        Assert.True(saveEvent.SkipReason!.Length <= 300, saveEvent.SkipReason);
    }

    [Fact]
    public void ReadContext_FormatErrorQuotingInput_QuotesAtMost64CharactersWithControlsEscaped()
    {
        var json = $$$"""{"MessageName":"Create","PrimaryEntityName":"lead","OperationCreatedOn":"yesterday\r\nINFO fake line {{{new string('x', 5000)}}}"}""";

        var ex = Assert.Throws<GuardEventFormatException>(() => new DataverseContextReader().ReadContext(Encoding.UTF8.GetBytes(json)));

        Assert.Equal("OperationCreatedOn", ex.Field);
        Assert.Contains("\"yesterday\\r\\nINFO fake line xxx", ex.Message);
        Assert.DoesNotContain(ex.Message, char.IsControl);
        var quoted = ex.Message[(ex.Message.IndexOf("found ", StringComparison.Ordinal) + 6)..];
        Assert.True(quoted.Length <= 64 + 16, quoted);
    }

    [Fact]
    public void ReadContext_DeeplyNested_IsRejectedAsMalformed()
    {
        var json = new string('[', 200) + new string(']', 200);

        var ex = Assert.Throws<GuardEventFormatException>(() => new DataverseContextReader().ReadContext(Encoding.UTF8.GetBytes(json)));

        Assert.Contains("not valid JSON", ex.Message);
    }
}

public sealed class WebhookOptionsTests
{
    [Fact]
    public void Defaults()
    {
        var endpoint = new WebhookEndpointOptions();
        var dataverse = new DataverseWebhookOptions();

        Assert.Equal(WebhookKeyLocation.FunctionsKey, endpoint.KeyLocation);
        Assert.Equal(256 * 1024, endpoint.MaxBodyBytes);
        Assert.Equal(409, endpoint.BlockStatusCode);
        Assert.Equal(8, endpoint.MaxConcurrentRecords);
        Assert.Equal(1, dataverse.MaxDepth);
        Assert.Equal("crmg_reschedulecount", dataverse.Mapping.RescheduleCountColumn);
        Assert.Contains("appointment", dataverse.Mapping.ActivityTables);
    }

    [Fact]
    public void Validation_ReportsEveryError()
    {
        var services = new ServiceCollection().AddOptions().AddCrmGuardrailsWebhooks(o =>
        {
            o.SharedKey = "short";
            o.KeyLocation = WebhookKeyLocation.Header;
            o.KeyName = " ";
            o.BlockStatusCode = 503;
        }).BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<WebhookEndpointOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.Contains("SharedKey must be at least 16", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("KeyName is required", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("BlockStatusCode", StringComparison.Ordinal));
    }

    [Fact]
    public void Validation_MissingSharedKey_FailsWhenMapped()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Services.AddSingleton<ICrmDirectory>(WebhookHost.Org());
        builder.Services.AddCrmGuardrailsWebhooks(_ => { });
        builder.Services.AddCrmGuardrailsDataverseWebhook();

        var ex = Assert.Throws<OptionsValidationException>(() => builder.Build().MapCrmGuardrailsWebhook("dataverse"));

        Assert.Contains("SharedKey is required", ex.Message);
    }

    [Fact]
    public void Map_InvalidEndpointOverride_Throws()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Services.AddCrmGuardrailsWebhooks(o => o.SharedKey = WebhookHost.Key);
        builder.Services.AddCrmGuardrailsDataverseWebhook();
        var app = builder.Build();

        var ex = Assert.Throws<ValidationException>(() => app.MapCrmGuardrailsWebhook("dataverse", "/other", o => o.BlockStatusCode = 503));

        Assert.Contains("BlockStatusCode", ex.Message);
    }

    [Fact]
    public void Map_WithoutRegistration_Throws()
    {
        var app = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]).Build();

        var ex = Assert.Throws<InvalidOperationException>(() => app.MapCrmGuardrailsWebhook("dataverse"));

        Assert.Contains("AddCrmGuardrailsWebhooks", ex.Message);
    }

    [Fact]
    public void Map_WithoutTheCrmsReader_NamesTheRegistration()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Services.AddCrmGuardrailsWebhooks(o => o.SharedKey = WebhookHost.Key);
        var app = builder.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => app.MapCrmGuardrailsWebhook("dataverse"));

        Assert.Contains("AddCrmGuardrailsDataverseWebhook", ex.Message);
    }
}
