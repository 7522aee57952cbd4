using System.Runtime.InteropServices;

namespace CrmGuardrails.Matching.Index;

/// <summary>
/// A map from 64-bit key hashes to ints (dense ids 0, 1, 2… in insertion order, until <see cref="Remap"/> replaces
/// them) in one flat array with open addressing: twelve bytes a key, hash and value side by side, so that a lookup
/// reads one cache line where a dictionary reads several.
/// </summary>
/// <remarks>Not thread-safe for writers; readers may share a map nobody writes to.</remarks>
internal sealed class HashIds
{
    private const double MaxLoad = 0.72;

    private Entry[] _entries;
    private int _shift;

    public HashIds(int expected)
    {
        var size = 16;
        while (size * MaxLoad < expected)
            size *= 2;
        _entries = new Entry[size];
        _shift = 64 - Log2(size);
    }

    /// <summary>Gets the number of keys.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the value of a key (its id unless remapped), or <paramref name="missing"/>.</summary>
    public int Find(ulong hash, int missing = -1)
    {
        hash = hash == 0 ? 1 : hash;
        var entries = _entries;
        var mask = entries.Length - 1;
        for (var slot = Home(hash); ; slot = (slot + 1) & mask)
        {
            ref readonly var entry = ref entries[slot];
            if (entry.Hash == hash)
                return entry.Value;
            if (entry.Hash == 0)
                return missing;
        }
    }

    /// <summary>Gets the id of a key, adding it with the next id when it is new.</summary>
    public int GetOrAdd(ulong hash)
    {
        hash = hash == 0 ? 1 : hash;
        if (Count + 1 > _entries.Length * MaxLoad)
            Grow();
        var mask = _entries.Length - 1;
        for (var slot = Home(hash); ; slot = (slot + 1) & mask)
        {
            ref var entry = ref _entries[slot];
            if (entry.Hash == hash)
                return entry.Value;

            if (entry.Hash == 0)
            {
                entry.Hash = hash;
                entry.Value = Count;
                return Count++;
            }
        }
    }

    /// <summary>Replaces every key's id with <paramref name="valueOfId"/>[id]; ids are gone afterwards (no more <see cref="GetOrAdd"/>).</summary>
    public void Remap(int[] valueOfId)
    {
        for (var i = 0; i < _entries.Length; i++)
        {
            if (_entries[i].Hash != 0)
                _entries[i].Value = valueOfId[_entries[i].Value];
        }
    }

    /// <summary>Fibonacci hashing: the high bits of the product, so keys that agree in their low bits still spread.</summary>
    private int Home(ulong hash) => (int)((hash * 0x9E3779B97F4A7C15UL) >> _shift);

    private void Grow()
    {
        var old = _entries;
        _entries = new Entry[old.Length * 2];
        _shift--;
        var mask = _entries.Length - 1;
        foreach (var entry in old)
        {
            if (entry.Hash == 0)
                continue;
            var slot = Home(entry.Hash);
            while (_entries[slot].Hash != 0)
                slot = (slot + 1) & mask;
            _entries[slot] = entry;
        }
    }

    private static int Log2(int size)
    {
        var bits = 0;
        while ((1 << bits) < size)
            bits++;
        return bits;
    }

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct Entry
    {
        public ulong Hash;
        public int Value;
    }
}
