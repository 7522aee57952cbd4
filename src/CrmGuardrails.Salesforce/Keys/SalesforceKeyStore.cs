using CrmGuardrails.Hosting;
using System.Text.Json.Nodes;
using CrmGuardrails.Matching;
using Key = CrmGuardrails.Salesforce.SalesforceSchema.MatchKey;

namespace CrmGuardrails.Salesforce.Keys;

/// <summary>The stored keys of one record: the keys it should have now (empty to delete them all).</summary>
internal sealed record RecordKeys(string RecordId, string? AccountId, IReadOnlyList<string> Keys);

/// <summary>
/// The match-key object (<c>CrmG_MatchKey__c</c>): exact lookups by key (an External Id, so indexed and selective,
/// salesforce.md §10.F), and writes that bring a record's keys to what it should have — upserts by the unique
/// External Id (key + record), deletes of keys it lost — by <c>composite/batch</c>.
/// </summary>
internal sealed class SalesforceKeyStore(SalesforceRestApi api)
{
    private const int RecordsPerRead = 100;

    public const string MissingObject =
        "The org has no CrmGuardrails match-key object (CrmG_MatchKey__c). Deploy the metadata (crmguard salesforce metadata <dir>, then sf project deploy start) and fill it: crmguard salesforce keys --backfill.";

    /// <summary>The query of one lookup: the key's holders, one more than worth reading.</summary>
    public static string LookupQuery(StoredKeyLookup lookup) =>
        Soql.Select([Key.RecordId, Key.AccountId], Key.Object).Where(Soql.Eq(Key.Key, lookup.Key)).Limit(lookup.MaxHolders + 1).ToString();

    public static StoredKeyHolder? ReadHolder(SalesforceRow row) =>
        row.Field(Key.RecordId) is { Length: > 0 } id ? new StoredKeyHolder(id, row.Field(Key.AccountId) is { Length: > 0 } account ? account : null) : null;

    public async Task<KeyWriteCounts> WriteAsync(IReadOnlyList<RecordKeys> records, CancellationToken cancellationToken)
    {
        var counts = default(KeyWriteCounts);
        for (var start = 0; start < records.Count; start += RecordsPerRead)
        {
            var chunk = records.Skip(start).Take(RecordsPerRead).ToList();
            var stored = await ReadStoredAsync(chunk.Select(r => r.RecordId).Distinct().ToList(), cancellationToken).ConfigureAwait(false);
            var calls = new List<BatchCall>();
            foreach (var record in chunk)
            {
                var wanted = new HashSet<string>(record.Keys, StringComparer.Ordinal);
                foreach (var row in stored.TryGetValue(record.RecordId, out var rows) ? rows : [])
                {
                    if (wanted.Contains(row.Key) && string.Equals(row.AccountId ?? string.Empty, record.AccountId ?? string.Empty, StringComparison.Ordinal))
                    {
                        wanted.Remove(row.Key);
                        counts += new KeyWriteCounts(0, 0, 1);
                    }
                    else if (!wanted.Contains(row.Key))
                    {
                        calls.Add(new BatchCall("DELETE", $"v{api.ApiVersion}/sobjects/{Key.Object}/{Uri.EscapeDataString(row.Id)}"));
                        counts += new KeyWriteCounts(0, 1, 0);
                    }
                }

                foreach (var key in wanted)
                {
                    // PATCH by External Id is an upsert: created when missing, updated when present — safe to repeat.
                    var unique = Key.UniqueKeyOf(key, record.RecordId);
                    calls.Add(new BatchCall(
                        "PATCH",
                        $"v{api.ApiVersion}/sobjects/{Key.Object}/{Key.UniqueKey}/{Uri.EscapeDataString(unique)}",
                        new JsonObject { [Key.Key] = key, [Key.RecordId] = record.RecordId, [Key.AccountId] = record.AccountId }));
                    counts += new KeyWriteCounts(1, 0, 0);
                }
            }

            if (calls.Count == 0)
                continue;
            var answers = await api.BatchAsync(calls, cancellationToken).ConfigureAwait(false);
            foreach (var answer in answers)
            {
                // A key deleted by someone else in the meantime is as good as deleted.
                if (answer.StatusCode != 404)
                    answer.ThrowIfFailed("a match-key write");
            }
        }

        return counts;
    }

    public Task<KeyWriteCounts> DeleteAsync(IReadOnlyList<string> recordIds, CancellationToken cancellationToken) =>
        WriteAsync(recordIds.Select(id => new RecordKeys(id, null, [])).ToList(), cancellationToken);

    private async Task<Dictionary<string, List<StoredRow>>> ReadStoredAsync(IReadOnlyList<string> recordIds, CancellationToken cancellationToken)
    {
        var soql = Soql.Select([SalesforceSchema.Id, Key.Key, Key.RecordId, Key.AccountId], Key.Object).Where(Soql.In(Key.RecordId, recordIds)).ToString();
        List<StoredRow> rows;
        try
        {
            rows = await api.QueryAsync(soql, int.MaxValue, StoredRow.Read, cancellationToken).ConfigureAwait(false);
        }
        catch (SalesforceException ex) when (ex.ErrorCode == SalesforceErrors.InvalidType)
        {
            throw new SalesforceException(MissingObject, ex.StatusCode, ex.ErrorCode, ex);
        }

        return rows.GroupBy(r => r.RecordId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
    }

    private sealed record StoredRow(string Id, string Key, string RecordId, string? AccountId)
    {
        public static StoredRow? Read(SalesforceRow row) =>
            row.Field(SalesforceSchema.Id) is { } id && row.Field(SalesforceSchema.MatchKey.Key) is { } key && row.Field(SalesforceSchema.MatchKey.RecordId) is { } record
                ? new StoredRow(id, key, record, row.Field(SalesforceSchema.MatchKey.AccountId) is { Length: > 0 } account ? account : null)
                : null;
    }
}
