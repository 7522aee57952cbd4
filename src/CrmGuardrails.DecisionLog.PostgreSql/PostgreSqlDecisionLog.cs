using CrmGuardrails.Decisions;
using Npgsql;
using NpgsqlTypes;

namespace CrmGuardrails.DecisionLog.PostgreSql;

/// <summary>
/// A decision log in PostgreSQL, shared by several webhook hosts: one row per decision (the columns a query filters on,
/// and the decision as <see cref="DecisionJson"/> in <c>jsonb</c>), one transaction per batch, so a crash mid-write
/// leaves the batch out whole. The schema is versioned in <c>crmg_decision_schema</c>.
/// </summary>
/// <remarks>Thread-safe; hosts starting together create the schema once (an advisory lock serialises them).</remarks>
public sealed class PostgreSqlDecisionLog : IDecisionLog, IAsyncDisposable, IDisposable
{
    /// <summary>The schema version this code writes and reads.</summary>
    public const int SchemaVersion = 1;

    // A fixed key for pg_advisory_xact_lock: "CRMG" in ASCII.
    private const long MigrationLock = 0x43524D47;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly SemaphoreSlim _initialization = new(1, 1);
    private volatile bool _initialized;

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlDecisionLog"/> class. The table is created on first use.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid.</exception>
    public PostgreSqlDecisionLog(PostgreSqlDecisionLogOptions options)
    {
        if (options is null)
            throw new ArgumentNullException(nameof(options));
        OptionsValidation.ThrowIfInvalid(options);
        _schema = options.Schema;
        _dataSource = NpgsqlDataSource.Create(options.ConnectionString);
    }

    private string Table => $"\"{_schema}\".crmg_decisions";

    /// <summary>Gets a hook run inside a batch's transaction before it commits (tests inject a crash with it).</summary>
    internal Action? BeforeCommit { get; init; }

    /// <inheritdoc />
    public async ValueTask AppendAsync(IReadOnlyList<DecisionRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
            return;
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var ids = new string[records.Count];
        var ticks = new long[records.Count];
        var hosts = new string[records.Count];
        var verdicts = new int[records.Count];
        var rules = new string[records.Count];
        var bodies = new string[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i] ?? throw new ArgumentException($"records[{i}] is null.", nameof(records));
            ids[i] = record.Id;
            ticks[i] = record.Time.UtcTicks;
            hosts[i] = record.Host;
            verdicts[i] = (int)record.Verdict;
            rules[i] = "," + string.Join(",", record.Findings.Select(f => f.RuleId).Distinct(StringComparer.Ordinal)) + ",";
            bodies[i] = DecisionJson.Serialize(record);
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO {Table} (id, time_ticks, host, verdict, rules, body) " +
            "SELECT i, t, h, v, r, b::jsonb FROM unnest(@ids, @ticks, @hosts, @verdicts, @rules, @bodies) AS x(i, t, h, v, r, b) " +
            "ON CONFLICT (id) DO NOTHING", connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter<string[]>("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = ids });
            insert.Parameters.Add(new NpgsqlParameter<long[]>("ticks", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = ticks });
            insert.Parameters.Add(new NpgsqlParameter<string[]>("hosts", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = hosts });
            insert.Parameters.Add(new NpgsqlParameter<int[]>("verdicts", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = verdicts });
            insert.Parameters.Add(new NpgsqlParameter<string[]>("rules", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = rules });
            insert.Parameters.Add(new NpgsqlParameter<string[]>("bodies", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = bodies });
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        BeforeCommit?.Invoke();
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<DecisionPage> QueryAsync(DecisionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        OptionsValidation.ThrowIfInvalid(query);
        (long Ticks, string Id)? after = query.ContinuationToken is { } token ? DecisionContinuation.Parse(token) : null;
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var select = _dataSource.CreateCommand();
        var where = new List<string>();
        if (query.From is { } from)
        {
            where.Add("time_ticks >= @from");
            select.Parameters.AddWithValue("from", from.UtcTicks);
        }

        if (query.To is { } to)
        {
            where.Add("time_ticks < @to");
            select.Parameters.AddWithValue("to", to.UtcTicks);
        }

        if (query.RuleId is { } rule)
        {
            where.Add("strpos(rules, @rule) > 0");
            select.Parameters.AddWithValue("rule", "," + rule + ",");
        }

        if (query.Verdict is { } verdict)
        {
            where.Add("verdict = @verdict");
            select.Parameters.AddWithValue("verdict", (int)verdict);
        }

        if (query.Host is { } host)
        {
            where.Add("host = @host");
            select.Parameters.AddWithValue("host", host);
        }

        if (after is { } a)
        {
            where.Add("(time_ticks, id) > (@afterTicks, @afterId)");
            select.Parameters.AddWithValue("afterTicks", a.Ticks);
            select.Parameters.AddWithValue("afterId", a.Id);
        }

        // COLLATE "C": ids compare byte by byte, as SQLite compares them, so both logs page in the same order.
        select.CommandText = $"SELECT body::text FROM {Table}" + (where.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", where)) +
                             " ORDER BY time_ticks, id COLLATE \"C\" LIMIT @limit";
        select.Parameters.AddWithValue("limit", query.PageSize + 1);
        var records = new List<DecisionRecord>(Math.Min(query.PageSize + 1, 1024));
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                records.Add(DecisionJson.Deserialize(reader.GetString(0)));
        }

        if (records.Count <= query.PageSize)
            return new DecisionPage(records, null);
        records.RemoveAt(records.Count - 1);
        return new DecisionPage(records, DecisionContinuation.After(records[^1]));
    }

    /// <inheritdoc />
    public async ValueTask<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = _dataSource.CreateCommand($"DELETE FROM {Table} WHERE time_ticks < @cutoff");
        delete.Parameters.AddWithValue("cutoff", cutoff.UtcTicks);
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => _dataSource.Dispose();

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
            return;
        await _initialization.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
                return;
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLock}); CREATE SCHEMA IF NOT EXISTS \"{_schema}\"; " +
                                                        $"CREATE TABLE IF NOT EXISTS \"{_schema}\".crmg_decision_schema (version integer NOT NULL)", cancellationToken).ConfigureAwait(false);
            await using var read = new NpgsqlCommand($"SELECT max(version) FROM \"{_schema}\".crmg_decision_schema", connection, transaction);
            var current = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int v ? v : 0;
            if (current > SchemaVersion)
                throw new InvalidOperationException($"The decision log in schema {_schema} has version {current}, written by a newer CrmGuardrails; this version reads up to {SchemaVersion}.");
            if (current < 1)
            {
                await ExecuteAsync(connection, transaction,
                    $"CREATE TABLE {Table} (id text NOT NULL PRIMARY KEY, time_ticks bigint NOT NULL, host text NOT NULL, verdict integer NOT NULL, rules text NOT NULL, body jsonb NOT NULL); " +
                    $"CREATE INDEX crmg_decisions_time ON {Table} (time_ticks, id COLLATE \"C\"); " +
                    $"INSERT INTO \"{_schema}\".crmg_decision_schema (version) VALUES (1)", cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _initialized = true;
        }
        finally
        {
            _initialization.Release();
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
