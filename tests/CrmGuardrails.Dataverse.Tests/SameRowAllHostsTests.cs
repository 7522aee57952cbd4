using System.Text;
using System.Text.Json.Nodes;
using CrmGuardrails.Dataverse.Emulator;
using CrmGuardrails.Dataverse.Plugin;
using CrmGuardrails.Dataverse.Webhooks;
using Microsoft.Xrm.Sdk;

namespace CrmGuardrails.Dataverse.Tests;

/// <summary>
/// One Dataverse row, as each host receives it — a Web API row read by the directory, an execution context's entity read
/// by the webhook, an SDK entity read by the plug-in — must become the same record: one schema, one mapping.
/// </summary>
public sealed class SameRowAllHostsTests
{
    private const string Owner = "11111111-0000-0000-0000-0000000000a1";
    private const string Parent = "aaaaaaaa-0000-0000-0000-0000000000a2";
    private const string Contact = "cccccccc-0000-0000-0000-0000000000a3";
    private const string User = "11111111-0000-0000-0000-0000000000a4";

    public static TheoryData<string> Tables => new() { "account", "contact", "lead", "phonecall" };

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task OneRow_ThreeHosts_OneRecord(string table)
    {
        var id = Guid.NewGuid().ToString("D");
        var columns = Columns(table);

        var webApi = await ThroughWebApiAsync(table, id, columns);
        var webhook = ThroughWebhook(table, id, columns);
        var plugin = ThroughPlugin(table, id, columns);

        Assert.NotNull(webApi);
        Assert.Equal(Describe(webApi!), Describe(webhook!));
        Assert.Equal(Describe(webApi!), Describe(plugin!));
    }

    /// <summary>The row's columns as typed in a real org: padded text, a phone as typed, a country as free text, codes.</summary>
    private static Dictionary<string, object?> Columns(string table) => table switch
    {
        "account" => new()
        {
            ["name"] = " Roberts & Wright Pty Ltd ", ["websiteurl"] = "https://www.robertswright.com.au/", ["telephone1"] = "(02) 9555 0150",
            ["emailaddress1"] = "info@robertswright.com.au", ["address1_city"] = "Sydney", ["address1_country"] = "Australia",
            ["statecode"] = 0, ["customertypecode"] = 3, ["ownerid"] = ("systemuser", Owner), ["parentaccountid"] = ("account", Parent),
        },
        "contact" => new()
        {
            ["firstname"] = "Jane", ["lastname"] = "Doe", ["emailaddress1"] = "jane@robertswright.com.au", ["mobilephone"] = "0412 555 019",
            ["statecode"] = 0, ["parentcustomerid"] = ("account", Parent), ["ownerid"] = ("systemuser", Owner),
        },
        "lead" => new()
        {
            ["firstname"] = "Tom", ["lastname"] = "Reed", ["companyname"] = "Müller GmbH", ["telephone1"] = "+49 (0)30 555 0199",
            ["address1_country"] = "de", ["statecode"] = 0, ["ownerid"] = ("systemuser", Owner),
        },
        _ => new()
        {
            ["subject"] = "Renewal call", ["statecode"] = 0, ["scheduledstart"] = new DateTime(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc),
            ["ownerid"] = ("systemuser", Owner), ["regardingobjectid"] = ("account", Parent), ["crmg_reschedulecount"] = 2,
            ["from"] = new[] { ("systemuser", User) }, ["to"] = new[] { ("contact", Contact) },
        },
    };

    private static async Task<CrmRecord?> ThroughWebApiAsync(string table, string id, Dictionary<string, object?> columns)
    {
        await using var emulator = await DataverseEmulator.StartAsync();
        await using var org = new EmulatorOrg(emulator);
        var set = table + "s";
        var row = new JsonObject { [EmulatorStore.KeyOf(set)] = id };
        var parties = new List<(string Party, string Table, int Mask)>();
        foreach (var (column, value) in columns)
        {
            switch (value)
            {
                case (string lookupTable, string lookupId):
                    SetLookup(row, column, lookupTable, lookupId);
                    break;
                case (string, string)[] list:
                    parties.AddRange(list.Select(p => (p.Item2, p.Item1, column == "from" ? 1 : 2)));
                    break;
                case DateTime date:
                    row[column] = date.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case int number:
                    row[column] = number;
                    break;
                default:
                    row[column] = (string?)value;
                    break;
            }
        }

        emulator.Store.Upsert(set, row);
        if (table == "phonecall")
        {
            var pointer = (JsonObject)row.DeepClone();
            pointer.Remove("crmg_reschedulecount");
            pointer["activitytypecode"] = "phonecall";
            emulator.Store.Upsert("activitypointers", pointer);
            foreach (var (party, partyTable, mask) in parties)
            {
                var partyRow = new JsonObject { ["participationtypemask"] = mask };
                SetLookup(partyRow, "activityid", "activitypointer", id);
                SetLookup(partyRow, "partyid", partyTable, party);
                emulator.Store.Upsert("activityparties", partyRow);
            }
        }

        var kind = table == "phonecall" ? RecordKind.Activity : Enum.Parse<RecordKind>(table, ignoreCase: true);
        return await org.CreateDirectory().GetAsync(new RecordRef(kind, id), CancellationToken.None);
    }

    private static void SetLookup(JsonObject row, string column, string table, string id)
    {
        row[$"_{column}_value"] = id;
        row[$"_{column}_value" + EmulatorStore.LookupLogicalName] = table;
    }

    private static CrmRecord? ThroughWebhook(string table, string id, Dictionary<string, object?> columns)
    {
        var attributes = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (column, value) in columns)
        {
            attributes[column] = value switch
            {
                (string lookupTable, string lookupId) => new DataverseReference(lookupTable, lookupId, null),
                (string, string)[] list => list.Select(p => new DataverseEntity
                {
                    LogicalName = "activityparty",
                    Attributes = new Dictionary<string, object?> { ["partyid"] = new DataverseReference(p.Item1, p.Item2, null) },
                }).ToList(),
                int number when column is "statecode" or "customertypecode" => new DataverseOptionSetValue(number),
                int number => (long)number, // the context reader reads JSON whole numbers as Int64
                DateTime date => date.ToString("O"),
                _ => value,
            };
        }

        return new DataverseContextReader().ToRecord(new DataverseEntity { LogicalName = table, Id = id, Attributes = attributes });
    }

    private static CrmRecord? ThroughPlugin(string table, string id, Dictionary<string, object?> columns)
    {
        var entity = new Entity(table, Guid.Parse(id));
        foreach (var (column, value) in columns)
        {
            entity[column] = value switch
            {
                (string lookupTable, string lookupId) => new EntityReference(lookupTable, Guid.Parse(lookupId)),
                (string, string)[] list => new EntityCollection(list.Select(p => new Entity("activityparty") { ["partyid"] = new EntityReference(p.Item1, Guid.Parse(p.Item2)) }).ToList()),
                int number when column is "statecode" or "customertypecode" => new OptionSetValue(number),
                _ => value,
            };
        }

        return new DataverseRecordMapper(new DataversePluginSettings()).ToRecord(entity);
    }

    /// <summary>The record's content, without what only a host's transport carries (owner names from annotations).</summary>
    private static string Describe(CrmRecord record) => record switch
    {
        Account a => (a with { OwnerName = null }).ToString(),
        Contact c => (c with { OwnerName = null }).ToString(),
        Lead l => (l with { OwnerName = null }).ToString(),
        Activity x => (x with { OwnerName = null, Parties = [], CreatedOn = null }).ToString() + " parties " + string.Join(",", x.Parties),
        _ => record.ToString(),
    };
}
