using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace CrmGuardrails.Dataverse.Emulator;

/// <summary>Seeding from a lead-to-account bench folder (docs/formats.md §4), rows exactly as typed.</summary>
public sealed partial class DataverseEmulator
{
    /// <summary>
    /// Seeds accounts, contacts and their owners from a bench folder (<c>accounts.csv</c>:
    /// <c>id,name,website,phone,email,street,city,postal_code,country,owner[,parent_id]</c>; <c>contacts.csv</c>:
    /// <c>id,account_id,first_name,last_name,email,phone,owner</c>; headers read by name, in any order, unknown ones ignored,
    /// RFC 4180 quoting). Values are stored exactly as typed (<c>telephone1</c> "(206) 555-0150", names with their legal form);
    /// empty fields are left out. Ids become <see cref="EmulatorIds.For"/> GUIDs; owners become systemusers whose
    /// <c>fullname</c> is the owner code; accounts are customers (<c>customertypecode</c> 3); a contact's
    /// <c>parentcustomerid</c> is its account.
    /// </summary>
    /// <param name="folder">The folder holding <c>accounts.csv</c> and, optionally, <c>contacts.csv</c>.</param>
    /// <returns>How many accounts, contacts and users were seeded.</returns>
    /// <exception cref="FileNotFoundException"><c>accounts.csv</c> is missing.</exception>
    /// <exception cref="InvalidDataException">A file has no <c>id</c> column.</exception>
    public CsvSeedResult SeedCsvFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var accountsFile = Path.Combine(folder, "accounts.csv");
        if (!File.Exists(accountsFile))
            throw new FileNotFoundException($"{accountsFile} was not found.", accountsFile);
        var contactsFile = Path.Combine(folder, "contacts.csv");
        var accounts = CsvTable.Read(accountsFile);
        var contacts = File.Exists(contactsFile) ? CsvTable.Read(contactsFile) : null;
        var now = Now(Time.GetUtcNow());

        var owners = new HashSet<string>(StringComparer.Ordinal);
        var accountRows = new List<JsonObject>(accounts.Rows.Count);
        foreach (var record in accounts.Rows)
        {
            var row = new JsonObject
            {
                ["accountid"] = EmulatorIds.For("account", accounts.Required(record, "id")),
                ["statecode"] = 0,
                ["statuscode"] = 1,
                ["customertypecode"] = 3,
                ["createdon"] = now,
                ["modifiedon"] = now,
            };
            Set(row, "name", accounts.Get(record, "name"));
            Set(row, "websiteurl", accounts.Get(record, "website"));
            Set(row, "telephone1", accounts.Get(record, "phone"));
            Set(row, "emailaddress1", accounts.Get(record, "email"));
            Set(row, "address1_line1", accounts.Get(record, "street"));
            Set(row, "address1_city", accounts.Get(record, "city"));
            Set(row, "address1_postalcode", accounts.Get(record, "postal_code"));
            Set(row, "address1_country", accounts.Get(record, "country"));
            Lookup(row, "parentaccountid", "account", accounts.Get(record, "parent_id"));
            Owner(row, accounts.Get(record, "owner"));
            accountRows.Add(row);
        }

        var contactRows = new List<JsonObject>(contacts?.Rows.Count ?? 0);
        foreach (var record in contacts?.Rows ?? [])
        {
            var row = new JsonObject
            {
                ["contactid"] = EmulatorIds.For("contact", contacts!.Required(record, "id")),
                ["statecode"] = 0,
                ["statuscode"] = 1,
                ["createdon"] = now,
                ["modifiedon"] = now,
            };
            var first = contacts.Get(record, "first_name");
            var last = contacts.Get(record, "last_name");
            Set(row, "firstname", first);
            Set(row, "lastname", last);
            Set(row, "fullname", $"{first} {last}".Trim() is { Length: > 0 } full ? full : null);
            Set(row, "emailaddress1", contacts.Get(record, "email"));
            Set(row, "telephone1", contacts.Get(record, "phone"));
            Lookup(row, "parentcustomerid", "account", contacts.Get(record, "account_id"));
            Owner(row, contacts.Get(record, "owner"));
            contactRows.Add(row);
        }

        var userRows = owners.Select(code => new JsonObject
        {
            ["systemuserid"] = EmulatorIds.For("systemuser", code),
            ["fullname"] = code,
            ["isdisabled"] = false,
            ["createdon"] = now,
            ["modifiedon"] = now,
        });
        var users = Store.InsertMany("systemusers", userRows);
        Store.InsertMany("accounts", accountRows);
        Store.InsertMany("contacts", contactRows);
        return new CsvSeedResult(accountRows.Count, contactRows.Count, users);

        void Owner(JsonObject row, string? code)
        {
            if (code is null)
                return;
            owners.Add(code);
            row["_ownerid_value"] = EmulatorIds.For("systemuser", code);
            row["_ownerid_value" + EmulatorStore.LookupLogicalName] = "systemuser";
        }

        static void Lookup(JsonObject row, string column, string table, string? textId)
        {
            if (textId is null)
                return;
            row[$"_{column}_value"] = EmulatorIds.For(table, textId);
            row[$"_{column}_value{EmulatorStore.LookupLogicalName}"] = table;
        }

        static void Set(JsonObject row, string column, string? value)
        {
            if (!string.IsNullOrEmpty(value))
                row[column] = value;
        }
    }

    /// <summary>A CSV file read whole: the header's column positions by name, and the records.</summary>
    private sealed class CsvTable
    {
        private readonly Dictionary<string, int> _columns;
        private readonly string _file;

        private CsvTable(string file, Dictionary<string, int> columns, List<string[]> rows)
        {
            _file = file;
            _columns = columns;
            Rows = rows;
        }

        public List<string[]> Rows { get; }

        public static CsvTable Read(string file)
        {
            var records = Parse(File.ReadAllText(file, Encoding.UTF8));
            if (records.Count == 0)
                throw new InvalidDataException($"{file} has no header row.");
            var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < records[0].Length; i++)
                columns.TryAdd(records[0][i].Trim().TrimStart('\uFEFF'), i);
            if (!columns.ContainsKey("id"))
                throw new InvalidDataException($"{file} has no 'id' column.");
            return new CsvTable(file, columns, records.Skip(1).Where(r => r.Length > 1 || r[0].Length > 0).ToList());
        }

        public string? Get(string[] record, string column) =>
            _columns.TryGetValue(column, out var i) && i < record.Length && record[i].Length > 0 ? record[i] : null;

        public string Required(string[] record, string column) =>
            Get(record, column) ?? throw new InvalidDataException($"{_file}: a row has no '{column}'.");

        /// <summary>RFC 4180: fields separated by commas, optionally double-quoted (a quote doubled inside), records by CRLF or LF.</summary>
        private static List<string[]> Parse(string text)
        {
            var records = new List<string[]>();
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (quoted)
                {
                    if (c == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i++;
                        }
                        else
                        {
                            quoted = false;
                        }
                    }
                    else
                    {
                        field.Append(c);
                    }

                    continue;
                }

                switch (c)
                {
                    case '"' when field.Length == 0:
                        quoted = true;
                        break;
                    case ',':
                        fields.Add(field.ToString());
                        field.Clear();
                        break;
                    case '\r':
                        break;
                    case '\n':
                        fields.Add(field.ToString());
                        field.Clear();
                        records.Add(fields.ToArray());
                        fields.Clear();
                        break;
                    default:
                        field.Append(c);
                        break;
                }
            }

            if (field.Length > 0 || fields.Count > 0)
            {
                fields.Add(field.ToString());
                records.Add(fields.ToArray());
            }

            return records;
        }
    }
}

/// <summary>What <see cref="DataverseEmulator.SeedCsvFolder"/> seeded.</summary>
/// <param name="Accounts">The accounts.</param>
/// <param name="Contacts">The contacts.</param>
/// <param name="Users">The owners, as systemusers.</param>
public sealed record CsvSeedResult(int Accounts, int Contacts, int Users);

/// <summary>Deterministic GUIDs for rows seeded from text ids, so a test can find a CSV row in the emulator.</summary>
public static class EmulatorIds
{
    /// <summary>
    /// The GUID of a text id: the MD5 digest of <c>"&lt;table&gt;:&lt;id&gt;"</c> (UTF-8) read as the GUID's 32 hex digits, in
    /// order — <c>For("account", "A000123")</c> is the MD5 hex of <c>account:A000123</c>, formatted 8-4-4-4-12 (Python:
    /// <c>uuid.UUID(hashlib.md5(b"account:A000123").hexdigest())</c>).
    /// </summary>
    /// <param name="table">The table's logical name (<c>account</c>, <c>contact</c>, <c>systemuser</c>).</param>
    /// <param name="textId">The text id (<c>A000123</c>, <c>u004</c>).</param>
    /// <returns>The GUID, lower-case, with hyphens.</returns>
    public static string For(string table, string textId)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(textId);
#pragma warning disable CA5351 // A name-based id, not security: MD5 is what other tools can reproduce.
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(table + ":" + textId));
#pragma warning restore CA5351
        return Guid.ParseExact(Convert.ToHexString(hash), "N").ToString("D");
    }
}
