using System.Diagnostics;
using Npgsql;

namespace ChatterWeb.Testing;

/// <summary>
/// A private, throw-away PostgreSQL cluster: <c>initdb</c> into a temporary folder (as the
/// <c>postgres</c> OS user when running as root: PostgreSQL refuses to run as root), the server on a
/// free loopback port with its unix socket in that folder, trust authentication for the
/// <c>postgres</c> superuser on loopback only, no fsync for tests (their data dies with it; the
/// bench asks for a durable one). Never the system cluster. <see cref="Shared"/> is one cluster per test process, each test class taking a fresh
/// database of it (<see cref="CreateDatabaseAsync"/>); the cluster is stopped by its PID when the
/// process exits, and a watchdog stops it should the process die without exiting properly.
/// ./test.sh installs PostgreSQL (Debian's <c>postgresql</c>).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly Lazy<Task<PostgresServer>> SharedServer = new(StartSharedAsync);
    private static int _databases;

    private readonly DirectoryInfo _dir;
    private Process? _watchdog;
    private bool _stopped;

    private PostgresServer(DirectoryInfo dir, int port)
    {
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The postmaster's process id (from its postmaster.pid).</summary>
    public int Pid { get; private set; }

    public string DataDirectory => Path.Combine(_dir.FullName, "data");
    public string SocketDirectory => Path.Combine(_dir.FullName, "socket");

    /// <summary>The cluster of this test process, started on first use and stopped when the process exits.</summary>
    public static Task<PostgresServer> Shared => SharedServer.Value;

    /// <summary>A connection string to <paramref name="database"/> as the superuser over loopback TCP.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
    }.ToString();

    /// <summary>
    /// The folder of PostgreSQL's server programs (<c>initdb</c>, <c>pg_ctl</c>, <c>postgres</c>): <c>PG_BIN</c>
    /// if set, else the newest <c>/usr/lib/postgresql/N/bin</c> (Debian), else PATH.
    /// </summary>
    public static string BinDirectory()
    {
        if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } configured)
            return configured;
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            var newest = Directory.GetDirectories("/usr/lib/postgresql")
                .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")) && int.TryParse(Path.GetFileName(d), out _))
                .OrderByDescending(d => int.Parse(Path.GetFileName(d)))
                .FirstOrDefault();
            if (newest is not null)
                return Path.Combine(newest, "bin");
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, "initdb")))
                return dir;
        }
        throw new InvalidOperationException("PostgreSQL is not installed: initdb was not found (apt-get install postgresql; ./test.sh does this).");
    }

    /// <summary>Initialises and starts a new cluster on a free loopback port; returns once it accepts connections.</summary>
    /// <param name="durable">Commits reach the disk as on a real server (fsync, synchronous commit): for measurements. Tests leave it off.</param>
    public static async Task<PostgresServer> StartAsync(bool durable = false, CancellationToken ct = default)
    {
        var bin = BinDirectory();
        var dir = Directory.CreateTempSubdirectory("chatter-pg-");
        var server = new PostgresServer(dir, LoopbackPort.Free());
        try
        {
            Directory.CreateDirectory(server.SocketDirectory);
            if (AsRoot)
            {
                await RunAsync("chown", ["-R", "postgres:", dir.FullName], ct);
                await RunAsync("chmod", ["700", dir.FullName], ct);
            }
            await RunAsync(Path.Combine(bin, "initdb"), ["-D", server.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"], ct, asPostgres: true);
            string[] settings =
            [
                "-p", server.Port.ToString(),
                "-k", server.SocketDirectory,
                "-c", "listen_addresses=127.0.0.1",
                "-c", "max_connections=300",
                // test data only: nothing outlives the cluster, so nothing needs to reach the disk
                .. durable ? Array.Empty<string>() : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
            ];
            await RunAsync(Path.Combine(bin, "pg_ctl"),
                ["start", "-w", "-t", ((int)StartTimeout.TotalSeconds).ToString(), "-D", server.DataDirectory, "-l", Path.Combine(dir.FullName, "server.log"), "-o", string.Join(' ', settings)],
                ct, asPostgres: true);
            server.Pid = int.Parse(File.ReadLines(Path.Combine(server.DataDirectory, "postmaster.pid")).First().Trim());
            await using var connection = new NpgsqlConnection(server.ConnectionString());
            await connection.OpenAsync(ct); // pg_ctl -w waited for it: this proves it over TCP
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static async Task<PostgresServer> StartSharedAsync()
    {
        var server = await StartAsync();
        server.StopWithThisProcess();
        return server;
    }

    /// <summary>
    /// Stops the server when this process exits, and (a watchdog) when it dies without exiting properly;
    /// disposing it earlier still stops it at once.
    /// </summary>
    public void StopWithThisProcess()
    {
        StartWatchdog();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>A new, empty database with a unique name (<paramref name="prefix"/>_N_random); returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "chatter")
    {
        var clean = new string([.. prefix.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(40)]);
        var name = $"{clean}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..8]}";
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        return name;
    }

    /// <summary>Drops the database, closing whatever is still connected to it.</summary>
    public async Task DropDatabaseAsync(string name)
    {
        if (_stopped)
            return;
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    /// <summary>Runs one statement as the superuser in the database <c>postgres</c> (no pooling: nothing lingers).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Stops the server if this process dies without running <see cref="DisposeAsync"/> (killed, crashed):
    /// a shell that waits for this process to go, then sends the postmaster SIGQUIT.
    /// </summary>
    private void StartWatchdog()
    {
        var psi = new ProcessStartInfo("sh", ["-c", "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; kill -QUIT \"$2\" 2>/dev/null; rm -rf \"$3\"", "watchdog",
            Environment.ProcessId.ToString(), Pid.ToString(), _dir.FullName])
        {
            UseShellExecute = false,
            RedirectStandardInput = true, // not the test host's console
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _watchdog = Process.Start(psi);
    }

    /// <summary>Stops the server by its PID (SIGQUIT: immediate, nothing to keep), waits until it is gone, deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped)
            return;
        _stopped = true;
        NpgsqlConnection.ClearAllPools();
        if (Pid > 0)
        {
            // SIGQUIT, not SIGKILL: the postmaster stops its children itself (killed, it would leave them running)
            using (var kill = Process.Start("kill", ["-QUIT", Pid.ToString()]))
                await kill.WaitForExitAsync();
            await WaitGoneAsync(Pid);
        }
        try { _watchdog?.Kill(); } catch (InvalidOperationException) { }
        _watchdog?.Dispose();
        try { _dir.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static async Task WaitGoneAsync(int pid)
    {
        var clock = Stopwatch.StartNew();
        while (Directory.Exists($"/proc/{pid}") && clock.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(20);
    }

    private static bool AsRoot => Environment.UserName == "root";

    private static async Task RunAsync(string program, string[] args, CancellationToken ct, bool asPostgres = false)
    {
        var psi = asPostgres && AsRoot ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", program, .. args]) : new ProcessStartInfo(program, args);
        psi.UseShellExecute = false;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
    }
}
