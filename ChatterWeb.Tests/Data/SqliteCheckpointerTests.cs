using ChatterWeb.Data.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatterWeb.Tests.Data;

/// <summary>
/// The WAL under load that never pauses: a writer committing back to back and readers always in
/// flight, as under a busy chat. PASSIVE checkpoints alone copy pages back but never let the WAL start
/// over (no write ever begins with every frame copied), so the file grew by every write. Its busy
/// threads run on their own, after the parallel tests (<see cref="SqliteLoadCollection"/>).
/// </summary>
[Collection(SqliteLoadCollection.Name)]
public sealed class SqliteCheckpointerTests : IDisposable
{
    private const int Commits = 3_000;
    private const int RowsPerCommit = 3;
    private const int RowBytes = 4_000;

    private readonly string _file = Path.Combine(Path.GetTempPath(), $"chatter-wal-{Guid.NewGuid():N}.db");

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = _file, Pooling = true }.ToString();

    [Fact]
    public async Task Under_writes_and_reads_that_never_pause_the_WAL_starts_over_and_stays_short()
    {
        using (var setup = Open())
            Exec(setup, "PRAGMA journal_mode=WAL; CREATE TABLE Notes (Id INTEGER PRIMARY KEY, Body TEXT NOT NULL);");
        using var checkpointer = new SqliteCheckpointer(ConnectionString, NullLogger<SqliteCheckpointer>.Instance, SqliteCheckpointer.DefaultInterval, restartPages: 256, pause: PauseOnThisThread);

        // Everything blocks its thread (SQLite calls do), so each loop has a thread of its own, and the
        // checkpointer pauses between RESTART attempts on its caller's thread: its rounds come every
        // 100 ms whatever the test host's thread pool is doing, which has stalled them for seconds
        // (the timer loop and its Task.Delay are covered by SqlitePragmasTests, in a real host).
        using var done = new CancellationTokenSource();
        var writer = Task.Factory.StartNew(() =>
        {
            try
            {
                Write();
            }
            finally
            {
                done.Cancel();
            }
        }, TaskCreationOptions.LongRunning);
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(() => ReadUntil(done.Token), TaskCreationOptions.LongRunning)).ToArray();
        var rounds = Task.Factory.StartNew(() =>
        {
            while (!done.IsCancellationRequested)
            {
                Thread.Sleep(100);
                Assert.True(checkpointer.RunRoundAsync(CancellationToken.None).GetAwaiter().GetResult()); // completes synchronously (SQLite has no async I/O)
            }
        }, TaskCreationOptions.LongRunning);
        long largest = 0;
        var wal = new FileInfo(_file + "-wal");
        while (!writer.IsCompleted)
        {
            wal.Refresh();
            if (wal.Exists)
                largest = Math.Max(largest, wal.Length);
            await Task.Delay(20);
        }
        await writer;
        await rounds;
        var reads = (await Task.WhenAll(readers)).Sum();

        const long written = (long)Commits * RowsPerCommit * RowBytes; // 36 MB of rows, so more than that of WAL frames
        Assert.True(reads > 100, $"readers were in flight throughout ({reads} reads)");
        Assert.True(largest < written / 4, $"the WAL stayed short: at most {largest:N0} bytes while {written:N0} bytes of rows were written ({checkpointer.Completed} rounds, {checkpointer.Restarts} restarts)");
        Assert.True(checkpointer.Restarts > 0, "the checkpointer restarted the WAL");
        using var check = Open();
        Assert.Equal((long)Commits * RowsPerCommit, Scalar(check, "SELECT count(*) FROM Notes")); // nothing lost on the way
    }

    private void Write()
    {
        using var connection = Open();
        var body = new string('x', RowBytes);
        for (var i = 0; i < Commits; i++)
        {
            using (var transaction = connection.BeginTransaction())
            {
                for (var r = 0; r < RowsPerCommit; r++)
                {
                    using var insert = connection.CreateCommand();
                    insert.Transaction = transaction;
                    insert.CommandText = "INSERT INTO Notes (Body) VALUES ($body);";
                    insert.Parameters.AddWithValue("$body", body);
                    insert.ExecuteNonQuery();
                }
                transaction.Commit();
            }
            Thread.Sleep(1); // about a commit a millisecond, as a busy message writer does
        }
    }

    /// <summary>Short reads back to back (the app's queries), each on a snapshot of its own.</summary>
    private long ReadUntil(CancellationToken stop)
    {
        using var connection = Open();
        long reads = 0;
        while (!stop.IsCancellationRequested)
        {
            Scalar(connection, "SELECT count(*) FROM (SELECT Id FROM Notes ORDER BY Id DESC LIMIT 50);");
            reads++;
        }
        return reads;
    }

    private static Task PauseOnThisThread(CancellationToken ct)
    {
        Thread.Sleep(1);
        return Task.CompletedTask;
    }

    /// <summary>A connection set up as the app's are (<see cref="SqlitePragmas"/>: no commit runs a checkpoint).</summary>
    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        Exec(connection, SqlitePragmas.Pragmas);
        return connection;
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(_file + suffix);
    }
}

/// <summary>Tests that keep both cores busy on purpose: not beside timing-sensitive ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SqliteLoadCollection
{
    public const string Name = "sqlite-load";
}
