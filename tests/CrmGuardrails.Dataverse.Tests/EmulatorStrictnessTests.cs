using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CrmGuardrails.Dataverse.Emulator;

namespace CrmGuardrails.Dataverse.Tests;

/// <summary>
/// The emulator is as strict as Dataverse where a client could send a wrong shape: each rule is shown refusing the wrong
/// shape (with Dataverse's status, code and message) and accepting the right one, over raw HTTP.
/// </summary>
public sealed class EmulatorStrictnessTests
{
    private const string QueryCode = "0x80060888";

    // ---- 1. Schema: entity sets, columns, navigation properties ----

    [Fact]
    public async Task UnknownEntitySet_Is404ResourceNotFound()
    {
        await using var org = await DataverseEmulator.StartAsync();
        using var http = Client(org);

        await AssertErrorAsync(await http.GetAsync("acounts?$select=name"), HttpStatusCode.NotFound, QueryCode, "Resource not found for the segment 'acounts'.");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("accounts?$select=name")).StatusCode);
    }

    [Theory]
    [InlineData("accounts?$select=nmae", "nmae", "account")]
    [InlineData("accounts?$filter=nmae eq 'x'", "nmae", "account")]
    [InlineData("accounts?$orderby=nmae desc", "nmae", "account")]
    [InlineData("contacts?$select=parentcustomerid", "parentcustomerid", "contact")]
    [InlineData("contacts?$filter=customerid_value eq null", "customerid_value", "contact")]
    [InlineData("activitypointers?$select=crmg_guardverdict", "crmg_guardverdict", "activitypointer")]
    [InlineData("activitypointers?$expand=phonecall_activity_parties", "phonecall_activity_parties", "activitypointer")]
    public async Task UnknownProperty_InQuery_Is400CouldNotFindProperty(string url, string property, string table)
    {
        await using var org = await DataverseEmulator.StartAsync();
        using var http = Client(org);

        await AssertErrorAsync(await http.GetAsync(url), HttpStatusCode.BadRequest, QueryCode,
            $"Could not find a property named '{property}' on type 'Microsoft.Dynamics.CRM.{table}'.");
    }

    [Fact]
    public async Task KnownProperties_InQuery_AreAccepted()
    {
        await using var org = await DataverseEmulator.StartAsync();
        using var http = Client(org);

        foreach (var url in new[]
        {
            "accounts?$select=name,telephone1,address1_country,customertypecode,_ownerid_value,_parentaccountid_value&$orderby=name asc,createdon desc",
            "contacts?$select=fullname,_parentcustomerid_value&$filter=_parentcustomerid_value eq null",
            "leads?$select=subject,companyname,crmg_guardverdict,crmg_reschedulecount,overriddencreatedon",
            "activitypointers?$select=activitytypecode,_regardingobjectid_value&$expand=activitypointer_activity_parties($select=_partyid_value,participationtypemask)",
            "phonecalls?$select=directioncode,crmg_guardmessage,crmg_guardcheckedon",
            "teams?$select=teamid&$expand=teammembership_association($select=systemuserid)&$filter=teamtype eq 1",
            "sdkmessageprocessingsteps?$select=name,stage,mode,rank,filteringattributes,_eventhandler_value,_sdkmessagefilterid_value",
            "sdkmessageprocessingstepimages?$select=entityalias,imagetype,_sdkmessageprocessingstepid_value",
            "crmg_matchkeys?$select=crmg_key,crmg_recordid,crmg_accountid",
        })
        {
            using var response = await http.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task WriteBody_UnknownPropertyOrRawLookup_Is400_BindIsAccepted()
    {
        await using var org = await DataverseEmulator.StartAsync();
        using var http = Client(org);
        var parent = await CreateAsync(http, "accounts", new JsonObject { ["name"] = "Parent" });

        await AssertErrorAsync(await http.PostAsync("accounts", Json(new JsonObject { ["nmae"] = "x" })), HttpStatusCode.BadRequest, QueryCode,
            "The property 'nmae' does not exist on type 'Microsoft.Dynamics.CRM.account'. Make sure to only use property names that are defined by the type.");
        await AssertErrorAsync(await http.PostAsync("accounts", Json(new JsonObject { ["_parentaccountid_value"] = parent })), HttpStatusCode.BadRequest, QueryCode,
            "CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.");
        await AssertErrorAsync(await http.PostAsync("contacts", Json(new JsonObject { ["parentcustomerid@odata.bind"] = $"/accounts({parent})" })),
            HttpStatusCode.BadRequest, QueryCode, "An undeclared property 'parentcustomerid' which only has property annotations in the payload");
        await AssertErrorAsync(await http.PostAsync("contacts", Json(new JsonObject { ["parentcustomerid_account@odata.bind"] = $"/contacts({parent})" })),
            HttpStatusCode.BadRequest, QueryCode, "points at 'Microsoft.Dynamics.CRM.account'");
        var missing = Guid.NewGuid().ToString("D");
        await AssertErrorAsync(await http.PostAsync("contacts", Json(new JsonObject { ["parentcustomerid_account@odata.bind"] = $"/accounts({missing})" })),
            HttpStatusCode.NotFound, "0x80040217", $"account With Id = {missing} Does Not Exist");

        var child = await CreateAsync(http, "accounts", new JsonObject { ["name"] = "Child", ["parentaccountid@odata.bind"] = $"/accounts({parent})" });
        var contact = await CreateAsync(http, "contacts", new JsonObject { ["lastname"] = "Ng", ["parentcustomerid_account@odata.bind"] = $"{org.WebApiRoot}accounts({child})" });
        var task = await CreateAsync(http, "tasks", new JsonObject { ["subject"] = "Call back", ["regardingobjectid_contact_task@odata.bind"] = $"/contacts({contact})" });

        var row = await GetJsonAsync(http, $"contacts({contact})?$select=fullname,_parentcustomerid_value", annotations: true);
        Assert.Equal(child, row["_parentcustomerid_value"]!.GetValue<string>());
        Assert.Equal("account", row["_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"]!.GetValue<string>());
        Assert.Equal("Child", row["_parentcustomerid_value@OData.Community.Display.V1.FormattedValue"]!.GetValue<string>());
        Assert.Equal("Ng", row["fullname"]!.GetValue<string>());
        Assert.Equal("task", (await GetJsonAsync(http, $"activitypointers({task})?$select=activitytypecode"))["activitytypecode"]!.GetValue<string>());
    }

    [Fact]
    public async Task FlagColumns_OnLeadsAndActivities_WithTheirLengths_AndTestsCanAddColumns()
    {
        await using var org = await DataverseEmulator.StartAsync();
        using var http = Client(org);
        var lead = await CreateAsync(http, "leads", new JsonObject { ["lastname"] = "Reed", ["companyname"] = "Contoso" });
        var flags = new JsonObject
        {
            ["crmg_guardverdict"] = "block",
            ["crmg_guardrule"] = "existing-customer",
            ["crmg_guardmessage"] = new string('m', 2000),
            ["crmg_guardcheckedon"] = "2026-01-10T09:00:00Z",
        };

        Assert.Equal(HttpStatusCode.NoContent, (await PatchAsync(http, $"leads({lead})", flags, ("If-Match", "*"))).StatusCode);
        await AssertErrorAsync(await PatchAsync(http, $"leads({lead})", new JsonObject { ["crmg_guardverdict"] = new string('v', 21) }), HttpStatusCode.BadRequest, "0x80044331",
            "A validation error occurred.  The length of the 'crmg_guardverdict' attribute of the 'lead' entity exceeded the maximum allowed length of '20'.");
        await AssertErrorAsync(await PatchAsync(http, $"leads({lead})", new JsonObject { ["crmg_reschedulecount"] = "2" }), HttpStatusCode.BadRequest, "0x80048d19", "Edm.Int32");
        var account = await CreateAsync(http, "accounts", new JsonObject { ["name"] = "No flags here" });
        await AssertErrorAsync(await PatchAsync(http, $"accounts({account})", new JsonObject { ["crmg_guardverdict"] = "flag" }), HttpStatusCode.BadRequest, QueryCode, "'crmg_guardverdict' does not exist");

        await AssertErrorAsync(await PatchAsync(http, $"leads({lead})", new JsonObject { ["new_score"] = 5 }), HttpStatusCode.BadRequest, QueryCode, "'new_score' does not exist");
        org.Schema.AddColumn("lead", "new_score", EmulatorColumnType.Integer);
        Assert.Equal(HttpStatusCode.NoContent, (await PatchAsync(http, $"leads({lead})", new JsonObject { ["new_score"] = 5 })).StatusCode);
        Assert.Equal(5, (await GetJsonAsync(http, $"leads({lead})?$select=new_score"))["new_score"]!.GetValue<int>());
    }

    // ---- 2. Types: GUIDs are unquoted ----

    [Fact]
    public async Task QuotedGuid_OnKeyOrLookup_Is400IncompatibleTypes_UnquotedMatches()
    {
        await using var org = await DataverseEmulator.StartAsync();
        using var http = Client(org);
        var account = await CreateAsync(http, "accounts", new JsonObject { ["name"] = "Contoso" });
        await CreateAsync(http, "contacts", new JsonObject { ["lastname"] = "Ng", ["parentcustomerid_account@odata.bind"] = $"/accounts({account})" });

        await AssertErrorAsync(await http.GetAsync($"accounts?$filter=accountid eq '{account}'"), HttpStatusCode.BadRequest, QueryCode,
            "A binary operator with incompatible types was detected. Found operand types 'Edm.Guid' and 'Edm.String' for operator kind 'Equal'.");
        await AssertErrorAsync(await http.GetAsync($"contacts?$filter=_parentcustomerid_value ne '{account}'"), HttpStatusCode.BadRequest, QueryCode,
            "Found operand types 'Edm.Guid' and 'Edm.String' for operator kind 'NotEqual'.");
        await AssertErrorAsync(await http.GetAsync($"accounts?$filter=name eq {account}"), HttpStatusCode.BadRequest, QueryCode,
            "Found operand types 'Edm.String' and 'Edm.Guid' for operator kind 'Equal'.");
        await AssertErrorAsync(await http.GetAsync("accounts?$filter=name eq 5"), HttpStatusCode.BadRequest, QueryCode,
            "Found operand types 'Edm.String' and 'Edm.Int32' for operator kind 'Equal'.");
        await AssertErrorAsync(await http.GetAsync("accounts?$filter=statecode ge '0'"), HttpStatusCode.BadRequest, QueryCode,
            "Found operand types 'Edm.Int32' and 'Edm.String' for operator kind 'GreaterThanOrEqual'.");
        await AssertErrorAsync(await http.GetAsync($"contacts?$filter=startswith(_parentcustomerid_value,'{account[..8]}')"), HttpStatusCode.BadRequest, QueryCode,
            "No function signature for the function with name 'startswith' matches the specified arguments.");
        await AssertErrorAsync(await http.GetAsync("accounts?$filter=statecode in (0,1)"), HttpStatusCode.BadRequest, QueryCode, "Syntax error");

        Assert.Single(await QueryAsync(http, $"accounts?$filter=accountid eq {account}"));
        Assert.Single(await QueryAsync(http, $"contacts?$filter=_parentcustomerid_value eq {account.ToUpperInvariant()} and statecode eq 0"));
    }

    // ---- 3. Microsoft.Dynamics.CRM.In takes the logical name ----

    [Fact]
    public async Task In_OnWebApiLookupName_Is400_OnLogicalNameMatches()
    {
        await using var org = await DataverseEmulator.StartAsync();
        using var http = Client(org);
        var account = await CreateAsync(http, "accounts", new JsonObject { ["name"] = "Contoso" });
        var other = await CreateAsync(http, "accounts", new JsonObject { ["name"] = "Other" });
        var task = await CreateAsync(http, "tasks", new JsonObject { ["subject"] = "Renewal", ["regardingobjectid_account_task@odata.bind"] = $"/accounts({account})" });

        await AssertErrorAsync(
            await http.GetAsync($"activitypointers?$filter=Microsoft.Dynamics.CRM.In(PropertyName='_regardingobjectid_value',PropertyValues=[\"{account}\"])"),
            HttpStatusCode.BadRequest, "0x80041103", "'activitypointer' entity doesn't contain attribute with Name = '_regardingobjectid_value' and NameMapping = 'Logical'");
        await AssertErrorAsync(
            await http.GetAsync($"contacts?$filter=Microsoft.Dynamics.CRM.In(PropertyName='_parentcustomerid_value',PropertyValues=['{account}'])"),
            HttpStatusCode.BadRequest, "0x80041103", "'contact' entity doesn't contain attribute with Name = '_parentcustomerid_value' and NameMapping = 'Logical'");
        await AssertErrorAsync(
            await http.GetAsync("activitypointers?$filter=Microsoft.Dynamics.CRM.In(PropertyName='regardingobjectid',PropertyValues=[\"not-a-guid\"])"),
            HttpStatusCode.BadRequest, "0x80040203", "not-a-guid");

        var doubleQuoted = await QueryAsync(http, $"activitypointers?$filter=Microsoft.Dynamics.CRM.In(PropertyName='regardingobjectid',PropertyValues=[\"{account}\",\"{other}\"])");
        var singleQuoted = await QueryAsync(http, $"activitypointers?$filter=Microsoft.Dynamics.CRM.In(PropertyName='regardingobjectid',PropertyValues=['{account.ToUpperInvariant()}'])");
        var notIn = await QueryAsync(http, $"activitypointers?$filter=Microsoft.Dynamics.CRM.NotIn(PropertyName='regardingobjectid',PropertyValues=['{other}'])");
        var aliased = await QueryAsync(http, $"accounts?$filter=Microsoft.Dynamics.CRM.In(PropertyName=@p1,PropertyValues=@p2)&@p1='name'&@p2=[\"contoso\",\"O'Brian\"]");
        Assert.Equal(task, Assert.Single(doubleQuoted)["activityid"]!.GetValue<string>());
        Assert.Equal(task, Assert.Single(singleQuoted)["activityid"]!.GetValue<string>());
        Assert.Single(notIn);
        Assert.Equal(account, Assert.Single(aliased)["accountid"]!.GetValue<string>());
    }

    // ---- 4. Wildcards follow SQL LIKE ----

    [Fact]
    public async Task StringFunctions_FollowSqlLike_AndLeadingWildcardsAreCounted()
    {
        await using var org = await DataverseEmulator.StartAsync();
        using var http = Client(org);
        foreach (var name in new[] { "500 Ltd", "50% Off Stores", "5_0 Studio", "[Bracket] Co", "Alpha AG", "Beta AG" })
            await CreateAsync(http, "accounts", new JsonObject { ["name"] = name });

        async Task<string[]> Names(string filter) =>
            (await QueryAsync(http, "accounts?$select=name&$orderby=name&$filter=" + Uri.EscapeDataString(filter))).Select(r => r["name"]!.GetValue<string>()).ToArray();

        Assert.Equal(new[] { "50% Off Stores", "500 Ltd" }, await Names("startswith(name,'50%')"));
        Assert.Equal(new[] { "50% Off Stores" }, await Names("startswith(name,'50[%]')"));
        Assert.Equal(new[] { "5_0 Studio", "500 Ltd" }, await Names("startswith(name,'5_0')"));
        Assert.Equal(new[] { "5_0 Studio" }, await Names("startswith(name,'5[_]0')"));
        Assert.Equal(new[] { "[Bracket] Co" }, await Names("startswith(name,'[[]b')"));
        Assert.Equal(new[] { "Alpha AG", "Beta AG" }, await Names("startswith(name,'[ab]')"));
        Assert.Equal(new[] { "Beta AG" }, await Names("startswith(name,'[^a0-9[]')"));
        Assert.Equal(new[] { "Alpha AG", "Beta AG" }, await Names("endswith(name,' ag')"));
        Assert.Equal(new[] { "50% Off Stores" }, await Names("contains(name,'% off')"));

        org.Stats.Reset();
        await Names("startswith(name,'alp')");
        Assert.Equal(0, org.Stats.LeadingWildcardQueries);
        await Names("contains(name,'lph')");
        await Names("endswith(name,'AG')");
        await Names("startswith(name,'%AG')");
        Assert.Equal(3, org.Stats.LeadingWildcardQueries);
    }

    // ---- 5. $expand limits ----

    [Fact]
    public async Task Expand_MoreThan15_Is400_15IsAccepted()
    {
        await using var org = await DataverseEmulator.StartAsync();
        using var http = Client(org);
        string Nested(int levels) => levels == 1 ? "parentaccountid($select=name)" : $"parentaccountid($select=name;$expand={Nested(levels - 1)})";

        await AssertErrorAsync(await http.GetAsync("accounts?$select=name&$expand=" + Nested(16)), HttpStatusCode.BadRequest, "0x8004430D",
            "Number of link entities in query exceeded maximum limit.");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("accounts?$select=name&$expand=" + Nested(15))).StatusCode);
    }

    [Fact]
    public async Task Expand_TopOrOrderByWithNestedExpandOrOnLookup_Is400_SingleLevelCollectionIsAccepted()
    {
        await using var org = await DataverseEmulator.StartAsync();
        using var http = Client(org);
        var account = await CreateAsync(http, "accounts", new JsonObject { ["name"] = "Contoso" });
        foreach (var name in new[] { "Ng", "Adams", "Lee" })
            await CreateAsync(http, "contacts", new JsonObject { ["lastname"] = name, ["parentcustomerid_account@odata.bind"] = $"/accounts({account})" });
        const string Message = "Only $select and $filter clause can be provided while doing $expand on many-to-one relationship or nested one-to-many relationship.";

        await AssertErrorAsync(await http.GetAsync("accounts?$expand=contact_customer_accounts($top=1;$expand=parentcustomerid_account($select=name))"),
            HttpStatusCode.BadRequest, QueryCode, Message);
        await AssertErrorAsync(await http.GetAsync("accounts?$expand=contact_customer_accounts($orderby=lastname),parentaccountid($expand=primarycontactid)"),
            HttpStatusCode.BadRequest, QueryCode, Message);
        await AssertErrorAsync(await http.GetAsync("contacts?$expand=parentcustomerid_account($top=1)"), HttpStatusCode.BadRequest, QueryCode, Message);

        var row = await GetJsonAsync(http, $"accounts({account})?$select=name&$expand=contact_customer_accounts($select=lastname;$orderby=lastname desc;$top=2)");
        var contacts = row["contact_customer_accounts"]!.AsArray();
        Assert.Equal(new[] { "Ng", "Lee" }, contacts.Select(c => c!["lastname"]!.GetValue<string>()));
        Assert.All(contacts, c => Assert.NotNull(c!["contactid"])); // the primary key is always returned
        var nested = await QueryAsync(http, "contacts?$select=lastname&$expand=parentcustomerid_account($select=name;$expand=parentaccountid($select=name))");
        Assert.All(nested, c => Assert.Equal("Contoso", c["parentcustomerid_account"]!["name"]!.GetValue<string>()));
    }

    // ---- 6. $orderby, paging, $count ----

    [Fact]
    public async Task OrderByPagingAndCount()
    {
        await using var org = await DataverseEmulator.StartAsync();
        using var http = Client(org);
        foreach (var name in new[] { "Delta", "alpha", "Charlie", "bravo", "Echo" })
            await CreateAsync(http, "accounts", new JsonObject { ["name"] = name });

        Assert.Equal(new[] { "Echo", "Delta", "Charlie", "bravo", "alpha" }, (await QueryAsync(http, "accounts?$select=name&$orderby=name desc")).Select(r => r["name"]!.GetValue<string>()));
        await AssertErrorAsync(await http.GetAsync("accounts?$orderby=name sideways"), HttpStatusCode.BadRequest, QueryCode, "Syntax error");
        await AssertErrorAsync(await http.GetAsync("accounts?$skip=2"), HttpStatusCode.BadRequest, QueryCode, "'$skip'");

        // $top alone: that many rows, no paging.
        var top = await GetJsonAsync(http, "accounts?$select=name&$orderby=name&$top=2&$count=true");
        Assert.Equal(2, top["value"]!.AsArray().Count);
        Assert.Null(top["@odata.nextLink"]);
        Assert.Equal(5, top["@odata.count"]!.GetValue<int>());

        // "Don't use $top with the Prefer: odata.maxpagesize request header. If you include both, $top is ignored." (page-results.md)
        var names = new List<string>();
        string? next = "accounts?$select=name&$orderby=name&$top=3";
        var pages = 0;
        while (next is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Add("Prefer", "odata.maxpagesize=2");
            using var response = await http.SendAsync(request);
            Assert.Equal("odata.maxpagesize=2", response.Headers.GetValues("Preference-Applied").Single());
            var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.InRange(page["value"]!.AsArray().Count, 1, 2);
            names.AddRange(page["value"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
            next = page["@odata.nextLink"]?.GetValue<string>();
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(new[] { "alpha", "bravo", "Charlie", "Delta", "Echo" }, names);
    }

    // ---- 7. $batch ----

    [Fact]
    public async Task Batch_RunsGetPostPatchDeleteInOrder_AndStopsAtTheFirstErrorWithoutContinueOnError()
    {
        await using var org = await DataverseEmulator.StartAsync();
        using var http = Client(org);
        var id = Guid.NewGuid().ToString("D");

        var (status, parts) = await BatchAsync(http, continueOnError: true,
            ("POST", "accounts", new JsonObject { ["accountid"] = id, ["name"] = "Batched" }, null),
            ("PATCH", $"accounts({id})", new JsonObject { ["telephone1"] = "(206) 555-0150" }, ("If-Match", "*")),
            ("GET", $"accounts({id})?$select=name,telephone1", null, null),
            ("GET", "acounts", null, null),
            ("DELETE", $"accounts({id})", null, null),
            ("GET", $"accounts({id})", null, null));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(new[] { 204, 204, 200, 404, 204, 404 }, parts.Select(p => p.Status));
        Assert.Equal("(206) 555-0150", JsonNode.Parse(parts[2].Body)!["telephone1"]!.GetValue<string>());
        Assert.Equal("Resource not found for the segment 'acounts'.", JsonNode.Parse(parts[3].Body)!["error"]!["message"]!.GetValue<string>());

        // Without continue-on-error: 400 overall, the failing part answered, the rest not run.
        var second = Guid.NewGuid().ToString("D");
        (status, parts) = await BatchAsync(http, continueOnError: false,
            ("GET", "accounts?$select=name", null, null),
            ("POST", "accounts", new JsonObject { ["nmae"] = "typo" }, null),
            ("POST", "accounts", new JsonObject { ["accountid"] = second, ["name"] = "Never" }, null));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(new[] { 200, 400 }, parts.Select(p => p.Status));
        Assert.Null(org.Store.Find("accounts", second));

        var tooMany = Enumerable.Repeat<(string, string, JsonObject?, (string, string)?)>(("GET", "accounts?$select=name", null, null), 1001).ToArray();
        (status, parts) = await BatchAsync(http, continueOnError: true, tooMany);
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    // ---- 8. Columns a write may not set ----

    [Fact]
    public async Task Write_SystemColumnsAndKeyInPatch_Are400_OverriddenCreatedOnIsAccepted()
    {
        await using var org = await DataverseEmulator.StartAsync();
        using var http = Client(org);
        var lead = await CreateAsync(http, "leads", new JsonObject { ["lastname"] = "Reed", ["overriddencreatedon"] = "2025-06-01T08:00:00Z" });
        Assert.Equal("2025-06-01T08:00:00Z", (await GetJsonAsync(http, $"leads({lead})?$select=createdon"))["createdon"]!.GetValue<string>());

        await AssertErrorAsync(await http.PostAsync("leads", Json(new JsonObject { ["lastname"] = "x", ["createdon"] = "2025-06-01T08:00:00Z" })),
            HttpStatusCode.BadRequest, "0x80040203", "'createdon' attribute of the 'lead' entity is not valid for create");
        await AssertErrorAsync(await PatchAsync(http, $"leads({lead})", new JsonObject { ["leadid"] = lead, ["lastname"] = "y" }),
            HttpStatusCode.BadRequest, "0x80040203", "'leadid' attribute of the 'lead' entity is not valid for update");
        await AssertErrorAsync(await PatchAsync(http, $"leads({lead})", new JsonObject { ["overriddencreatedon"] = "2025-01-01T00:00:00Z" }),
            HttpStatusCode.BadRequest, "0x80040203", "not valid for update");
        await AssertErrorAsync(await http.PostAsync("tasks", Json(new JsonObject { ["subject"] = "x", ["activitytypecode"] = "task" })),
            HttpStatusCode.BadRequest, "0x80040203", "'activitytypecode'");
        await AssertErrorAsync(await http.PostAsync("contacts", Json(new JsonObject { ["fullname"] = "Ada Lovelace" })),
            HttpStatusCode.BadRequest, "0x80040203", "'fullname'");
        await AssertErrorAsync(await http.PostAsync("activitypointers", Json(new JsonObject { ["subject"] = "x" })),
            HttpStatusCode.BadRequest, "0x80040800", "does not support entities of type 'activitypointer'");
        await AssertErrorAsync(await http.PostAsync("tasks", Json(new JsonObject { ["subject"] = new string('s', 201) })),
            HttpStatusCode.BadRequest, "0x80044331", "The length of the 'subject' attribute of the 'task' entity exceeded the maximum allowed length of '200'.");
        await AssertErrorAsync(await http.PostAsync("leads", Json(new JsonObject { ["leadid"] = lead, ["lastname"] = "Again" })),
            HttpStatusCode.PreconditionFailed, "0x80040237", "A record with matching key values already exists.");
    }

    // ---- 9. The match-key table: alternate key, upsert, index ----

    [Fact]
    public async Task MatchKeys_DuplicatePairIs412_AlternateKeyAddressesGetPatchDelete()
    {
        await using var org = await DataverseEmulator.StartAsync();
        using var http = Client(org);
        var record = Guid.NewGuid().ToString("D");
        await CreateAsync(http, "crmg_matchkeys", new JsonObject { ["crmg_key"] = "1an0123456789abc", ["crmg_recordid"] = record });

        await AssertErrorAsync(await http.PostAsync("crmg_matchkeys", Json(new JsonObject { ["crmg_key"] = "1AN0123456789ABC", ["crmg_recordid"] = record })),
            HttpStatusCode.PreconditionFailed, "0x80060892", "A record with matching key values already exists.");
        await CreateAsync(http, "crmg_matchkeys", new JsonObject { ["crmg_key"] = "1an0123456789abc", ["crmg_recordid"] = Guid.NewGuid().ToString("D") });
        await AssertErrorAsync(await http.PostAsync("crmg_matchkeys", Json(new JsonObject { ["crmg_key"] = new string('k', 101), ["crmg_recordid"] = record })),
            HttpStatusCode.BadRequest, "0x80044331", "maximum allowed length of '100'");

        var url = $"crmg_matchkeys(crmg_key='1an0123456789abc',crmg_recordid='{record}')";
        Assert.Equal(record, (await GetJsonAsync(http, url + "?$select=crmg_recordid"))["crmg_recordid"]!.GetValue<string>());
        await AssertErrorAsync(await http.GetAsync($"crmg_matchkeys(crmg_key='1zz',crmg_recordid='{record}')"), HttpStatusCode.NotFound, "0x80040217", "does not exist");
        await AssertErrorAsync(await http.GetAsync($"crmg_matchkeys(crmg_key='1an0123456789abc')"), HttpStatusCode.BadRequest, "0x80060891", "no alternate key");

        // Upsert by alternate key: update when present (key values in the body are not applied), create when missing.
        Assert.Equal(HttpStatusCode.NoContent, (await PatchAsync(http, url, new JsonObject { ["crmg_accountid"] = "acc-1" })).StatusCode);
        Assert.Equal("acc-1", (await GetJsonAsync(http, url))["crmg_accountid"]!.GetValue<string>());
        var quoted = "crmg_matchkeys(crmg_key='o''brien',crmg_recordid='r-2')";
        using (var created = await PatchAsync(http, quoted, new JsonObject { ["crmg_accountid"] = null }))
        {
            Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);
            Assert.EndsWith(quoted, created.Headers.GetValues("OData-EntityId").Single(), StringComparison.Ordinal);
        }

        Assert.Equal("o'brien", (await GetJsonAsync(http, quoted))["crmg_key"]!.GetValue<string>());
        await AssertErrorAsync(await PatchAsync(http, "crmg_matchkeys(crmg_key='k-9',crmg_recordid='r-9')", new JsonObject { ["crmg_accountid"] = "a" }, ("If-Match", "*")),
            HttpStatusCode.NotFound, "0x80040217", "does not exist");
        await AssertErrorAsync(await PatchAsync(http, url, new JsonObject { ["crmg_accountid"] = "a" }, ("If-None-Match", "*")),
            HttpStatusCode.PreconditionFailed, "0x80040237", "A record with matching key values already exists.");
        Assert.Equal(HttpStatusCode.NoContent, (await PatchAsync(http, "crmg_matchkeys(crmg_key='k-9',crmg_recordid='r-9')", new JsonObject(), ("If-None-Match", "*"))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(url)).StatusCode);
        Assert.Equal(3, org.Store.Count("crmg_matchkeys"));
    }

    [Fact]
    public async Task MatchKeys_100kRows_EqualityLookupsUseTheIndex()
    {
        await using var org = await DataverseEmulator.StartAsync();
        using var http = Client(org);
        const int Rows = 100_000;
        org.Store.InsertMany("crmg_matchkeys", Enumerable.Range(0, Rows).Select(i => new JsonObject
        {
            ["crmg_key"] = "1ap" + (i % 25_000).ToString("x13", CultureInfo.InvariantCulture),
            ["crmg_recordid"] = EmulatorIds.For("account", "A" + i.ToString("D6", CultureInfo.InvariantCulture)),
            ["crmg_accountid"] = null,
        }));
        org.Stats.Reset();

        for (var i = 0; i < 30; i++)
        {
            var key = "1ap" + (i * 7).ToString("x13", CultureInfo.InvariantCulture);
            var rows = await QueryAsync(http, $"crmg_matchkeys?$select=crmg_recordid,crmg_accountid&$top=21&$filter=crmg_key eq '{key.ToUpperInvariant()}'");
            Assert.Equal(4, rows.Count);
        }

        var record = EmulatorIds.For("account", "A000042");
        Assert.Single(await QueryAsync(http, $"crmg_matchkeys?$filter=(crmg_recordid eq '{record}' or crmg_recordid eq 'none') and crmg_accountid eq null"));
        Assert.Equal(8, (await QueryAsync(http, "crmg_matchkeys?$filter=Microsoft.Dynamics.CRM.In(PropertyName='crmg_key',PropertyValues=['1ap0000000000001','1ap0000000000002'])")).Count);

        Assert.Equal(0, org.Stats.FullScans);
        Assert.Equal(32, org.Stats.IndexedQueries);
        Assert.True(org.Stats.RowsScanned < 200, $"scanned {org.Stats.RowsScanned} rows");
    }

    // ---- 11. Seeding a bench folder as typed ----

    [Fact]
    public async Task SeedCsvFolder_SeedsAccountsContactsAndOwnersAsTyped()
    {
        var folder = Directory.CreateTempSubdirectory("emulator-csv-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "accounts.csv"),
                "id,name,website,phone,email,street,city,postal_code,country,owner,parent_id\n" +
                "A000001,\"Moore & Sons Co., Ltd.\",https://mooresons.jp,(206) 555-0150,info@mooresons.jp,4897 Elm Road,Osaka,56408,JP,u005,\n" +
                "A000002,\"Say \"\"Hi\"\" GmbH\",,,,,,,DE,u006,A000001\n");
            await File.WriteAllTextAsync(Path.Combine(folder, "contacts.csv"),
                "owner,id,account_id,first_name,last_name,email,phone,extra\n" +
                "u005,C000001,A000001,Aiko,Moore,aiko@mooresons.jp,+81 6 1234 5678,ignored\n");
            await using var org = await DataverseEmulator.StartAsync();
            using var http = Client(org);

            var seeded = org.SeedCsvFolder(folder);

            Assert.Equal(new CsvSeedResult(2, 1, 2), seeded);
            var accountId = EmulatorIds.For("account", "A000001");
            var account = await GetJsonAsync(http, $"accounts({accountId})?$select=name,telephone1,websiteurl,address1_country,customertypecode,_ownerid_value", annotations: true);
            Assert.Equal("Moore & Sons Co., Ltd.", account["name"]!.GetValue<string>());
            Assert.Equal("(206) 555-0150", account["telephone1"]!.GetValue<string>());
            Assert.Equal("https://mooresons.jp", account["websiteurl"]!.GetValue<string>());
            Assert.Equal("JP", account["address1_country"]!.GetValue<string>());
            Assert.Equal(3, account["customertypecode"]!.GetValue<int>());
            Assert.Equal(EmulatorIds.For("systemuser", "u005"), account["_ownerid_value"]!.GetValue<string>());
            Assert.Equal("u005", account["_ownerid_value@OData.Community.Display.V1.FormattedValue"]!.GetValue<string>());

            var child = await GetJsonAsync(http, $"accounts({EmulatorIds.For("account", "A000002")})?$select=name,telephone1,_parentaccountid_value");
            Assert.Equal("Say \"Hi\" GmbH", child["name"]!.GetValue<string>());
            Assert.Null(child["telephone1"]);
            Assert.Equal(accountId, child["_parentaccountid_value"]!.GetValue<string>());

            var contact = Assert.Single(await QueryAsync(http, $"contacts?$select=fullname,telephone1,_parentcustomerid_value&$filter=_parentcustomerid_value eq {accountId}", annotations: true));
            Assert.Equal("Aiko Moore", contact["fullname"]!.GetValue<string>());
            Assert.Equal("+81 6 1234 5678", contact["telephone1"]!.GetValue<string>());
            Assert.Equal("account", contact["_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task SeedCsvFolder_DevBench_SeedsAsTypedAndMatchesTheIdFunction()
    {
        var folder = BenchData.Folder("dev");
        await using var org = await DataverseEmulator.StartAsync();
        using var http = Client(org);

        var seeded = org.SeedCsvFolder(folder);

        Assert.Equal(5000, seeded.Accounts);
        Assert.InRange(seeded.Contacts, 9000, 10_000);
        var first = await GetJsonAsync(http, $"accounts({EmulatorIds.For("account", "A000000")})?$select=name,telephone1");
        Assert.Equal("Brookside Holdings Co.", first["name"]!.GetValue<string>());
        Assert.Equal("1-283-016-6131", first["telephone1"]!.GetValue<string>());
    }

    [Fact]
    public void EmulatorIds_AreTheMd5OfTableAndId()
    {
        // MD5("account:A000123") as 32 hex digits, in order.
#pragma warning disable CA5351 // the documented id function, not security
        var hex = Convert.ToHexString(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes("account:A000123"))).ToLowerInvariant();
#pragma warning restore CA5351

        Assert.Equal(hex, EmulatorIds.For("account", "A000123").Replace("-", string.Empty, StringComparison.Ordinal));
        Assert.NotEqual(EmulatorIds.For("account", "A000123"), EmulatorIds.For("contact", "A000123"));
    }

    // ---- helpers ----

    private static HttpClient Client(DataverseEmulator org)
    {
        var http = new HttpClient { BaseAddress = org.WebApiRoot };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", org.Token);
        return http;
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task<string> CreateAsync(HttpClient http, string set, JsonObject body)
    {
        using var response = await http.PostAsync(set, Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"POST {set}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var url = response.Headers.GetValues("OData-EntityId").Single();
        return url.Substring(url.LastIndexOf('(') + 1, 36);
    }

    private static async Task<HttpResponseMessage> PatchAsync(HttpClient http, string url, JsonObject body, (string Name, string Value)? header = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = Json(body) };
        if (header is { } h)
            request.Headers.TryAddWithoutValidation(h.Name, h.Value);
        return await http.SendAsync(request);
    }

    private static async Task<JsonObject> GetJsonAsync(HttpClient http, string url, bool annotations = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (annotations)
            request.Headers.TryAddWithoutValidation("Prefer", "odata.include-annotations=\"*\"");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<List<JsonObject>> QueryAsync(HttpClient http, string url, bool annotations = false) =>
        (await GetJsonAsync(http, url, annotations))["value"]!.AsArray().Select(r => r!.AsObject()).ToList();

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, string message)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
            var error = JsonNode.Parse(text)!["error"]!;
            Assert.Equal(code, error["code"]!.GetValue<string>());
            Assert.Contains(message, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    private static async Task<(HttpStatusCode Status, List<(int Status, string Body)> Parts)> BatchAsync(
        HttpClient http, bool continueOnError, params (string Method, string Url, JsonObject? Body, (string Name, string Value)? Header)[] requests)
    {
        var boundary = "batch_" + Guid.NewGuid().ToString("N");
        var body = new StringBuilder();
        foreach (var (method, url, json, header) in requests)
        {
            body.Append("--").Append(boundary).Append("\r\n")
                .Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n")
                .Append(method).Append(' ').Append(new Uri(http.BaseAddress!, url).AbsoluteUri).Append(" HTTP/1.1\r\n")
                .Append("Accept: application/json\r\n");
            if (header is { } h)
                body.Append(h.Name).Append(": ").Append(h.Value).Append("\r\n");
            if (json is not null)
                body.Append("Content-Type: application/json\r\n\r\n").Append(json.ToJsonString()).Append("\r\n");
            else
                body.Append("\r\n");
        }

        body.Append("--").Append(boundary).Append("--\r\n");
        using var request = new HttpRequestMessage(HttpMethod.Post, "$batch") { Content = new StringContent(body.ToString(), Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/mixed; boundary=" + boundary);
        if (continueOnError)
            request.Headers.Add("Prefer", "odata.continue-on-error");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var responseBoundary = response.Content.Headers.ContentType?.Parameters.FirstOrDefault(p => p.Name == "boundary")?.Value?.Trim('"');
        var parts = new List<(int, string)>();
        if (responseBoundary is null)
            return (response.StatusCode, parts);
        foreach (var part in text.Split("--" + responseBoundary).Skip(1).Where(p => !p.StartsWith("--", StringComparison.Ordinal)))
        {
            var statusLine = part.IndexOf("HTTP/1.1 ", StringComparison.Ordinal);
            var blank = part.IndexOf("\r\n\r\n", statusLine, StringComparison.Ordinal);
            parts.Add((int.Parse(part.Substring(statusLine + 9, 3), CultureInfo.InvariantCulture), blank < 0 ? string.Empty : part.Substring(blank + 4).Trim()));
        }

        return (response.StatusCode, parts);
    }
}
