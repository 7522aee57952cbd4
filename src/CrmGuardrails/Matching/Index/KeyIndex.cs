namespace CrmGuardrails.Matching.Index;

/// <summary>
/// An inverted index from key hashes to record slots. Filled in bulk with <see cref="Add"/>, then <see cref="Freeze"/>
/// lays every key's slots out contiguously (compressed rows): a lookup reads one short run of one array, and a million
/// records cost a few arrays, not millions of lists. Records added after the freeze go to a small overlay.
/// </summary>
/// <remarks>Not thread-safe for writers; any number of readers may read a frozen index nobody writes to.</remarks>
internal sealed class KeyIndex
{
    private readonly Dictionary<ulong, int> _keys;

    // While filling: the key id and slot of each posting, in order, and the last slot added per key.
    private List<int>? _postingKeys;
    private List<int>? _postingSlots;
    private List<int>? _last;

    // Once frozen: the slots of key id k are _slots[_starts[k] .. _starts[k + 1]), plus any added later.
    private int[] _starts = [0];
    private int[] _slots = [];
    private Dictionary<ulong, List<int>>? _added;

    public KeyIndex(int expectedKeys = 0, int expectedPostings = 0)
    {
        _keys = new Dictionary<ulong, int>(expectedKeys);
        _postingKeys = new List<int>(expectedPostings);
        _postingSlots = new List<int>(expectedPostings);
        _last = new List<int>(expectedKeys);
    }

    /// <summary>Gets the number of distinct keys.</summary>
    public int KeyCount => _keys.Count + (_added?.Count ?? 0);

    /// <summary>Adds a slot under a key hash. A record adds its keys together, in ascending slot order.</summary>
    public void Add(ulong hash, int slot)
    {
        if (_last is { } last)
        {
            if (!_keys.TryGetValue(hash, out var id))
            {
                id = last.Count;
                _keys.Add(hash, id);
                last.Add(-1);
            }

            if (last[id] == slot)
                return;
            last[id] = slot;
            _postingKeys!.Add(id);
            _postingSlots!.Add(slot);
            return;
        }

        _added ??= new Dictionary<ulong, List<int>>();
        if (!_added.TryGetValue(hash, out var list))
            _added.Add(hash, list = new List<int>(1));
        if (list.Count == 0 || list[list.Count - 1] != slot)
            list.Add(slot);
    }

    /// <summary>Lays the postings out key by key, in the order they were added, and drops the fill-time lists.</summary>
    public void Freeze()
    {
        if (_last is null)
            return;
        var keys = _postingKeys!;
        var slots = _postingSlots!;
        _last = null;

        // Count per key, then make each entry the end of its key's run and fill backwards: every entry ends at the
        // start of its run, with the postings in the order they were added, and no second offsets array.
        var starts = new int[_keys.Count + 1];
        foreach (var id in keys)
            starts[id]++;
        for (var k = 1; k < starts.Length; k++)
            starts[k] += starts[k - 1];
        var laid = new int[keys.Count];
        for (var p = keys.Count - 1; p >= 0; p--)
            laid[--starts[keys[p]]] = slots[p];
        _starts = starts;
        _slots = laid;
        _postingKeys = null;
        _postingSlots = null;
    }

    /// <summary>Counts the slots of a key that <paramref name="live"/> accepts, stopping once past <paramref name="limit"/>.</summary>
    public int Count(ulong hash, Func<int, bool>? live, int limit)
    {
        var count = 0;
        if (_keys.TryGetValue(hash, out var id))
        {
            var end = _starts[id + 1];
            if (live is null)
            {
                count = end - _starts[id];
            }
            else
            {
                for (var i = _starts[id]; i < end && count <= limit; i++)
                {
                    if (live(_slots[i]))
                        count++;
                }
            }
        }

        if (count <= limit && _added is not null && _added.TryGetValue(hash, out var list))
        {
            foreach (var slot in list)
            {
                if (live is null || live(slot))
                    count++;
            }
        }

        return count;
    }

    /// <summary>Adds the slots of a key, in the order they were added, to <paramref name="into"/> (dead ones included).</summary>
    public void CopyTo(ulong hash, List<int> into)
    {
        if (_keys.TryGetValue(hash, out var id))
        {
            for (var i = _starts[id]; i < _starts[id + 1]; i++)
                into.Add(_slots[i]);
        }

        if (_added is not null && _added.TryGetValue(hash, out var list))
            into.AddRange(list);
    }
}
