using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ChatterWeb.Data;

/// <summary>
/// <c>synchronous</c> is a per-connection setting in SQLite, so it is set on every connection EF
/// opens (pooled connections included), not once at start-up. With WAL, NORMAL survives a process
/// crash and skips one fsync per commit: the difference between hundreds and thousands of messages
/// per second.
/// </summary>
/// <remarks>
/// The setting belongs to the native connection, which Microsoft.Data.Sqlite's pool keeps across
/// <c>Open</c>/<c>Close</c>: it is set once per native handle (remembered weakly, so a handle the pool
/// drops is forgotten with it), not on every open. A page opens and closes the pooled connection once
/// per query; the PRAGMA was a second statement to prepare and run each time.
/// </remarks>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL;";

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
