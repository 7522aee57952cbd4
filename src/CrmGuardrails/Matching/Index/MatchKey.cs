namespace CrmGuardrails.Matching.Index;

/// <summary>What a key is made of; candidates are gathered from the most selective keys first, kind breaking ties.</summary>
internal enum KeyKind
{
    /// <summary>A full email address ("e:").</summary>
    Email,

    /// <summary>A registrable company domain ("d:").</summary>
    Domain,

    /// <summary>A phone in E.164, or its switchboard ("p:").</summary>
    Phone,

    /// <summary>A numbered street address in its postal code or city ("h:"): one building, whatever the name was typed as.</summary>
    Address,

    /// <summary>A whole name, its sorted words or a word pair ("n:", "s:", "b:").</summary>
    Name,

    /// <summary>One distinctive word of a name ("t:").</summary>
    NameWord,

    /// <summary>Initials, or a name that may be initials ("a:").</summary>
    Acronym,

    /// <summary>A near spelling of a name, for typos ("x:"): asked only when no whole name is found.</summary>
    Typo,

    /// <summary>
    /// The shape of a name, its words' first letters and lengths ("x:="): asked only when no other key of the name finds
    /// anything, since every name of that shape shares it.
    /// </summary>
    Shape,

    /// <summary>The account a contact belongs to ("c:"): every contact of it is wanted, up to the limit asked for.</summary>
    Account,
}

/// <summary>A key as indexes hold it: the 64-bit FNV-1a hash of its text, and its kind.</summary>
/// <remarks>
/// A hash collision (about 1 in 10^7 at a million accounts) only adds a candidate that scoring then rejects, and it
/// saves the memory of millions of key strings.
/// </remarks>
internal readonly record struct MatchKey(ulong Hash, KeyKind Kind)
{
    /// <summary>Keys shared by more records than this retrieve nothing: they would not tell the records apart.</summary>
    public int MaxPostings => Kind switch
    {
        KeyKind.NameWord or KeyKind.Acronym or KeyKind.Typo or KeyKind.Shape or KeyKind.Address => 40,
        KeyKind.Account => int.MaxValue,
        _ => 300,
    };

    /// <summary>The passes of retrieval: whole keys, then near spellings, then shapes (<see cref="Asks"/>).</summary>
    public const int Passes = 3;

    /// <summary>The pass this key is asked in.</summary>
    public int Pass => Kind switch
    {
        KeyKind.Typo => 1,
        KeyKind.Shape => 2,
        _ => 0,
    };

    /// <summary>
    /// Whether a pass is asked: near spellings only when no whole-name key finds anything (a name that exists as typed
    /// needs no near spellings), shapes only when no near spelling finds anything within its limit either.
    /// </summary>
    /// <param name="pass">The pass.</param>
    /// <param name="nameFound">Whether a whole-name key found records (however many).</param>
    /// <param name="nearFound">Whether a near-spelling key found records within its limit.</param>
    public static bool Asks(int pass, bool nameFound, bool nearFound) => pass switch
    {
        0 => true,
        1 => !nameFound,
        _ => !nameFound && !nearFound,
    };

    /// <summary>The kind of a name key (or of a national phone key, which goes with them), from its prefix.</summary>
    public static KeyKind KindOfNameKey(string key) =>
        key.Length < 2 || key[1] != ':' ? KeyKind.Name : key[0] switch
        {
            't' => KeyKind.NameWord,
            'a' => KeyKind.Acronym,
            'x' => key.Length > 2 && key[2] == '=' ? KeyKind.Shape : KeyKind.Typo,
            'h' => KeyKind.Address,
            'p' => KeyKind.Phone,
            _ => KeyKind.Name,
        };
}

/// <summary>64-bit FNV-1a hashes of key texts.</summary>
internal static class KeyHash
{
    /// <summary>The FNV-1a offset basis: the hash of the empty text.</summary>
    public const ulong EmptyHash = 14695981039346656037UL;

    /// <summary>FNV-1a over the UTF-16 code units, 64 bits.</summary>
    public static ulong Of(string text) => Append(EmptyHash, text, 0, text.Length);

    /// <summary>The hash of <paramref name="prefix"/> followed by <paramref name="value"/>, without building the text.</summary>
    public static ulong Of(string prefix, string value) => Append(Append(EmptyHash, prefix, 0, prefix.Length), value, 0, value.Length);

    /// <summary>Continues an FNV-1a hash with <paramref name="count"/> characters of <paramref name="text"/> from <paramref name="start"/>.</summary>
    public static ulong Append(ulong hash, string text, int start, int count)
    {
        var end = start + count;
        for (var i = start; i < end; i++)
            hash = (hash ^ text[i]) * 1099511628211UL;
        return hash;
    }

    /// <summary>Continues an FNV-1a hash with characters of a buffer.</summary>
    public static ulong Append(ulong hash, char[] buffer, int count)
    {
        for (var i = 0; i < count; i++)
            hash = (hash ^ buffer[i]) * 1099511628211UL;
        return hash;
    }
}
