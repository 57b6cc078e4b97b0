using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ChatterWeb.Data.Sqlite;

/// <summary>
/// <c>synchronous</c> is a per-connection setting in SQLite, so it is set on every connection EF
/// opens, not once at start-up. With WAL, NORMAL survives a process crash and skips one fsync per
/// commit: the difference between hundreds and thousands of messages per second.
/// <c>wal_autocheckpoint=0</c>: no commit runs a checkpoint (with its fsyncs) on the message path;
/// <see cref="SqliteCheckpointer"/> does, once a second, on its own connection.
/// <c>journal_size_limit</c>: when a write starts the WAL from the beginning again, a WAL file that
/// grew past 64 MiB (a long reader held the checkpoints back) is cut back to that; below it, the file
/// is reused as it is (writing over blocks it already has is cheaper than growing it).
/// </summary>
/// <remarks>
/// The settings belong to the native connection, which Microsoft.Data.Sqlite's pool keeps across
/// <c>Open</c>/<c>Close</c>: they are set once per native handle (remembered weakly, so a handle the
/// pool drops is forgotten with it, and only once they were applied), not on every open. EF opens and
/// closes the pooled connection once per query; the PRAGMA was a second statement each time.
/// </remarks>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    internal const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0; PRAGMA busy_timeout=3000; PRAGMA journal_size_limit=67108864;";

    private static readonly ConditionalWeakTable<object, object> Done = new();

    private static bool Needed(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || !Done.TryGetValue(handle, out _);

    private static void Remember(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
            Done.AddOrUpdate(handle, Done);
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!Needed(connection))
            return;
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
        Remember(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!Needed(connection))
            return;
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        Remember(connection);
    }
}
