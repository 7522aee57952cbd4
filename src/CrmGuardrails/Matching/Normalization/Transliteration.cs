using System.IO.Compression;
using System.Text;

namespace CrmGuardrails.Matching.Normalization;

/// <summary>
/// The ASCII reading of every non-ASCII character, from the embedded table built from AnyAscii
/// (eng/tools/TransliterationTable). It never asks the runtime's globalization data, so keys are the same on
/// .NET Framework, on .NET with ICU and on .NET in invariant mode.
/// </summary>
internal sealed class Transliteration
{
    private static readonly Lazy<Transliteration> Table = new(Load);

    /// <summary>The entry of each BMP character: (offset in the pool &lt;&lt; 8) | length, or -1 for a word break.</summary>
    private readonly int[] _bmp;

    /// <summary>The characters above the BMP that have an entry, sorted, and their entries.</summary>
    private readonly int[] _astralCodePoints;
    private readonly int[] _astralEntries;
    private readonly string _pool;

    /// <summary>(base &lt;&lt; 32 | mark) → the letter they compose, for decomposed (NFD) text.</summary>
    private readonly Dictionary<long, int> _compositions;

    private Transliteration(int[] bmp, int[] astralCodePoints, int[] astralEntries, string pool, Dictionary<long, int> compositions)
    {
        _bmp = bmp;
        _astralCodePoints = astralCodePoints;
        _astralEntries = astralEntries;
        _pool = pool;
        _compositions = compositions;
    }

    /// <summary>Gets the table (loaded on first use).</summary>
    public static Transliteration Instance => Table.Value;

    /// <summary>Appends the reading of a non-ASCII code point to <paramref name="into"/>; a word break appends a space.</summary>
    public void Append(int codePoint, StringBuilder into)
    {
        var entry = Entry(codePoint);
        if (entry < 0)
            into.Append(' ');
        else
            into.Append(_pool, entry >> 8, entry & 0xFF);
    }

    /// <summary>Gets the letter a base and a following combining mark compose (NFC, or NFKC for half-width kana), or -1.</summary>
    public int Compose(int first, int mark)
    {
        // Hangul: leading consonant + vowel, then + trailing consonant, by the Unicode arithmetic.
        if (first is >= 0x1100 and <= 0x1112 && mark is >= 0x1161 and <= 0x1175)
            return 0xAC00 + ((((first - 0x1100) * 21) + (mark - 0x1161)) * 28);
        if (first is >= 0xAC00 and <= 0xD7A3 && (first - 0xAC00) % 28 == 0 && mark is >= 0x11A8 and <= 0x11C2)
            return first + (mark - 0x11A7);
        return _compositions.TryGetValue(((long)first << 32) | (uint)mark, out var composed) ? composed : -1;
    }

    private int Entry(int codePoint)
    {
        if (codePoint < 0x10000)
            return _bmp[codePoint];
        var index = Array.BinarySearch(_astralCodePoints, codePoint);
        return index >= 0 ? _astralEntries[index] : -1;
    }

    private static Transliteration Load()
    {
        const string name = "CrmGuardrails.Resources.transliteration.bin.gz";
        var assembly = typeof(Transliteration).Assembly;
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"Embedded resource {name} is missing from {assembly.GetName().Name}.");
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new BinaryReader(gzip, Encoding.UTF8);
        if (reader.ReadByte() != 'C' || reader.ReadByte() != 'G' || reader.ReadByte() != 'T' || reader.ReadByte() != '2')
            throw new InvalidOperationException($"Embedded resource {name} is not a transliteration table.");
        var count = reader.ReadInt32();
        var bmp = new int[0x10000];
#if NET8_0_OR_GREATER
        Array.Fill(bmp, -1);
#else
        for (var i = 0; i < bmp.Length; i++)
            bmp[i] = -1;
#endif
        var astralCodePoints = new List<int>();
        var astralEntries = new List<int>();
        var pool = new StringBuilder(count * 4);
        var texts = new Dictionary<string, int>(StringComparer.Ordinal);
        var codePoint = 0;
        for (var i = 0; i < count; i++)
        {
            codePoint += Varint(reader);
            var text = Encoding.UTF8.GetString(reader.ReadBytes(reader.ReadByte()));

            // Many characters share a reading ("a" for two hundred of them): the pool holds each reading once.
            if (!texts.TryGetValue(text, out var offset))
            {
                offset = pool.Length;
                texts.Add(text, offset);
                pool.Append(text);
            }

            var entry = (offset << 8) | text.Length;
            if (codePoint < 0x10000)
            {
                bmp[codePoint] = entry;
            }
            else
            {
                astralCodePoints.Add(codePoint);
                astralEntries.Add(entry);
            }
        }

        var compositionCount = reader.ReadInt32();
        var compositions = new Dictionary<long, int>(compositionCount);
        for (var i = 0; i < compositionCount; i++)
        {
            var first = Varint(reader);
            var mark = Varint(reader);
            compositions[((long)first << 32) | (uint)mark] = Varint(reader);
        }

        // Ideographs of two readings, read as company and place names read them: 长 is "chang" in 长沙, 长春, 长城 and 长江
        // (the table's "zhang" is "to grow"), 拓 "tuo" as in 开拓 (the table's "ta" is "to rub a copy").
        foreach (var (ideograph, reading) in NameReadings)
        {
            bmp[ideograph] = (pool.Length << 8) | reading.Length;
            pool.Append(reading);
        }

        return new Transliteration(bmp, astralCodePoints.ToArray(), astralEntries.ToArray(), pool.ToString(), compositions);
    }

    private static readonly (char Ideograph, string Reading)[] NameReadings = [('长', "Chang"), ('長', "Chang"), ('拓', "Tuo")];

    private static int Varint(BinaryReader reader)
    {
        int value = 0, shift = 0;
        byte part;
        do
        {
            part = reader.ReadByte();
            value |= (part & 0x7F) << shift;
            shift += 7;
        }
        while ((part & 0x80) != 0);
        return value;
    }
}
