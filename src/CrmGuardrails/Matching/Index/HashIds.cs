namespace CrmGuardrails.Matching.Index;

/// <summary>
/// A map from 64-bit key hashes to dense ids (0, 1, 2… in insertion order) in two flat arrays with open addressing:
/// twelve bytes a key instead of a dictionary entry's twenty-eight, and a lookup that reads one or two cache lines.
/// </summary>
/// <remarks>Not thread-safe for writers; readers may share a map nobody writes to.</remarks>
internal sealed class HashIds
{
    private const double MaxLoad = 0.72;

    private ulong[] _hashes;
    private int[] _ids;
    private int _shift;

    public HashIds(int expected)
    {
        var size = 16;
        while (size * MaxLoad < expected)
            size *= 2;
        _hashes = new ulong[size];
        _ids = new int[size];
        _shift = 64 - Log2(size);
    }

    /// <summary>Gets the number of keys.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the id of a key, or -1.</summary>
    public int Find(ulong hash)
    {
        hash = hash == 0 ? 1 : hash;
        var mask = _hashes.Length - 1;
        for (var slot = Home(hash); ; slot = (slot + 1) & mask)
        {
            var known = _hashes[slot];
            if (known == hash)
                return _ids[slot];
            if (known == 0)
                return -1;
        }
    }

    /// <summary>Gets the id of a key, adding it with the next id when it is new.</summary>
    public int GetOrAdd(ulong hash, out bool added)
    {
        hash = hash == 0 ? 1 : hash;
        if (Count + 1 > _hashes.Length * MaxLoad)
            Grow();
        var mask = _hashes.Length - 1;
        for (var slot = Home(hash); ; slot = (slot + 1) & mask)
        {
            var known = _hashes[slot];
            if (known == hash)
            {
                added = false;
                return _ids[slot];
            }

            if (known == 0)
            {
                _hashes[slot] = hash;
                _ids[slot] = Count;
                added = true;
                return Count++;
            }
        }
    }

    /// <summary>Fibonacci hashing: the high bits of the product, so keys that agree in their low bits still spread.</summary>
    private int Home(ulong hash) => (int)((hash * 0x9E3779B97F4A7C15UL) >> _shift);

    private void Grow()
    {
        var hashes = _hashes;
        var ids = _ids;
        _hashes = new ulong[hashes.Length * 2];
        _ids = new int[hashes.Length * 2];
        _shift--;
        var mask = _hashes.Length - 1;
        for (var i = 0; i < hashes.Length; i++)
        {
            if (hashes[i] == 0)
                continue;
            var slot = Home(hashes[i]);
            while (_hashes[slot] != 0)
                slot = (slot + 1) & mask;
            _hashes[slot] = hashes[i];
            _ids[slot] = ids[i];
        }
    }

    private static int Log2(int size)
    {
        var bits = 0;
        while ((1 << bits) < size)
            bits++;
        return bits;
    }
}
