using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CrmGuardrails.DecisionLog.Tests;

/// <summary>
/// A real PostgreSQL server for the test run: Debian's <c>initdb</c>/<c>pg_ctl</c> (<c>/usr/lib/postgresql/*/bin</c>, or
/// <c>CRMGUARDRAILS_PG_BIN</c>), a cluster in a temporary folder, listening on 127.0.0.1 only at a free port with its
/// socket in that folder, stopped and removed after. initdb refuses to run as root: as root the server runs as the
/// <c>postgres</c> user (<c>runuser</c>).
/// </summary>
/// <remarks>
/// When PostgreSQL is missing or does not start, every test using it FAILS with the reason (.ci/run installs it). Only
/// <c>CRMGUARDRAILS_NO_POSTGRES=1</c> — set where PostgreSQL cannot be installed at all — turns them into skips.
/// </remarks>
public sealed class PostgreSqlServer : IAsyncLifetime
{
    public const string OptOutVariable = "CRMGUARDRAILS_NO_POSTGRES";
    private const string Superuser = "crmg";

    private string? _folder;
    private string? _binaries;
    private string? _runAs;

    /// <summary>Gets the connection string of the server's <c>postgres</c> database, or null when it did not start.</summary>
    public string? ConnectionString { get; private set; }

    /// <summary>Gets why the server is not there, when it is not.</summary>
    public string? Failure { get; private set; }

    public static bool OptedOut => Environment.GetEnvironmentVariable(OptOutVariable) == "1";

    public async Task InitializeAsync()
    {
        if (OptedOut)
            return;
        try
        {
            _binaries = FindBinaries() ?? throw new InvalidOperationException(
                "PostgreSQL is not installed: no initdb in /usr/lib/postgresql/*/bin, CRMGUARDRAILS_PG_BIN or PATH. Install Debian's postgresql (.ci/run does), " +
                $"or set {OptOutVariable}=1 where it cannot be installed.");
            _runAs = !OperatingSystem.IsWindows() && geteuid() == 0 ? "postgres" : null;
            if (_runAs is not null && !File.Exists("/usr/sbin/runuser") && !File.Exists("/sbin/runuser"))
                throw new InvalidOperationException("Running as root, and runuser is missing: initdb refuses root, so the server cannot be started as the postgres user.");

            _folder = Path.Combine(Path.GetTempPath(), "crmg-pg-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(_folder);
            if (_runAs is not null && !OperatingSystem.IsWindows())
                File.SetUnixFileMode(_folder, (UnixFileMode)0x1FF); // rwx for the postgres user, which owns what it creates inside
            var data = Path.Combine(_folder, "data");
            await RunAsync("initdb", ["-D", data, "-U", Superuser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]);
            var port = FreePort();
            await RunAsync("pg_ctl", ["-D", data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60",
                "-o", $"-p {port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start"]);
            ConnectionString = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = Superuser, Database = "postgres", Pooling = true }.ToString();
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
        }
        catch (Exception ex)
        {
            var log = _folder is not null && File.Exists(Path.Combine(_folder, "server.log")) ? File.ReadAllText(Path.Combine(_folder, "server.log")) : string.Empty;
            Failure = $"The test PostgreSQL server could not be started: {ex.Message}{(log.Length > 0 ? Environment.NewLine + log : string.Empty)}";
            ConnectionString = null;
        }
    }

    /// <summary>Gets the connection string, failing the test with the reason when the server is not there.</summary>
    public string Require()
    {
        return ConnectionString ?? throw new InvalidOperationException(Failure ?? "The test PostgreSQL server was not started.");
    }

    public async Task DisposeAsync()
    {
        if (_folder is null)
            return;
        try
        {
            if (ConnectionString is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await RunAsync("pg_ctl", ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"]);
            }
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private async Task RunAsync(string tool, string[] arguments)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (_runAs is not null)
        {
            start.FileName = "runuser";
            foreach (var a in new[] { "-u", _runAs, "--", Path.Combine(_binaries!, tool) })
                start.ArgumentList.Add(a);
        }
        else
        {
            start.FileName = Path.Combine(_binaries!, tool);
        }

        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} exited with {process.ExitCode}: {await error}{await output}");
    }

    private static string? FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("CRMGUARDRAILS_PG_BIN") is { Length: > 0 } configured)
            return File.Exists(Path.Combine(configured, "initdb")) ? configured : null;
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            var newest = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d).Split('.')[0], out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Dir, "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Dir)
                .FirstOrDefault();
            if (newest is not null)
                return newest;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .FirstOrDefault(p => p.Length > 0 && File.Exists(Path.Combine(p, "initdb")) && File.Exists(Path.Combine(p, "pg_ctl")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern uint geteuid();
}

[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlServer>
{
    public const string Name = "postgresql";
}
