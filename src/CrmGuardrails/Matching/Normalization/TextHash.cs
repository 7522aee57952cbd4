namespace CrmGuardrails.Matching.Normalization;

/// <summary>
/// Small hashes of normalised values, kept beside the values: scoring compares the hashes first and reads the text
/// only when they agree, so a candidate that agrees on nothing costs a few cache lines, not a dozen strings.
/// </summary>
internal static class TextHash
{
    /// <summary>32-bit FNV-1a of a text; 0 only for the empty text.</summary>
    public static int Of(string text) => Of(text, 0, text.Length);

    /// <summary>32-bit FNV-1a of part of a text; 0 only for an empty part.</summary>
    public static int Of(string text, int start, int count)
    {
        if (count == 0)
            return 0;
        var hash = 2166136261u;
        for (var i = start; i < start + count; i++)
            hash = (hash ^ text[i]) * 16777619u;
        return hash == 0 ? 1 : (int)hash;
    }

    /// <summary>32-bit FNV-1a of texts run together (<see cref="Of(string)"/> of their concatenation), without building it.</summary>
    public static int OfConcatenated(string[] texts)
    {
        var hash = 2166136261u;
        var empty = true;
        foreach (var text in texts)
        {
            foreach (var ch in text)
            {
                hash = (hash ^ ch) * 16777619u;
                empty = false;
            }
        }

        return empty ? 0 : hash == 0 ? 1 : (int)hash;
    }

    /// <summary>64-bit FNV-1a of a text: wide enough that two different words never share it in practice.</summary>
    public static long Of64(string text) => Append64(unchecked((long)14695981039346656037UL), text);

    /// <summary>Continues <see cref="Of64"/> of a text with another: the hash of the two run together, without building it.</summary>
    public static long Append64(long of64, string text)
    {
        var hash = (ulong)of64;
        foreach (var ch in text)
            hash = (hash ^ ch) * 1099511628211UL;
        return (long)hash;
    }

    /// <summary>
    /// A phone as a number: the digits of "+digits" (E.164), or minus the digits of "#digits" (a number that could not be
    /// read); 0 for none. Two phones are equal exactly when their numbers are.
    /// </summary>
    public static long Phone(string e164)
    {
        if (e164.Length < 2 || e164.Length > 19 || e164[0] is not ('+' or '#'))
            return 0;
        long value = 0;
        for (var i = 1; i < e164.Length; i++)
            value = (value * 10) + (e164[i] - '0');
        return e164[0] == '+' ? value : -value - 1;
    }
}
