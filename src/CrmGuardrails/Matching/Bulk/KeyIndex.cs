using CrmGuardrails.Matching.Normalization;
using CrmGuardrails.Matching.Scoring;

namespace CrmGuardrails.Matching.Bulk;

/// <summary>
/// An inverted index from key hashes to account numbers. It is filled with <see cref="Add"/>, then
/// <see cref="Freeze"/> lays every key's accounts out contiguously (compressed rows): a lookup reads one short run of
/// one array instead of chasing a linked list across memory, and a million accounts cost a few arrays, not millions of lists.
/// </summary>
internal sealed class KeyIndex
{
    // Keys are stored as 64-bit hashes: a collision (about 1 in 10^7 at a million accounts) only adds a candidate that
    // scoring then rejects, and it saves the memory of millions of key strings.
    private readonly Dictionary<ulong, int> _keys;

    // While filling: the key id and account of each posting, in order, and the last account added per key.
    private List<int>? _postingKeys;
    private List<int>? _postingAccounts;
    private List<int>? _last;

    // Once frozen: the accounts of key id k are _accounts[_starts[k] .. _starts[k + 1]).
    private int[] _starts = [0];
    private int[] _accounts = [];

    public KeyIndex(int expectedKeys = 0, int expectedPostings = 0)
    {
        _keys = new Dictionary<ulong, int>(expectedKeys);
        _postingKeys = new List<int>(expectedPostings);
        _postingAccounts = new List<int>(expectedPostings);
        _last = new List<int>(expectedKeys);
    }

    public int KeyCount => _keys.Count;

    /// <summary>Returns how many accounts have a key hash.</summary>
    public int Count(ulong hash) => _keys.TryGetValue(hash, out var id) ? _starts[id + 1] - _starts[id] : 0;

    /// <summary>Adds the accounts of a key hash to <paramref name="into"/> unless more than <paramref name="max"/> have it.</summary>
    /// <returns>The number of accounts with the key.</returns>
    public int Collect(ulong hash, int max, HashSet<int> into)
    {
        if (!_keys.TryGetValue(hash, out var id))
            return 0;
        var start = _starts[id];
        var count = _starts[id + 1] - start;
        if (count > max)
            return count;
        for (var i = start; i < start + count; i++)
            into.Add(_accounts[i]);
        return count;
    }

    /// <summary>Adds an account under a key hash (before <see cref="Freeze"/>).</summary>
    public void Add(ulong hash, int account)
    {
        var last = _last ?? throw new InvalidOperationException("The index is frozen.");
        if (!_keys.TryGetValue(hash, out var id))
        {
            id = last.Count;
            _keys.Add(hash, id);
            last.Add(-1);
        }

        // An account adds its keys together, so a repeat is always the key's last account.
        if (last[id] == account)
            return;
        last[id] = account;
        _postingKeys!.Add(id);
        _postingAccounts!.Add(account);
    }

    /// <summary>Lays the postings out key by key (in the order they were added) and drops the fill-time lists.</summary>
    public void Freeze()
    {
        if (_last is null)
            return;
        var keys = _postingKeys!;
        var owners = _postingAccounts!;
        // Count per key, then make each entry the end of its key's run and fill backwards: every entry ends at the
        // start of its run, with the postings in the order they were added, and no second offsets array.
        _last = null;
        var starts = new int[_keys.Count + 1];
        foreach (var id in keys)
            starts[id]++;
        for (var k = 1; k < starts.Length; k++)
            starts[k] += starts[k - 1];
        var accounts = new int[keys.Count];
        for (var p = keys.Count - 1; p >= 0; p--)
            accounts[--starts[keys[p]]] = owners[p];
        _starts = starts;
        _accounts = accounts;
        _postingKeys = null;
        _postingAccounts = null;
    }

    /// <summary>The FNV-1a offset basis: the hash of the empty key.</summary>
    public const ulong EmptyHash = 14695981039346656037UL;

    /// <summary>FNV-1a over the UTF-16 code units, 64 bits.</summary>
    public static ulong Hash(string key) => Append(EmptyHash, key);

    /// <summary>The hash of <paramref name="prefix"/> followed by <paramref name="value"/>, without building the key string.</summary>
    public static ulong Hash(string prefix, string value) => Append(Append(EmptyHash, prefix), value);

    /// <summary>Continues an FNV-1a hash with more characters: Append(Hash(a), b) = Hash(a + b).</summary>
    public static ulong Append(ulong hash, string text) => Append(hash, text, 0, text.Length);

    /// <summary>Continues an FNV-1a hash with <paramref name="count"/> characters of <paramref name="text"/> from <paramref name="start"/>.</summary>
    public static ulong Append(ulong hash, string text, int start, int count)
    {
        var end = start + count;
        for (var i = start; i < end; i++)
        {
            hash ^= text[i];
            hash *= 1099511628211UL;
        }

        return hash;
    }

    /// <summary>Continues an FNV-1a hash with one character.</summary>
    public static ulong Append(ulong hash, char ch) => (hash ^ ch) * 1099511628211UL;

    /// <summary>Appends the hashes of the phone keys of a number ("p:" + <see cref="MatchEngine.PhoneKeys"/>).</summary>
    public static void AddPhoneKeys(string e164, List<ulong> into)
    {
        if (e164.Length == 0)
            return;
        var p = Append(EmptyHash, "p:");
        into.Add(Append(p, e164));
        if (e164.Length >= 9 && e164[0] == '+')
            into.Add(Append(Append(p, PhoneNormalizer.SwitchboardPrefix), e164, 0, e164.Length - PhoneNormalizer.SwitchboardDigits));
    }
}
