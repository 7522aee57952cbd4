using CrmGuardrails.Matching.Normalization;
using CrmGuardrails.Matching.Scoring;

namespace CrmGuardrails.Matching.Bulk;

/// <summary>
/// An append-only inverted index from key strings to account numbers, as linked postings in flat arrays: a million
/// accounts cost a few arrays, not millions of lists.
/// </summary>
internal sealed class KeyIndex
{
    // Keys are stored as 64-bit hashes: a collision (about 1 in 10^7 at a million accounts) only adds a candidate that
    // scoring then rejects, and it saves the memory of millions of key strings.
    private readonly Dictionary<ulong, int> _keys;
    private readonly List<int> _heads;
    private readonly List<int> _counts;
    private readonly List<int> _next;
    private readonly List<int> _accounts;

    public KeyIndex(int expectedKeys = 0, int expectedPostings = 0)
    {
        _keys = new Dictionary<ulong, int>(expectedKeys);
        _heads = new List<int>(expectedKeys);
        _counts = new List<int>(expectedKeys);
        _next = new List<int>(expectedPostings);
        _accounts = new List<int>(expectedPostings);
    }

    public int KeyCount => _keys.Count;

    public void Add(string key, int account) => Add(Hash(key), account);

    /// <summary>Returns how many accounts have a key hash.</summary>
    public int Count(ulong hash) => _keys.TryGetValue(hash, out var id) ? _counts[id] : 0;

    /// <summary>Adds the accounts of a key hash to <paramref name="into"/> unless more than <paramref name="max"/> have it.</summary>
    /// <returns>The number of accounts with the key.</returns>
    public int Collect(ulong hash, int max, HashSet<int> into)
    {
        if (!_keys.TryGetValue(hash, out var id))
            return 0;
        var count = _counts[id];
        if (count > max)
            return count;
        for (var posting = _heads[id]; posting >= 0; posting = _next[posting])
            into.Add(_accounts[posting]);
        return count;
    }

    public void Add(ulong hash, int account)
    {
        if (!_keys.TryGetValue(hash, out var id))
        {
            id = _heads.Count;
            _keys[hash] = id;
            _heads.Add(-1);
            _counts.Add(0);
        }

        var head = _heads[id];

        // An account adds its keys together, so a repeat is always at the head.
        if (head >= 0 && _accounts[head] == account)
            return;
        _next.Add(head);
        _accounts.Add(account);
        _heads[id] = _accounts.Count - 1;
        _counts[id]++;
    }

    /// <summary>Returns how many accounts have a key.</summary>
    public int Count(string key) => _keys.TryGetValue(Hash(key), out var id) ? _counts[id] : 0;

    /// <summary>Adds the accounts of a key to <paramref name="into"/> unless more than <paramref name="max"/> have it.</summary>
    /// <returns>The number of accounts with the key.</returns>
    public int Collect(string key, int max, HashSet<int> into)
    {
        if (!_keys.TryGetValue(Hash(key), out var id))
            return 0;
        var count = _counts[id];
        if (count > max)
            return count;
        for (var posting = _heads[id]; posting >= 0; posting = _next[posting])
            into.Add(_accounts[posting]);
        return count;
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
