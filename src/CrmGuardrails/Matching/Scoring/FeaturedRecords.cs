using System.Collections;

namespace CrmGuardrails.Matching.Scoring;

/// <summary>
/// Records as the embedded directory found them, with the features it already holds for each, so that the matcher
/// does not look every candidate up again (or normalise it again). To any other reader it is a plain list of records.
/// </summary>
internal sealed class FeaturedRecords<TRecord, TFeatures> : IReadOnlyList<TRecord>
    where TRecord : CrmRecord
    where TFeatures : class
{
    private readonly TFeatures[] _features;
    private readonly Func<TFeatures, TRecord> _record;

    public FeaturedRecords(MatchEngine engine, TFeatures[] features, Func<TFeatures, TRecord> record)
    {
        Engine = engine;
        _features = features;
        _record = record;
    }

    /// <summary>Gets the engine the features were computed with: another engine's matcher must not use them.</summary>
    public MatchEngine Engine { get; }

    public int Count => _features.Length;

    public TRecord this[int index] => _record(_features[index]);

    /// <summary>Gets the features of every record, in order.</summary>
    public IReadOnlyList<TFeatures> AllFeatures => _features;

    /// <summary>Gets the features of record <paramref name="index"/>.</summary>
    public TFeatures Features(int index) => _features[index];

    public IEnumerator<TRecord> GetEnumerator()
    {
        foreach (var features in _features)
            yield return _record(features);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
