using CrmGuardrails.Hosting;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmGuardrails.Dataverse.Internal;
using CrmGuardrails.Matching;
using Key = CrmGuardrails.Dataverse.DataverseSchema.MatchKey;

namespace CrmGuardrails.Dataverse.Keys;

/// <summary>The stored keys of one record, to write.</summary>
/// <param name="RecordId">The record's id.</param>
/// <param name="AccountId">For a contact, its account's id (stored with each key), else <see langword="null"/>.</param>
/// <param name="Keys">The keys (<see cref="StoredMatchKeys"/>).</param>
internal sealed record RecordKeys(string RecordId, string? AccountId, IReadOnlyList<string> Keys);

/// <summary>
/// The match-key table over the Web API: looks keys up (one <c>$batch</c>, one exact query per key) and writes a
/// record's keys (read what is stored, then upsert by alternate key and delete what is stale, in <c>$batch</c>es).
/// </summary>
/// <remarks>Every write is idempotent (upserts by alternate key, deletes by id), so a retried or resumed write is safe.</remarks>
internal sealed class DataverseKeyStore(DataverseWebApi api)
{
    /// <summary>Records whose stored keys are read with one query (an <c>or</c> of their ids).</summary>
    private const int RecordsPerRead = 50;

    /// <summary>Writes per <c>$batch</c>: Microsoft advises small batches (start at 10) over large ones; 100 keeps the round trips few.</summary>
    private const int WritesPerBatch = 100;

    private const string MissingTable =
        "The organisation has no CrmGuardrails match-key table (crmg_matchkey). Create it (docs/dataverse.md, 'Match keys') and fill it: crmguard dataverse keys --backfill.";

    /// <summary>Looks every key up in one round trip; returns, per key, its holders (at most <see cref="StoredKeyLookup.MaxHolders"/> + 1).</summary>
    public async Task<Dictionary<string, IReadOnlyList<StoredKeyHolder>>> LookupAsync(IReadOnlyList<StoredKeyLookup> lookups, CancellationToken cancellationToken)
    {
        var parts = lookups.Select(l => new BatchPart(HttpMethod.Get, LookupUrl(l))).ToList();
        var answers = await api.BatchAsync(parts, cancellationToken).ConfigureAwait(false);
        var found = new Dictionary<string, IReadOnlyList<StoredKeyHolder>>(StringComparer.Ordinal);
        for (var i = 0; i < answers.Count; i++)
        {
            using var document = Checked(answers[i]).Json();
            found[lookups[i].Key] = Rows(document.RootElement).Select(ReadHolder).OfType<StoredKeyHolder>().ToList();
        }

        return found;
    }

    /// <summary>The exact query for one key's holders: one more than are worth reading, so a key that has more is seen.</summary>
    public static string LookupUrl(StoredKeyLookup lookup) =>
        $"{Key.EntitySet}?$select={Key.RecordId},{Key.AccountId}&$filter={Uri.EscapeDataString(ODataFilter.Eq(Key.Key, lookup.Key))}&$top={lookup.MaxHolders + 1}";

    /// <summary>Reads a key row as the record holding the key.</summary>
    public static StoredKeyHolder? ReadHolder(JsonElement row) =>
        Text(row, Key.RecordId) is { } id ? new StoredKeyHolder(id, Text(row, Key.AccountId)) : null;

    /// <summary>Makes the stored keys of these records exactly <see cref="RecordKeys.Keys"/>.</summary>
    public async Task<KeyWriteCounts> WriteAsync(IReadOnlyList<RecordKeys> records, CancellationToken cancellationToken)
    {
        var counts = default(KeyWriteCounts);
        for (var start = 0; start < records.Count; start += RecordsPerRead)
        {
            var chunk = records.Skip(start).Take(RecordsPerRead).ToList();
            var stored = await ReadStoredAsync(chunk.Select(r => r.RecordId).ToList(), cancellationToken).ConfigureAwait(false);
            var parts = new List<BatchPart>();
            foreach (var record in chunk)
            {
                var wanted = new HashSet<string>(record.Keys, StringComparer.OrdinalIgnoreCase);
                var have = stored.TryGetValue(record.RecordId, out var rows) ? rows : [];
                foreach (var row in have)
                {
                    if (wanted.Contains(row.Key) && string.Equals(row.AccountId ?? string.Empty, record.AccountId ?? string.Empty, StringComparison.OrdinalIgnoreCase))
                    {
                        wanted.Remove(row.Key);
                        counts += new KeyWriteCounts(0, 0, 1);
                    }
                    else if (!wanted.Contains(row.Key))
                    {
                        parts.Add(new BatchPart(HttpMethod.Delete, $"{Key.EntitySet}({row.Id})"));
                        counts += new KeyWriteCounts(0, 1, 0);
                    }
                }

                foreach (var key in wanted)
                {
                    // PATCH by alternate key is an upsert: created when missing, updated when present.
                    parts.Add(new BatchPart(new HttpMethod("PATCH"), AlternateKeyUrl(key, record.RecordId), new JsonObject { [Key.AccountId] = record.AccountId }));
                    counts += new KeyWriteCounts(1, 0, 0);
                }
            }

            for (var p = 0; p < parts.Count; p += WritesPerBatch)
            {
                var answers = await api.BatchAsync(parts.Skip(p).Take(WritesPerBatch).ToList(), cancellationToken).ConfigureAwait(false);
                foreach (var answer in answers)
                {
                    // A key deleted by someone else in the meantime is as good as deleted.
                    if (answer.Status != 404)
                        Checked(answer);
                }
            }
        }

        return counts;
    }

    /// <summary>Deletes every stored key of these records (the records were deleted).</summary>
    public Task<KeyWriteCounts> DeleteAsync(IReadOnlyList<string> recordIds, CancellationToken cancellationToken) =>
        WriteAsync(recordIds.Select(id => new RecordKeys(id, null, [])).ToList(), cancellationToken);

    private async Task<Dictionary<string, List<StoredRow>>> ReadStoredAsync(IReadOnlyList<string> recordIds, CancellationToken cancellationToken)
    {
        var filter = ODataFilter.Or(recordIds.Select(id => ODataFilter.Eq(Key.RecordId, id)));
        var url = $"{Key.EntitySet}?$select={Key.Id},{Key.Key},{Key.RecordId},{Key.AccountId}&$filter={Uri.EscapeDataString(filter)}";
        List<StoredRow> rows;
        try
        {
            rows = await api.QueryAsync(url, int.MaxValue, maxPages: 100, StoredRow.Read, cancellationToken).ConfigureAwait(false);
        }
        catch (DataverseException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new DataverseException(MissingTable, ex.StatusCode, ex.ErrorCode, innerException: ex);
        }

        return rows.GroupBy(r => r.RecordId, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
    }

    private static string AlternateKeyUrl(string key, string recordId) =>
        $"{Key.EntitySet}({Key.Key}={Uri.EscapeDataString(ODataFilter.Quote(key))},{Key.RecordId}={Uri.EscapeDataString(ODataFilter.Quote(recordId))})";

    private static BatchAnswer Checked(BatchAnswer answer) =>
        answer.Status == 404 && answer.Body.Contains(Key.EntitySet, StringComparison.OrdinalIgnoreCase)
            ? throw new DataverseException(MissingTable, HttpStatusCode.NotFound)
            : answer.ThrowIfFailed();

    private static IEnumerable<JsonElement> Rows(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : throw new DataverseException("The Dataverse Web API answered a match-key query without a 'value' array.");

    private static string? Text(JsonElement row, string column) =>
        row.TryGetProperty(column, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private sealed record StoredRow(string Id, string Key, string RecordId, string? AccountId)
    {
        public static StoredRow? Read(JsonElement row) =>
            Text(row, DataverseSchema.MatchKey.Id) is { } id && Text(row, DataverseSchema.MatchKey.Key) is { } key && Text(row, DataverseSchema.MatchKey.RecordId) is { } record
                ? new StoredRow(id, key, record, Text(row, DataverseSchema.MatchKey.AccountId))
                : null;
    }
}
