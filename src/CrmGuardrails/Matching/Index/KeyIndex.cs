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
        _keys = new HashIds(expectedKeys);
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
            var id = _keys.GetOrAdd(hash, out var added);
            if (added)
                last.Add(-1);

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

    /// <summary>Finds a key's postings: one dictionary lookup for counting and copying.</summary>
    public Postings Find(ulong hash)
    {
        var start = 0;
        var end = 0;
        var id = _keys.Find(hash);
        if (id >= 0)
        {
            start = _starts[id];
            end = _starts[id + 1];
        }

        List<int>? added = null;
        _added?.TryGetValue(hash, out added);
        return new Postings(_slots, start, end, added);
    }

    /// <summary>The slots of one key, in the order they were added: a run of the frozen array, then any added later.</summary>
    public readonly struct Postings(int[] slots, int start, int end, List<int>? added)
    {
        /// <summary>Gets the number of slots, dead ones included.</summary>
        public int Count => end - start + (added?.Count ?? 0);

        /// <summary>Counts the slots <paramref name="live"/> accepts (all when null), stopping once past <paramref name="limit"/>.</summary>
        public int CountLive(Func<int, bool>? live, int limit)
        {
            if (live is null)
                return Count;
            var count = 0;
            for (var i = start; i < end && count <= limit; i++)
            {
                if (live(slots[i]))
                    count++;
            }

            if (added is not null)
            {
                foreach (var slot in added)
                {
                    if (count > limit)
                        break;
                    if (live(slot))
                        count++;
                }
            }

            return count;
        }

        /// <summary>Gets slot <paramref name="i"/> (0 to <see cref="Count"/> - 1).</summary>
        public int this[int i] => i < end - start ? slots[start + i] : added![i - (end - start)];
    }
}
