using System.Runtime.InteropServices;

namespace CrmGuardrails.Matching.Index;

/// <summary>
/// A map from 64-bit key hashes to ints (dense ids 0, 1, 2… in insertion order, until <see cref="Remap"/> replaces
/// them) in one flat array with open addressing: twelve bytes a key, hash and value side by side, so that a lookup
/// reads one cache line where a dictionary reads several. The table is as long as the keys need, not the next power
/// of two: a few more keys per record must not double a table of millions.
/// </summary>
/// <remarks>Not thread-safe for writers; readers may share a map nobody writes to.</remarks>
internal sealed class HashIds
{
    private const double MaxLoad = 0.72;

    private Entry[] _entries;

    public HashIds(int expected) => _entries = new Entry[SizeFor(expected)];

    /// <summary>Gets the number of keys.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the value of a key (its id unless remapped), or <paramref name="missing"/>.</summary>
    public int Find(ulong hash, int missing = -1)
    {
        hash = hash == 0 ? 1 : hash;
        var entries = _entries;
        for (var slot = Home(hash, entries.Length); ; slot = slot + 1 == entries.Length ? 0 : slot + 1)
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
        var entries = _entries;
        for (var slot = Home(hash, entries.Length); ; slot = slot + 1 == entries.Length ? 0 : slot + 1)
        {
            ref var entry = ref entries[slot];
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

    /// <summary>
    /// The home slot: Fibonacci hashing (the high bits of the product, so keys that agree in their low bits still spread),
    /// mapped onto the table's length by multiplying rather than masking, so any length serves.
    /// </summary>
    private static int Home(ulong hash, int length) => (int)((((hash * 0x9E3779B97F4A7C15UL) >> 32) * (ulong)length) >> 32);

    private static int SizeFor(int expected) => (int)Math.Min(MaxLength, Math.Max(16, (long)Math.Ceiling(expected / MaxLoad) + 1));

    /// <summary>The longest array of the runtime (Array.MaxLength, which netstandard2.0 lacks).</summary>
    private const long MaxLength = 0x7FFFFFC7;

    private void Grow()
    {
        var old = _entries;
        var entries = new Entry[SizeFor(old.Length)];
        foreach (var entry in old)
        {
            if (entry.Hash == 0)
                continue;
            var slot = Home(entry.Hash, entries.Length);
            while (entries[slot].Hash != 0)
                slot = slot + 1 == entries.Length ? 0 : slot + 1;
            entries[slot] = entry;
        }

        _entries = entries;
    }

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct Entry
    {
        public ulong Hash;
        public int Value;
    }
}
