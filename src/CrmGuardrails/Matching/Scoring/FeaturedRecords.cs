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

    /// <summary>Initializes a new instance of the <see cref="FeaturedRecords{TRecord, TFeatures}"/> class.</summary>
    /// <param name="engine">The engine the features were computed with.</param>
    /// <param name="features">The features of each record.</param>
    /// <param name="records">The records, in the same order.</param>
    public FeaturedRecords(MatchEngine engine, TFeatures[] features, TRecord[] records)
    {
        Engine = engine;
        _features = features;
        _records = records;
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
