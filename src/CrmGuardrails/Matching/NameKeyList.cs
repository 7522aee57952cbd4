using CrmGuardrails.Matching.Index;

namespace CrmGuardrails.Matching;

/// <summary>
/// A name's keys as the matcher wrote them: hashed at once (what the embedded index looks up), as text only when a host
/// reads them (a remote directory stores and queries the text). Both come from one <see cref="KeyWriter"/> pass over
/// the same name, so they never disagree.
/// </summary>
internal sealed class NameKeyList(List<MatchKey> hashed, Func<List<string>> text) : LazyList<string>(text)
{
    /// <summary>Gets the keys as the index holds them.</summary>
    public IReadOnlyList<MatchKey> Hashed => hashed;
}
