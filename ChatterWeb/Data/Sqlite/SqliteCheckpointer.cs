using Microsoft.Data.Sqlite;

namespace ChatterWeb.Data.Sqlite;

/// <summary>
/// Moves SQLite's WAL checkpoints off the commit path, and keeps the WAL from growing without end.
/// <para>
/// By default the commit that pushes the WAL past 1,000 pages runs the checkpoint itself, with its
/// fsyncs, so every few thousand messages one batch of senders (and their room) waits for the disk.
/// Every connection EF opens has <c>wal_autocheckpoint=0</c> (<see cref="SqlitePragmas"/>); this
/// service runs a PASSIVE checkpoint (it never waits for, nor blocks, readers or the writer) on its
/// own connection once a second.
/// </para>
/// <para>
/// A PASSIVE checkpoint copies pages back into the database but never moves the WAL back to its
/// start: only a write that begins while every frame is copied and no reader is on the WAL does
/// that. Under steady load there is no such moment (the message writer commits every few
/// milliseconds, and the checkpoint itself takes longer), so the WAL grew by every write, about
/// 25 MB a second at 750 messages a second (660 MB after a minute), for as long as the load lasted,
/// each new block zeroed by the file system on the way. So once the WAL holds more than
/// <see cref="DefaultRestartPages"/> pages after the PASSIVE pass, the round sets things up so that
/// the next write starts it over (<see cref="RestartAsync"/>; the checkpoint holds the writer lock
/// for well under a millisecond mostly, and a writer that runs into it waits in its busy handler,
/// 1 ms at first). <c>journal_size_limit</c> (<see cref="SqlitePragmas"/>) trims a WAL that grew meanwhile
/// (while a long reader held the checkpoints back).
/// </para>
/// </summary>
public sealed partial class SqliteCheckpointer : BackgroundService
{
    internal static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>WAL pages after the PASSIVE pass from which the WAL is restarted: 8 MiB at 4 KiB pages.</summary>
    internal const int DefaultRestartPages = 2048;

    /// <summary>RESTART attempts per round, about a millisecond apart; each gives up at once when the writer or a reader is in the way.</summary>
    internal const int RestartAttempts = 50;

    private readonly string _connectionString;
    private readonly ILogger<SqliteCheckpointer> _logger;
    private readonly TimeSpan _interval;
    private readonly int _restartPages;
    private readonly Func<CancellationToken, Task> _pause;
    private readonly SemaphoreSlim _running = new(1, 1); // the timer's round and the one at shutdown share the connection
    private SqliteConnection? _connection;
    private bool _disposed;
    private long _completed;
    private long _restarts;

    public SqliteCheckpointer(string connectionString, ILogger<SqliteCheckpointer> logger)
        : this(connectionString, logger, DefaultInterval, DefaultRestartPages)
    {
    }

    /// <param name="pause">Waits between RESTART attempts (a millisecond by default).</param>
    internal SqliteCheckpointer(string connectionString, ILogger<SqliteCheckpointer> logger, TimeSpan interval, int restartPages, Func<CancellationToken, Task>? pause = null)
    {
        _pause = pause ?? (static ct => Task.Delay(1, ct));
        // Its own native connection (not one from the pool EF uses): it keeps a busy timeout of its own.
        _connectionString = new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString();
        _logger = logger;
        _interval = interval;
        _restartPages = restartPages;
    }

    /// <summary>Checkpoint rounds run so far (for tests and diagnostics).</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Rounds whose RESTART completed (the WAL set up to start over), for tests and diagnostics.</summary>
    public long Restarts => Interlocked.Read(ref _restarts);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RunRoundAsync(stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await RunRoundAsync(cancellationToken); // a last one on the way out: the next start finds a short WAL
        }
        catch (OperationCanceledException)
        {
            // the host's shutdown timeout ran out first
        }
    }

    public override void Dispose()
    {
        base.Dispose(); // cancels the stopping token: a round still running stops at its next pause
        _running.Wait(); // and finishes before the connection goes
        try
        {
            _disposed = true;
            _connection?.Dispose();
            _connection = null;
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>One round: a PASSIVE checkpoint, and a RESTART after it when the WAL is long. False when it failed (logged).</summary>
    internal async Task<bool> RunRoundAsync(CancellationToken ct)
    {
        await _running.WaitAsync(ct);
        try
        {
            if (_disposed)
                return false; // a host stopped after its services were disposed
            var connection = await ConnectionAsync(ct);
            var (_, walPages) = await CheckpointAsync(connection, "PASSIVE", ct);
            if (walPages > _restartPages)
                await RestartAsync(connection, ct);
            Interlocked.Increment(ref _completed);
            return true;
        }
        catch (SqliteException e)
        {
            LogCheckpointFailed(e);
            _connection?.Dispose(); // opened again next round
            _connection = null;
            return false;
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>
    /// Sets up the WAL so that the next write starts it from the beginning. A RESTART takes the writer
    /// lock, copies what is left and checks that no reader is still on the WAL. With no busy timeout
    /// it gives up at once when the writer holds the lock; when a reader pins frames or is still on
    /// the WAL it gives up after copying what it could. It is tried again a millisecond later; a
    /// PASSIVE pass before each attempt copies what came meanwhile without holding anyone back, so
    /// the attempt itself has next to nothing to copy. A completed RESTART means every frame was
    /// copied and no reader was on the WAL at that instant; a reader that starts just then can still
    /// keep the next write from starting it over (the next round tries again). Measured at 1,500 messages a second:
    /// an attempt held the writer under 0.1 ms mostly and 14 ms at worst (its fsyncs), against 10-30 ms
    /// every second when one RESTART waited for them with a busy timeout instead.
    /// </summary>
    private async Task RestartAsync(SqliteConnection connection, CancellationToken ct)
    {
        for (var attempt = 0; attempt < RestartAttempts; attempt++)
        {
            if (attempt > 0)
                await _pause(ct);
            await CheckpointAsync(connection, "PASSIVE", ct);
            var (busy, _) = await CheckpointAsync(connection, "RESTART", ct);
            if (!busy)
            {
                Interlocked.Increment(ref _restarts);
                return;
            }
        }
        LogRestartGaveUp(RestartAttempts);
    }

    private async Task<SqliteConnection> ConnectionAsync(CancellationToken ct)
    {
        if (_connection is { } open)
            return open;
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout=0;"; // a RESTART never waits (holding new writers back); the round tries again
            await command.ExecuteNonQueryAsync(ct);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return _connection = connection;
    }

    /// <summary>Runs one checkpoint: whether a RESTART was stopped before finishing (by the writer or a reader; a PASSIVE one never reports it), and the WAL's length in pages (-1 when the database is not in WAL mode).</summary>
    private static async Task<(bool Busy, long WalPages)> CheckpointAsync(SqliteConnection connection, string mode, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode});";
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return (true, 0);
        return (reader.GetInt64(0) != 0, reader.GetInt64(1));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQLite WAL checkpoint failed; the WAL grows until one succeeds")]
    private partial void LogCheckpointFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SQLite WAL restart gave up after {Attempts} attempts (a reader or the writer was always in the way); next round")]
    private partial void LogRestartGaveUp(int attempts);
}
