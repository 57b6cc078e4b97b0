using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ChatterWeb.Data;

/// <summary>
/// <c>synchronous</c> is a per-connection setting in SQLite, so it is set on every connection EF
/// opens, not once at start-up. With WAL, NORMAL survives a process crash and skips one fsync per
/// commit: the difference between hundreds and thousands of messages per second.
/// EF opens a connection for nearly every query, but Microsoft.Data.Sqlite pools the native
/// connections underneath: the pragma is run once per native connection (remembered by its handle),
/// not once per query.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    // wal_autocheckpoint=0: no commit runs a checkpoint (with its fsyncs) on the message path;
    // SqliteCheckpointer does, once a second, on its own connection.
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0;";

    private static readonly ConditionalWeakTable<object, object?> Configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!FirstOpen(connection))
            return;
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!FirstOpen(connection))
            return;
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>True the first time this native connection is seen (a pooled one comes back with its pragmas).</summary>
    private static bool FirstOpen(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || Configured.TryAdd(handle, null);
}
