using CrmGuardrails.Embedded;
using CrmGuardrails.Matching.Bulk;

namespace CrmGuardrails.Matching;

/// <summary>
/// The accounts, contacts and leads of a <c>crmguard match</c> run, read from CSV files (docs/formats.md, section 4):
/// UTF-8 (or UTF-16 with a byte-order mark), a header row, columns in any order, unknown columns ignored, every column
/// but <c>id</c> optional. Ids are unique within their file and kept as written but for surrounding spaces (a tab or a
/// quote is part of the id); a contact's <c>account_id</c> and an account's <c>parent_id</c> must name an account, as
/// in a snapshot.
/// </summary>
public sealed class MatchingDataset
{
    /// <summary>The largest CSV file read: 2 GB, several million rows (a million accounts are about 150 MB).</summary>
    public const long MaxFileBytes = 2L << 30;

    /// <summary>Initializes a new instance of the <see cref="MatchingDataset"/> class.</summary>
    /// <param name="accounts">The accounts.</param>
    /// <param name="contacts">The contacts.</param>
    /// <param name="leads">The leads.</param>
    public MatchingDataset(IReadOnlyList<Account> accounts, IReadOnlyList<Contact> contacts, IReadOnlyList<Lead> leads)
    {
        Accounts = accounts ?? throw new ArgumentNullException(nameof(accounts));
        Contacts = contacts ?? throw new ArgumentNullException(nameof(contacts));
        Leads = leads ?? throw new ArgumentNullException(nameof(leads));
    }

    /// <summary>Gets the accounts, in file order.</summary>
    public IReadOnlyList<Account> Accounts { get; }

    /// <summary>Gets the contacts, in file order.</summary>
    public IReadOnlyList<Contact> Contacts { get; }

    /// <summary>Gets the leads, in file order.</summary>
    public IReadOnlyList<Lead> Leads { get; }

    /// <summary>Reads the three files.</summary>
    /// <param name="accountsCsv">Path of accounts.csv.</param>
    /// <param name="contactsCsv">Path of contacts.csv, or null when there are no contacts.</param>
    /// <param name="leadsCsv">Path of leads.csv.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="InputFormatException">
    /// A file is missing, unreadable, not a regular file, larger than <see cref="MaxFileBytes"/> or breaks the format
    /// (an id used twice, a contact of an account that accounts.csv lacks); the message names the file, line and column.
    /// </exception>
    public static MatchingDataset Load(string accountsCsv, string? contactsCsv, string leadsCsv)
    {
        // The three files are independent: read them side by side.
        var contactLines = new List<int>();
        var accounts = Task.Run(() => ReadFile(accountsCsv, ReadAccounts));
        var contacts = Task.Run(() => contactsCsv is null ? [] : ReadFile(contactsCsv, (csv, file) => ReadContacts(csv, file, contactLines)));
        var leads = Task.Run(() => ReadFile(leadsCsv, ReadLeads));
        try
        {
            Task.WaitAll(accounts, contacts, leads);
        }
        catch (AggregateException ex)
        {
            // Report the first file in argument order that failed, as a sequential read would.
            foreach (var task in new Task[] { accounts, contacts, leads })
            {
                if (task.Exception?.InnerException is { } inner)
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(inner).Throw();
            }

            throw ex.InnerException ?? ex;
        }

        var accountIds = new HashSet<string>(accounts.Result.Select(a => a.Id), StringComparer.Ordinal);
        for (var i = 0; i < contacts.Result.Count; i++)
        {
            if (contacts.Result[i].AccountId is { } accountId && !accountIds.Contains(accountId))
                throw new InputFormatException(contactsCsv!, contactLines[i], "account_id", $"no account in {accountsCsv} has the id '{accountId}'");
        }

        return new MatchingDataset(accounts.Result, contacts.Result, leads.Result);
    }

    /// <summary>Reads accounts: <c>id,name,website,phone,email,street,city,postal_code,country,owner</c> and, optionally, <c>parent_id</c>.</summary>
    /// <param name="csv">The UTF-8 content.</param>
    /// <param name="file">The file name used in error messages.</param>
    /// <returns>The accounts.</returns>
    /// <exception cref="InputFormatException">The content breaks the format.</exception>
    public static IReadOnlyList<Account> ReadAccounts(Stream csv, string file)
    {
        using var table = CsvReader.Open(csv ?? throw new ArgumentNullException(nameof(csv)), file);
        var id = table.RequiredColumn("id");
        int name = table.Column("name"), website = table.Column("website"), phone = table.Column("phone"), email = table.Column("email");
        int street = table.Column("street"), city = table.Column("city"), postal = table.Column("postal_code"), country = table.Column("country"), owner = table.Column("owner");
        var parent = table.Column("parent_id");
        var result = new List<Account>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = new List<int>();
        while (table.Read())
        {
            lines.Add(table.Line);
            result.Add(new Account
            {
                Id = UniqueId(table, id, ids),
                Name = Get(table, name) ?? string.Empty,
                Website = Get(table, website),
                Phone = Get(table, phone),
                Email = Get(table, email),
                Street = Get(table, street),
                City = Get(table, city),
                PostalCode = Get(table, postal),
                Country = Get(table, country),
                OwnerId = Get(table, owner),
                ParentId = Reference(table, parent),
            });
        }

        for (var i = 0; i < result.Count; i++)
        {
            if (result[i].ParentId is not { } parentId)
                continue;
            if (parentId == result[i].Id)
                throw new InputFormatException(file, lines[i], "parent_id", "an account cannot be its own parent");
            if (!ids.ContainsKey(parentId))
                throw new InputFormatException(file, lines[i], "parent_id", $"no account in this file has the id '{parentId}'");
        }

        return result;
    }

    /// <summary>Reads contacts: <c>id,account_id,first_name,last_name,email,phone,owner</c>.</summary>
    /// <param name="csv">The UTF-8 content.</param>
    /// <param name="file">The file name used in error messages.</param>
    /// <returns>The contacts.</returns>
    /// <exception cref="InputFormatException">The content breaks the format.</exception>
    public static IReadOnlyList<Contact> ReadContacts(Stream csv, string file) => ReadContacts(csv, file, null);

    /// <summary>Reads contacts, noting the line of each (for errors found once the accounts are known).</summary>
    internal static IReadOnlyList<Contact> ReadContacts(Stream csv, string file, List<int>? lines)
    {
        using var table = CsvReader.Open(csv ?? throw new ArgumentNullException(nameof(csv)), file);
        var id = table.RequiredColumn("id");
        var accountId = table.RequiredColumn("account_id");
        int first = table.Column("first_name"), last = table.Column("last_name"), email = table.Column("email"), phone = table.Column("phone"), owner = table.Column("owner");
        var result = new List<Contact>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        while (table.Read())
        {
            lines?.Add(table.Line);
            result.Add(new Contact
            {
                Id = UniqueId(table, id, ids),
                AccountId = Reference(table, accountId),
                FirstName = Get(table, first),
                LastName = Get(table, last),
                Email = Get(table, email),
                Phone = Get(table, phone),
                OwnerId = Get(table, owner),
            });
        }

        return result;
    }

    /// <summary>Reads leads: <c>id,first_name,last_name,company,email,phone,website,street,city,postal_code,country,owner</c>.</summary>
    /// <param name="csv">The UTF-8 content.</param>
    /// <param name="file">The file name used in error messages.</param>
    /// <returns>The leads.</returns>
    /// <exception cref="InputFormatException">The content breaks the format.</exception>
    public static IReadOnlyList<Lead> ReadLeads(Stream csv, string file)
    {
        using var table = CsvReader.Open(csv ?? throw new ArgumentNullException(nameof(csv)), file);
        var id = table.RequiredColumn("id");
        int first = table.Column("first_name"), last = table.Column("last_name"), company = table.Column("company"), email = table.Column("email");
        int phone = table.Column("phone"), website = table.Column("website"), street = table.Column("street"), city = table.Column("city");
        int postal = table.Column("postal_code"), country = table.Column("country"), owner = table.Column("owner");
        var result = new List<Lead>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        while (table.Read())
        {
            result.Add(new Lead
            {
                Id = UniqueId(table, id, ids),
                FirstName = Get(table, first),
                LastName = Get(table, last),
                Company = Get(table, company),
                Email = Get(table, email),
                Phone = Get(table, phone),
                Website = Get(table, website),
                Street = Get(table, street),
                City = Get(table, city),
                PostalCode = Get(table, postal),
                Country = Get(table, country),
                OwnerId = Get(table, owner),
            });
        }

        return result;
    }

    private static IReadOnlyList<T> ReadFile<T>(string path, Func<Stream, string, IReadOnlyList<T>> read)
    {
        using var stream = InputFile.OpenRead(path ?? throw new ArgumentNullException(nameof(path)), MaxFileBytes);
        return read(stream, path);
    }

    /// <summary>An id as written, less the spaces around it: a tab or a quote someone typed is part of it.</summary>
    private static string IdText(string value) => value.Trim(' ');

    private static string UniqueId(CsvReader table, int column, Dictionary<string, int> seen)
    {
        var id = IdText(table[column]);
        if (id.Trim().Length == 0)
            throw new InputFormatException(table.File, table.Line, "id", "id is empty");
        if (seen.TryGetValue(id, out var first))
            throw new InputFormatException(table.File, table.Line, "id", $"'{id}' is the id of the row on line {first} too; ids must be unique");
        seen[id] = table.Line;
        return id;
    }

    /// <summary>The id of another record (an account), read as ids are; empty is none.</summary>
    private static string? Reference(CsvReader table, int column)
    {
        if (column < 0)
            return null;
        var id = IdText(table[column]);
        return id.Trim().Length == 0 ? null : id;
    }

    private static string? Get(CsvReader table, int column)
    {
        if (column < 0)
            return null;
        var value = table[column];
        if (value.Length == 0)
            return null;

        // Most values have no spaces to trim: keep the (possibly shared) string as it is.
        return char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[value.Length - 1]) ? NullIfEmpty(value.Trim()) : value;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
