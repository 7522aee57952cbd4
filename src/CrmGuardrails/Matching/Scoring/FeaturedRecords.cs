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
    private readonly TRecord[] _records;

    public FeaturedRecords(MatchEngine engine, TFeatures[] features, Func<TFeatures, TRecord> record)
    {
        Engine = engine;
        _features = features;

        // Read once, in one pass: the candidates' memory is fetched together rather than one miss per access later.
        _records = new TRecord[features.Length];
        for (var i = 0; i < features.Length; i++)
            _records[i] = record(features[i]);
    }

    /// <summary>Gets the engine the features were computed with: another engine's matcher must not use them.</summary>
    public MatchEngine Engine { get; }

    public int Count => _features.Length;

    public TRecord this[int index] => _records[index];

    /// <summary>Gets the features of every record, in order.</summary>
    public IReadOnlyList<TFeatures> AllFeatures => _features;

    /// <summary>Gets the features of record <paramref name="index"/>.</summary>
    public TFeatures Features(int index) => _features[index];

    public IEnumerator<TRecord> GetEnumerator() => ((IEnumerable<TRecord>)_records).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
