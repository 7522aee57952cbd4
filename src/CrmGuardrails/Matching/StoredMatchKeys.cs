using CrmGuardrails.Matching.Index;
using CrmGuardrails.Matching.Scoring;

namespace CrmGuardrails.Matching;

/// <summary>
/// The match keys a host stores beside its records (one row per key and record, in a key table) so that a remote
/// directory finds, with exact indexed lookups, the candidates the embedded index finds — whatever the spelling,
/// script or phone format the records were typed in.
/// </summary>
/// <remarks>
/// <para>
/// A stored key is <c>{version}{table}{kind}{hash}</c>: the format version (<see cref="Version"/>), the table the record
/// is in (<c>a</c> account, <c>c</c> contact, <c>l</c> lead), the key's kind (<c>e</c> email, <c>d</c> domain,
/// <c>p</c> phone, <c>n</c> whole name, <c>t</c> distinctive word, <c>a</c> acronym, <c>x</c> near spelling, <c>h</c> street address) and the
/// 64-bit hash of the key's text in 13 lower-case base-32 digits — 16 ASCII characters, the same in every case-insensitive
/// store, and no name, email or phone in clear text.
/// </para>
/// <para>
/// Keys depend only on the record and on built-in word frequencies, never on the org's own statistics, so a key written
/// today still matches a lead checked next year. Any change to what keys a record gets raises <see cref="Version"/>: a
/// host then writes the keys again (<c>crmguard dataverse keys --backfill</c>) and asks only for the new version's.
/// Thread-safe.
/// </para>
/// </remarks>
public static class StoredMatchKeys
{
    /// <summary>The version of the key format, the first character of every stored key.</summary>
    public const int Version = 8;

    /// <summary>The length of every stored key.</summary>
    public const int KeyLength = 16;

    private const string Base32 = "0123456789abcdefghjkmnpqrstvwxyz";
    private static readonly char VersionChar = (char)('0' + Version);

    // Built-in word frequencies only: stored keys must not move with the org's statistics.
    private static readonly MatchEngine Engine = new(MatchingOptions.Default, TokenStatistics.Default);

    /// <summary>Gets the matcher whose keys the stored keys are made from: a remote directory's guards must use it.</summary>
    public static IRecordMatcher Matcher { get; } = new FellegiSunterMatcher(Engine);

    /// <summary>Gets the keys an account is stored under: its name, domains, phone and email.</summary>
    /// <param name="account">The account.</param>
    /// <returns>The stored keys, without repeats.</returns>
    public static IReadOnlyList<string> Of(Account account)
    {
        if (account is null)
            throw new ArgumentNullException(nameof(account));
        var writer = new StoredKeyWriter(RecordKind.Account);
        Engine.WriteKeys(Engine.Features(account), writer);
        return writer.Keys;
    }

    /// <summary>Gets the keys a contact is stored under: its email, domain and phone (read with its account's country).</summary>
    /// <param name="contact">The contact.</param>
    /// <param name="accountCountry">The country of the contact's account (ISO 3166 alpha-2 or a name), or <see langword="null"/>.</param>
    /// <returns>The stored keys, without repeats.</returns>
    public static IReadOnlyList<string> Of(Contact contact, string? accountCountry)
    {
        if (contact is null)
            throw new ArgumentNullException(nameof(contact));
        var writer = new StoredKeyWriter(RecordKind.Contact);
        MatchEngine.WriteKeys(Engine.Features(contact, accountCountry), writer);
        return writer.Keys;
    }

    /// <summary>Gets the keys a lead is stored under: its company's name, domains and phone, and its email.</summary>
    /// <param name="lead">The lead.</param>
    /// <returns>The stored keys, without repeats.</returns>
    public static IReadOnlyList<string> Of(Lead lead)
    {
        if (lead is null)
            throw new ArgumentNullException(nameof(lead));
        var writer = new StoredKeyWriter(RecordKind.Lead);
        Engine.WriteOpenLeadKeys(Engine.Features(lead), writer);
        return writer.Keys;
    }

    /// <summary>
    /// Gets the keys to look up for a lead's candidates: contacts sharing its email, domains or phone, and accounts
    /// sharing those or its name keys. Near-spelling keys are included; <see cref="Choose"/> uses them only when no
    /// whole-name key finds anything.
    /// </summary>
    /// <param name="keys">The lead's keys, from <see cref="Matcher"/> (<see cref="IRecordMatcher.GetKeys(Lead)"/>).</param>
    /// <returns>The lookups, each with the most holders worth reading (ask for one more, to see a key that has more).</returns>
    public static IReadOnlyList<StoredKeyLookup> LookupsFor(MatchKeys keys)
    {
        if (keys is null)
            throw new ArgumentNullException(nameof(keys));
        var lookups = new List<StoredKeyLookup>();
        AddContactKeys(lookups, RecordKind.Contact, keys);
        var nameKeys = keys.NameKeys.Select(k => new MatchKey(KeyHash.Of(k), MatchKey.KindOfNameKey(k))).ToList();

        // A phone typed with no country goes with the name keys (accounts' national numbers): it is a contact's too.
        foreach (var key in nameKeys.Where(k => k.Kind == KeyKind.Phone))
            Add(lookups, RecordKind.Contact, key);
        foreach (var key in nameKeys)
            Add(lookups, RecordKind.Account, key);
        AddContactKeys(lookups, RecordKind.Account, keys);
        return lookups;
    }

    /// <summary>Gets the keys to look up for a lead's open duplicates: leads sharing its email, company name, domains or phone.</summary>
    /// <param name="keys">The lead's keys, from <see cref="Matcher"/>.</param>
    /// <returns>The lookups.</returns>
    public static IReadOnlyList<StoredKeyLookup> LeadLookupsFor(MatchKeys keys)
    {
        if (keys is null)
            throw new ArgumentNullException(nameof(keys));
        var lookups = new List<StoredKeyLookup>();
        foreach (var nameKey in keys.NameKeys)
        {
            var key = new MatchKey(KeyHash.Of(nameKey), MatchKey.KindOfNameKey(nameKey));
            if (key.Pass == 0)
                Add(lookups, RecordKind.Lead, key);
        }

        AddContactKeys(lookups, RecordKind.Lead, keys);
        return lookups;
    }

    /// <summary>
    /// Chooses the candidates from what the lookups found, by the embedded index's rule: contacts first, by their keys'
    /// rarity; then their accounts; then accounts by their keys' rarity — fewest holders first, a key shared by more
    /// records than its kind allows ignored, near spellings and shapes only as <see cref="MatchKey.Asks"/> says, each key
    /// taken whole or not at all, up to the limits.
    /// </summary>
    /// <param name="lookups">The lookups asked (<see cref="LookupsFor"/>).</param>
    /// <param name="holders">The records found under a lookup's key, in the store's order (up to <see cref="StoredKeyLookup.MaxHolders"/> + 1).</param>
    /// <param name="maxAccounts">The most accounts to choose.</param>
    /// <param name="maxContacts">The most contacts to choose.</param>
    /// <returns>The ids to read, best first.</returns>
    public static StoredKeyChoice Choose(IReadOnlyList<StoredKeyLookup> lookups, Func<StoredKeyLookup, IReadOnlyList<StoredKeyHolder>> holders, int maxAccounts = 50, int maxContacts = 50)
    {
        if (lookups is null)
            throw new ArgumentNullException(nameof(lookups));
        if (holders is null)
            throw new ArgumentNullException(nameof(holders));
        var contacts = new List<StoredKeyHolder>();
        Collect(lookups, RecordKind.Contact, holders, maxContacts, contacts);
        var accountIds = new List<string>();
        foreach (var contact in contacts)
        {
            if (accountIds.Count >= maxAccounts)
                break;
            if (contact.AccountId is { Length: > 0 } accountId && !accountIds.Contains(accountId, StringComparer.OrdinalIgnoreCase))
                accountIds.Add(accountId);
        }

        var accounts = accountIds.ConvertAll(id => new StoredKeyHolder(id));
        Collect(lookups, RecordKind.Account, holders, maxAccounts, accounts);
        return new StoredKeyChoice(accounts.ConvertAll(a => a.RecordId), contacts.ConvertAll(c => c.RecordId));
    }

    /// <summary>Chooses open-lead candidates from what <see cref="LeadLookupsFor"/> found, by the same rule.</summary>
    /// <param name="lookups">The lookups asked.</param>
    /// <param name="holders">The leads found under a lookup's key.</param>
    /// <param name="max">The most leads to choose.</param>
    /// <returns>The lead ids, best first.</returns>
    public static IReadOnlyList<string> ChooseLeads(IReadOnlyList<StoredKeyLookup> lookups, Func<StoredKeyLookup, IReadOnlyList<StoredKeyHolder>> holders, int max = 50)
    {
        if (lookups is null)
            throw new ArgumentNullException(nameof(lookups));
        if (holders is null)
            throw new ArgumentNullException(nameof(holders));
        var leads = new List<StoredKeyHolder>();
        Collect(lookups, RecordKind.Lead, holders, max, leads);
        return leads.ConvertAll(l => l.RecordId);
    }

    /// <summary>Tells whether a text is a stored key of the current version.</summary>
    /// <param name="key">The text.</param>
    /// <returns><see langword="true"/> when it has the current format.</returns>
    public static bool IsCurrent(string? key) =>
        key is { Length: KeyLength } && key[0] == VersionChar && TableOf(key[1]) != RecordKind.Unknown && key.Skip(3).All(c => Base32.IndexOf(c) >= 0);

    /// <summary>Writes a stored key: version, table, kind and hash.</summary>
    internal static string Format(RecordKind table, MatchKey key)
    {
        var chars = new char[KeyLength];
        chars[0] = VersionChar;
        chars[1] = table switch
        {
            RecordKind.Account => 'a',
            RecordKind.Contact => 'c',
            RecordKind.Lead => 'l',
            _ => throw new ArgumentOutOfRangeException(nameof(table), table, "Only accounts, contacts and leads have stored keys."),
        };
        chars[2] = key.Kind switch
        {
            KeyKind.Email => 'e',
            KeyKind.Domain => 'd',
            KeyKind.Phone => 'p',
            KeyKind.Name => 'n',
            KeyKind.NameWord => 't',
            KeyKind.Acronym => 'a',
            KeyKind.Typo or KeyKind.Shape => 'x',
            KeyKind.Address => 'h',
            _ => throw new ArgumentOutOfRangeException(nameof(key), key.Kind, "Account keys are not stored."),
        };
        var hash = key.Hash;
        for (var i = KeyLength - 1; i >= 3; i--)
        {
            chars[i] = Base32[(int)(hash & 31)];
            hash >>= 5;
        }

        return new string(chars);
    }

    private static RecordKind TableOf(char table) => table switch
    {
        'a' => RecordKind.Account,
        'c' => RecordKind.Contact,
        'l' => RecordKind.Lead,
        _ => RecordKind.Unknown,
    };

    private static void AddContactKeys(List<StoredKeyLookup> lookups, RecordKind table, MatchKeys keys)
    {
        foreach (var email in keys.Emails)
            Add(lookups, table, new MatchKey(KeyHash.Of("e:", email), KeyKind.Email));
        foreach (var domain in keys.Domains)
            Add(lookups, table, new MatchKey(KeyHash.Of("d:", domain), KeyKind.Domain));
        foreach (var phone in keys.Phones)
            Add(lookups, table, new MatchKey(KeyHash.Of("p:", phone), KeyKind.Phone));
    }

    private static void Add(List<StoredKeyLookup> lookups, RecordKind table, MatchKey key)
    {
        var lookup = new StoredKeyLookup(Format(table, key), table, key.MaxPostings) { Match = key };
        if (!lookups.Contains(lookup))
            lookups.Add(lookup);
    }

    /// <summary>The retrieval rule of <see cref="MatchIndex"/>, over holders read from a store.</summary>
    private static void Collect(IReadOnlyList<StoredKeyLookup> lookups, RecordKind table, Func<StoredKeyLookup, IReadOnlyList<StoredKeyHolder>> holders, int max, List<StoredKeyHolder> into)
    {
        var ranked = new List<(int Count, StoredKeyLookup Lookup, IReadOnlyList<StoredKeyHolder> Holders)>();
        bool nameFound = false, nearFound = false;
        for (var pass = 0; pass < MatchKey.Passes && MatchKey.Asks(pass, nameFound, nearFound); pass++)
        {
            foreach (var lookup in lookups)
            {
                if (lookup.Table != table || lookup.Match.Pass != pass)
                    continue;
                var found = holders(lookup) ?? [];
                var count = found.Select(h => h.RecordId).Distinct(StringComparer.OrdinalIgnoreCase).Count();
                if (count == 0 || ranked.Exists(r => r.Lookup.Match.Hash == lookup.Match.Hash))
                    continue;
                nameFound |= lookup.Match.Kind == KeyKind.Name;
                if (count <= lookup.MaxHolders)
                {
                    ranked.Add((count, lookup, found));
                    nearFound |= lookup.Match.Kind == KeyKind.Typo;
                }
            }
        }

        ranked.Sort(static (a, b) => a.Count != b.Count ? a.Count.CompareTo(b.Count)
            : a.Lookup.Match.Kind != b.Lookup.Match.Kind ? ((int)a.Lookup.Match.Kind).CompareTo((int)b.Lookup.Match.Kind)
            : a.Lookup.Match.Hash.CompareTo(b.Lookup.Match.Hash));
        foreach (var (count, _, found) in ranked)
        {
            if (into.Count > 0 && count > max - into.Count)
                break;
            foreach (var holder in found)
            {
                if (into.Count >= max)
                    return;
                if (!into.Exists(h => string.Equals(h.RecordId, holder.RecordId, StringComparison.OrdinalIgnoreCase)))
                    into.Add(holder);
            }
        }
    }

    /// <summary>Collects the keys of one record as stored keys.</summary>
    private sealed class StoredKeyWriter(RecordKind table) : KeyWriter
    {
        public List<string> Keys { get; } = new(24);

        protected override void Emit(char[] buffer, int length, KeyKind kind)
        {
            var key = Format(table, new MatchKey(KeyHash.Append(KeyHash.EmptyHash, buffer, length), kind));
            if (!Keys.Contains(key))
                Keys.Add(key);
        }
    }
}

/// <summary>One stored key to look up: the key, the table its holders are in, and how many holders are worth reading.</summary>
/// <param name="Key">The stored key (<see cref="StoredMatchKeys"/>).</param>
/// <param name="Table">The table the key's holders are in.</param>
/// <param name="MaxHolders">The most holders a key may have and still find candidates; ask for one more to tell.</param>
public readonly record struct StoredKeyLookup(string Key, RecordKind Table, int MaxHolders)
{
    internal MatchKey Match { get; init; }
}

/// <summary>A record found under a stored key.</summary>
/// <param name="RecordId">The record's id.</param>
/// <param name="AccountId">For a contact, the id of its account (stored with its keys), else <see langword="null"/>.</param>
public sealed record StoredKeyHolder(string RecordId, string? AccountId = null);

/// <summary>The candidates chosen from stored keys: the records to read.</summary>
/// <param name="AccountIds">The accounts, best first.</param>
/// <param name="ContactIds">The contacts, best first.</param>
public sealed record StoredKeyChoice(IReadOnlyList<string> AccountIds, IReadOnlyList<string> ContactIds);
