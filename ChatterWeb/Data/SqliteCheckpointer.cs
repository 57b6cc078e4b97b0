using Microsoft.Data.Sqlite;

namespace ChatterWeb.Data;

/// <summary>
/// Moves SQLite's WAL checkpoints off the commit path. By default the commit that pushes the WAL
/// past 1,000 pages runs the checkpoint itself, with its fsyncs, so every few thousand messages one
/// batch of senders (and their room) waits for the disk. Every connection EF opens has
/// <c>wal_autocheckpoint=0</c> (<see cref="SqlitePragmas"/>); this service runs a PASSIVE
/// checkpoint (it never waits for, nor blocks, readers or the writer) on its own connection once a
/// second, so the WAL stays about a second of writes long.
/// </summary>
public sealed partial class SqliteCheckpointer(string connectionString, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Checkpoints run so far (for tests and diagnostics).</summary>
    public long Completed => Interlocked.Read(ref _completed);

    private long _completed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (await TryCheckpointAsync(stoppingToken))
                Interlocked.Increment(ref _completed);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await TryCheckpointAsync(cancellationToken); // a last one on the way out: the next start finds a short WAL
        }
        catch (OperationCanceledException)
        {
            // the host's shutdown timeout ran out first
        }
    }

    private async Task<bool> TryCheckpointAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            await command.ExecuteNonQueryAsync(ct);
            return true;
        }
        catch (SqliteException e)
        {
            LogCheckpointFailed(e);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQLite WAL checkpoint failed; the WAL grows until one succeeds")]
    private partial void LogCheckpointFailed(Exception e);
}
