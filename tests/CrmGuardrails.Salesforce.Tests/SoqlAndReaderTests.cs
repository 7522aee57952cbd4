using System.Text.Json;

namespace CrmGuardrails.Salesforce.Tests;

/// <summary>The escaping builder and the record reader, including the real payloads of samples/salesforce.</summary>
public sealed class SoqlAndReaderTests
{
    [Theory]
    [InlineData("O'Brien\\", "'O\\'Brien\\\\'")]
    [InlineData("100%_Co", "'100%_Co'")]
    [InlineData("x' OR Name LIKE '%", "'x\\' OR Name LIKE \\'%'")]
    [InlineData("line\nbreak\t\"q\"", "'line\\nbreak\\t\\\"q\\\"'")]
    public void Quote_EscapesTheReservedCharacters(string value, string expected) => Assert.Equal(expected, Soql.Quote(value));

    [Fact]
    public void StartsWith_EscapesWildcardsOnlyInsideLike() =>
        Assert.Equal("'100\\%\\_Co%'", Soql.StartsWith("100%_Co"));

    [Theory]
    [InlineData("x' OR Name LIKE '%")]
    [InlineData("O'Brien\\")]
    [InlineData("100%_Co")]
    public void TheEmulatedOrgReadsBack_WhatTheBuilderQuoted(string value)
    {
        var tokens = Emulator.SoqlParser.Tokenize("SELECT Id FROM Lead WHERE Email = " + Soql.Quote(value));

        Assert.Equal(8, tokens.Count);
        var parsed = Emulator.SoqlParser.Parse("SELECT Id FROM Lead WHERE Email = " + Soql.Quote(value));
        Assert.Equal(value, ((Emulator.SoqlComparison)parsed.Where!).Values[0]);
    }

    [Theory]
    [InlineData("a(b)", "\"a\\(b\\)\"")]
    [InlineData("x\" OR \"y", "\"x\\\" OR \\\"y\"")]
    [InlineData("+61 2 9555-0188", "\"\\+61 2 9555\\-0188\"")]
    public void SoslTerms_EscapeTheReservedCharacters(string value, string expected) => Assert.Equal(expected, Sosl.Term(value));

    [Fact]
    public void FieldNames_AreCheckedNotEscaped()
    {
        Assert.True(Soql.IsFieldName("Owner.Name"));
        Assert.True(Soql.IsFieldName("CrmG_Key__c"));
        Assert.False(Soql.IsFieldName("Name FROM User"));
        Assert.Throws<ArgumentException>(() => Soql.Eq("Name = 'x' OR Id", "y"));
    }

    [Fact]
    public void TheAccountSample_ReadsAsACustomerInTheUs()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine("Samples", "sobject-get-account.netcoreforce.json")));
        var row = new SalesforceRow(document.RootElement);

        var account = Assert.IsType<Account>(SalesforceRecordReader.Default.Read(row.Type!, row.Field));

        Assert.Equal("001i000002C8QTIAA3", account.Id);
        Assert.Equal("Acme Corporation", account.Name);
        Assert.Equal(AccountStatus.Customer, account.Status);
        Assert.Equal("US", account.Country);
        Assert.Equal("New York", account.City);
    }

    [Fact]
    public void AnAccountsParent_ReadsWithItsName_FromTheParentRelationship()
    {
        // The REST API nests a relationship path: "Parent": { "attributes": …, "Name": "…" }.
        using var document = JsonDocument.Parse("""
            {"attributes": {"type": "Account", "url": "/services/data/v62.0/sobjects/Account/001A"}, "Id": "001A",
             "Name": "North Shore Private", "ParentId": "001P",
             "Parent": {"attributes": {"type": "Account", "url": "/services/data/v62.0/sobjects/Account/001P"}, "Name": "Ramsay Health Care Ltd"}}
            """);
        var row = new SalesforceRow(document.RootElement);

        var account = Assert.IsType<Account>(SalesforceRecordReader.Default.Read(row.Type!, row.Field));

        Assert.Equal(("001P", "Ramsay Health Care Ltd"), (account.ParentId, account.ParentName));
    }

    [Fact]
    public void TheLimitInfoSample_IsTheOrgsBudget()
    {
        var header = File.ReadAllText(Path.Combine("Samples", "header-sforce-limit-info.doc.txt")).Trim();
        var usage = new Http.SalesforceApiUsage();

        Assert.True(usage.Record(header.Substring(header.IndexOf(':', StringComparison.Ordinal) + 1).Trim()));

        Assert.Equal(100000 - 10018, usage.Remaining);
        Assert.False(usage.Record("per-app-api-usage=17/250(appName=sample)"));
    }

    [Theory]
    [InlineData("error-malformed-id.doc.json", "MALFORMED_ID")]
    [InlineData("error-not-found.doc.json", "NOT_FOUND")]
    public void TheErrorSamples_GiveTheirErrorCode(string sample, string code)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine("Samples", sample)));

        var error = SalesforceRestApi.ErrorOf(System.Net.HttpStatusCode.BadRequest, document.RootElement, "the test");

        Assert.Equal(code, error.ErrorCode);
    }

    [Fact]
    public void Activities_ReadTypeDirectionStatusAndParties_FromTheirFieldsAndIdPrefixes()
    {
        var task = (Activity)SalesforceRecordReader.Default.Read("Task", Fields(new()
        {
            ["Id"] = "00T000000000001AAA", ["TaskSubtype"] = "Call", ["CallType"] = "Inbound", ["IsClosed"] = "false", ["Status"] = "Not Started",
            ["WhoId"] = "003000000000001AAA", ["WhatId"] = "001000000000001AAA", ["AccountId"] = "001000000000001AAA", ["ActivityDate"] = "2025-03-12",
            ["CreatedDate"] = "2025-03-10T08:00:00.000+0000", ["CrmG_Reschedules__c"] = "2.0",
        }))!;
        var canceled = (Activity)SalesforceRecordReader.Default.Read("Task", Fields(new() { ["Id"] = "00T000000000002AAA", ["IsClosed"] = "true", ["Status"] = "Canceled" }))!;
        var meeting = (Activity)SalesforceRecordReader.Default.Read("Event", Fields(new() { ["Id"] = "00U000000000001AAA", ["StartDateTime"] = "2025-03-12T09:30:00.000Z" }))!;

        Assert.Equal((ActivityType.PhoneCall, ActivityDirection.Inbound, ActivityStatus.Open), (task.Type, task.Direction, task.Status));
        Assert.Equal(new RecordRef(RecordKind.Account, "001000000000001AAA"), task.Regarding);
        Assert.Equal([new RecordRef(RecordKind.Contact, "003000000000001AAA")], task.Parties);
        Assert.Equal(new DateTimeOffset(2025, 3, 12, 0, 0, 0, TimeSpan.Zero), task.ScheduledStart);
        Assert.Equal(new DateTimeOffset(2025, 3, 10, 8, 0, 0, TimeSpan.Zero), task.CreatedOn);
        Assert.Equal(2, task.RescheduleCount);
        Assert.Equal(ActivityStatus.Canceled, canceled.Status);
        Assert.Equal((ActivityType.Appointment, ActivityStatus.Open), (meeting.Type, meeting.Status));
        Assert.Equal(new DateTimeOffset(2025, 3, 12, 9, 30, 0, TimeSpan.Zero), meeting.ScheduledStart);
    }

    [Fact]
    public void Leads_ReadConvertedAsQualified_AndClosedNotConvertedAsDisqualified()
    {
        Assert.Equal(LeadStatus.Qualified, ((Lead)SalesforceRecordReader.Default.Read("Lead", Fields(new() { ["IsConverted"] = "true", ["Status"] = "Closed - Converted" }))!).Status);
        Assert.Equal(LeadStatus.Disqualified, ((Lead)SalesforceRecordReader.Default.Read("Lead", Fields(new() { ["IsConverted"] = "false", ["Status"] = "Closed - Not Converted" }))!).Status);
        Assert.Equal(LeadStatus.Open, ((Lead)SalesforceRecordReader.Default.Read("Lead", Fields(new() { ["Status"] = "Working - Contacted" }))!).Status);
        Assert.Null(SalesforceRecordReader.Default.Read("Opportunity", Fields(new())));
    }

    private static Func<string, string?> Fields(Dictionary<string, string> fields) => name => fields.GetValueOrDefault(name);
}
