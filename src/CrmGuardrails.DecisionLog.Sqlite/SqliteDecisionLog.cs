using System.Globalization;
using CrmGuardrails.Decisions;
using Microsoft.Data.Sqlite;

namespace CrmGuardrails.DecisionLog.Sqlite;

/// <summary>
/// The embedded decision log: one SQLite file in WAL mode (readers never wait for the writer), one transaction per batch,
/// so a crash mid-write leaves the batch out whole — never half a row. The schema is versioned (<c>PRAGMA user_version</c>).
/// </summary>
/// <remarks>
/// Thread-safe; several processes may write one file (SQLite serialises writers; a busy file is retried for
/// <see cref="BusyTimeout"/>). Each decision is one row: the columns a query filters on, and the decision as
/// <see cref="DecisionJson"/>.
/// </remarks>
public sealed class SqliteDecisionLog : IDecisionLog
{
    /// <summary>The schema version this code writes and reads.</summary>
    public const int SchemaVersion = 1;

    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    // Each entry moves the schema from version i to i + 1; a new version appends one, never edits one.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE crmg_decisions (
            id TEXT NOT NULL PRIMARY KEY,
            time_ticks INTEGER NOT NULL,
            host TEXT NOT NULL,
            verdict INTEGER NOT NULL,
            rules TEXT NOT NULL,
            body TEXT NOT NULL
        );
        CREATE INDEX crmg_decisions_time ON crmg_decisions (time_ticks, id);
        """,
    ];

    private readonly string _connectionString;
    private readonly SemaphoreSlim _initialization = new(1, 1);
    private volatile bool _initialized;

    /// <summary>Initializes a new instance of the <see cref="SqliteDecisionLog"/> class. The file is created on first use.</summary>
    /// <param name="path">The SQLite file.</param>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    public SqliteDecisionLog(string path)
        : this(path, readOnly: false)
    {
    }

    private SqliteDecisionLog(string path, bool readOnly)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException("The path of the decision log's SQLite file is required.", nameof(path));
        Path = System.IO.Path.GetFullPath(path);
        IsReadOnly = readOnly;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = !readOnly,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();
    }

    /// <summary>
    /// Opens an existing log to read it only (a report, an audit of the log a host is writing): nothing is created,
    /// migrated or written, so a copy on read-only media, or a log that a running host owns, can be read safely.
    /// </summary>
    /// <param name="path">The SQLite file; it must exist.</param>
    /// <returns>The log; <see cref="AppendAsync"/> and <see cref="DeleteOlderThanAsync"/> throw on it.</returns>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    /// <remarks>A file that is not a decision log, or one of a newer schema, is reported by the first read (<see cref="InvalidOperationException"/>).</remarks>
    public static SqliteDecisionLog OpenReadOnly(string path) => new(path, readOnly: true);

    /// <summary>Gets a value indicating whether the log was opened with <see cref="OpenReadOnly"/>.</summary>
    public bool IsReadOnly { get; }

    /// <summary>Gets the full path of the SQLite file.</summary>
    public string Path { get; }

    /// <summary>Gets a hook run inside a batch's transaction after each row (tests inject a crash with it).</summary>
    internal Action<int>? AfterRow { get; init; }

    /// <inheritdoc />
    public async ValueTask AppendAsync(IReadOnlyList<DecisionRecord> records, CancellationToken cancellationToken = default)
    {
        if (records is null)
            throw new ArgumentNullException(nameof(records));
        if (records.Count == 0)
            return;
        using var connection = await OpenAsync(cancellationToken, writing: true).ConfigureAwait(false);
        using var transaction = connection.BeginTransaction(deferred: false);
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT OR IGNORE INTO crmg_decisions (id, time_ticks, host, verdict, rules, body) VALUES ($id, $time, $host, $verdict, $rules, $body)";
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var time = insert.Parameters.Add("$time", SqliteType.Integer);
        var host = insert.Parameters.Add("$host", SqliteType.Text);
        var verdict = insert.Parameters.Add("$verdict", SqliteType.Integer);
        var rules = insert.Parameters.Add("$rules", SqliteType.Text);
        var body = insert.Parameters.Add("$body", SqliteType.Text);
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i] ?? throw new ArgumentException($"records[{i}] is null.", nameof(records));
            id.Value = record.Id;
            time.Value = record.Time.UtcTicks;
            host.Value = record.Host;
            verdict.Value = (int)record.Verdict;
            rules.Value = RuleList(record);
            body.Value = DecisionJson.Serialize(record);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            AfterRow?.Invoke(i);
        }

        // Disposing the transaction without this commit rolls the whole batch back.
        transaction.Commit();
    }

    /// <inheritdoc />
    public async ValueTask<DecisionPage> QueryAsync(DecisionQuery query, CancellationToken cancellationToken = default)
    {
        if (query is null)
            throw new ArgumentNullException(nameof(query));
        OptionsValidation.ThrowIfInvalid(query);
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var select = connection.CreateCommand();
        var where = new List<string>();
        if (query.From is { } from)
        {
            where.Add("time_ticks >= $from");
            select.Parameters.AddWithValue("$from", from.UtcTicks);
        }

        if (query.To is { } to)
        {
            where.Add("time_ticks < $to");
            select.Parameters.AddWithValue("$to", to.UtcTicks);
        }

        if (query.RuleId is { } rule)
        {
            where.Add("instr(rules, $rule) > 0");
            select.Parameters.AddWithValue("$rule", "," + rule + ",");
        }

        if (query.Verdict is { } verdict)
        {
            where.Add("verdict = $verdict");
            select.Parameters.AddWithValue("$verdict", (int)verdict);
        }

        if (query.Host is { } host)
        {
            where.Add("host = $host");
            select.Parameters.AddWithValue("$host", host);
        }

        if (query.ContinuationToken is { } token)
        {
            var (ticks, id) = DecisionContinuation.Parse(token);
            where.Add("(time_ticks > $afterTicks OR (time_ticks = $afterTicks AND id > $afterId))");
            select.Parameters.AddWithValue("$afterTicks", ticks);
            select.Parameters.AddWithValue("$afterId", id);
        }

        select.CommandText = "SELECT body FROM crmg_decisions" + (where.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", where)) +
                             " ORDER BY time_ticks, id LIMIT $limit";
        select.Parameters.AddWithValue("$limit", query.PageSize + 1);
        var records = new List<DecisionRecord>(Math.Min(query.PageSize + 1, 1024));
        using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                records.Add(DecisionJson.Deserialize(reader.GetString(0)));
        }

        if (records.Count <= query.PageSize)
            return new DecisionPage(records, null);
        records.RemoveAt(records.Count - 1);
        return new DecisionPage(records, DecisionContinuation.After(records[records.Count - 1]));
    }

    /// <inheritdoc />
    public async ValueTask<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        using var connection = await OpenAsync(cancellationToken, writing: true).ConfigureAwait(false);
        using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM crmg_decisions WHERE time_ticks < $cutoff";
        delete.Parameters.AddWithValue("$cutoff", cutoff.UtcTicks);
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The rules of a decision as <c>,rule,rule,</c>, so one rule is found with <c>instr</c> whatever characters its id has.</summary>
    internal static string RuleList(DecisionRecord record) =>
        "," + string.Join(",", record.Findings.Select(f => f.RuleId).Distinct(StringComparer.Ordinal)) + ",";

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken, bool writing = false)
    {
        if (writing && IsReadOnly)
            throw new InvalidOperationException($"The decision log {Path} was opened read-only; open it with the constructor to write to it.");
        var connection = new SqliteConnection(_connectionString);
        try
        {
            if (!_initialized)
                await InitializeAsync(cancellationToken).ConfigureAwait(false);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (IsReadOnly)
                return connection;

            // Per connection: WAL makes a commit durable against a process crash with NORMAL; FULL also survives power loss.
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous = FULL;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _initialization.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
                return;
            if (IsReadOnly)
            {
                await CheckReadableAsync(cancellationToken).ConfigureAwait(false);
                _initialized = true;
                return;
            }

            var folder = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(folder))
                Directory.CreateDirectory(folder);
            using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using (var wal = connection.CreateCommand())
            {
                // Persistent in the file: every later connection, in any process, uses the write-ahead log.
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            using var transaction = connection.BeginTransaction(deferred: false);
            using var version = connection.CreateCommand();
            version.Transaction = transaction;
            version.CommandText = "PRAGMA user_version;";
            var current = Convert.ToInt32(await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            if (current > SchemaVersion)
                throw NewerSchema(current);
            for (var v = current; v < SchemaVersion; v++)
            {
                using var migrate = connection.CreateCommand();
                migrate.Transaction = transaction;
                migrate.CommandText = Migrations[v] + $"PRAGMA user_version = {(v + 1).ToString(CultureInfo.InvariantCulture)};";
                await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            transaction.Commit();
            _initialized = true;
        }
        finally
        {
            _initialization.Release();
        }
    }

    /// <summary>A log opened read-only is not migrated: it must already be a decision log of a schema this version reads.</summary>
    private async Task CheckReadableAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
            throw new InvalidOperationException($"The decision log {Path} does not exist.");
        using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'crmg_decisions'; PRAGMA user_version;";
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var hasTable = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && reader.GetInt64(0) == 1;
        var version = await reader.NextResultAsync(cancellationToken).ConfigureAwait(false) && await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetInt32(0) : 0;
        if (!hasTable || version < 1)
            throw new InvalidOperationException($"{Path} is a SQLite file but not a decision log (it has no crmg_decisions table).");
        if (version > SchemaVersion)
            throw NewerSchema(version);
    }

    private InvalidOperationException NewerSchema(int version) =>
        new($"The decision log {Path} has schema version {version}, written by a newer CrmGuardrails; this version reads up to {SchemaVersion}. Upgrade, or point the log at another file.");
}
