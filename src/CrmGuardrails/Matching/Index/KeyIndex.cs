namespace CrmGuardrails.Matching.Index;

/// <summary>
/// An inverted index from key hashes to record slots. Filled in bulk with <see cref="Add"/>, then <see cref="Freeze"/>
/// lays every key's slots out contiguously (compressed rows): a lookup reads one short run of one array, and a million
/// records cost a few arrays, not millions of lists. Records added after the freeze go to a small overlay.
/// </summary>
/// <remarks>Not thread-safe for writers; any number of readers may read a frozen index nobody writes to.</remarks>
internal sealed class KeyIndex
{
    private readonly HashIds _keys;

    // While filling: the key id and slot of each posting, in order.
    private List<int>? _postingKeys;
    private List<int>? _postingSlots;

    // Once frozen, _keys maps a key to ~slot when one record has it (most keys: an email, a phone), else to the start
    // of its run in _slots: the count, then the slots. A lookup reads the table entry and, for a shared key, one run.
    private int[] _slots = [];
    private Dictionary<ulong, List<int>>? _added;

    public KeyIndex(int expectedKeys = 0, int expectedPostings = 0)
    {
        _keys = new HashIds(expectedKeys);
        _postingKeys = new List<int>(expectedPostings);
        _postingSlots = new List<int>(expectedPostings);
    }

    /// <summary>Gets the number of distinct keys.</summary>
    public int KeyCount => _keys.Count + (_added?.Count ?? 0);

    /// <summary>
    /// Adds a slot under a key hash. A record adds its keys together, in ascending slot order, each once (the key writers
    /// drop a record's repeated keys).
    /// </summary>
    public void Add(ulong hash, int slot)
    {
        if (_postingKeys is { } postingKeys)
        {
            postingKeys.Add(_keys.GetOrAdd(hash));
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
        if (_postingKeys is not { } keys)
            return;
        var slots = _postingSlots!;

        // Per key: its count, then (shared keys) the start of its run, then the cursor that fills it.
        var cursors = new int[_keys.Count];
        foreach (var id in keys)
            cursors[id]++;
        var values = new int[_keys.Count];
        var total = 0;
        for (var id = 0; id < values.Length; id++)
        {
            if (cursors[id] == 1)
            {
                cursors[id] = -1;
                continue;
            }

            values[id] = total;
            total += cursors[id] + 1;
        }

        var laid = new int[total];
        for (var id = 0; id < values.Length; id++)
        {
            if (cursors[id] > 0)
            {
                laid[values[id]] = cursors[id];
                cursors[id] = values[id] + 1;
            }
        }

        for (var p = 0; p < keys.Count; p++)
        {
            var id = keys[p];
            if (cursors[id] < 0)
                values[id] = ~slots[p];
            else
                laid[cursors[id]++] = slots[p];
        }

        _keys.Remap(values);
        _slots = laid;
        _postingKeys = null;
        _postingSlots = null;
    }

    /// <summary>Finds a key's postings (the index must be frozen).</summary>
    public Postings Find(ulong hash)
    {
        if (_postingKeys is not null)
            throw new InvalidOperationException("The index is read once frozen.");
        List<int>? added = null;
        _added?.TryGetValue(hash, out added);
        var value = _keys.Find(hash, int.MaxValue);
        return value switch
        {
            int.MaxValue => new Postings(null, 0, 0, 0, added),
            < 0 => new Postings(null, 0, 1, ~value, added),
            _ => new Postings(_slots, value + 1, _slots[value], 0, added),
        };
    }

    /// <summary>The slots of one key, in the order they were added: a run of the frozen array (or its one slot), then any added later.</summary>
    public readonly struct Postings(int[]? slots, int start, int count, int single, List<int>? added)
    {
        /// <summary>Gets the number of slots, dead ones included.</summary>
        public int Count => count + (added?.Count ?? 0);

        /// <summary>Counts the slots <paramref name="live"/> accepts (all when null), stopping once past <paramref name="limit"/>.</summary>
        public int CountLive(Func<int, bool>? live, int limit)
        {
            if (live is null)
                return Count;
            var found = 0;
            for (var i = 0; i < count && found <= limit; i++)
            {
                if (live(this[i]))
                    found++;
            }

            if (added is not null)
            {
                foreach (var slot in added)
                {
                    if (found > limit)
                        break;
                    if (live(slot))
                        found++;
                }
            }

            return found;
        }

        /// <summary>Gets slot <paramref name="i"/> (0 to <see cref="Count"/> - 1).</summary>
        public int this[int i] => i < count ? (slots is null ? single : slots[start + i]) : added![i - count];
    }
}
