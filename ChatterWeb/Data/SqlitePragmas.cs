using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ChatterWeb.Data;

/// <summary>
/// <c>synchronous</c> is a per-connection setting in SQLite, so it is set on every connection EF
/// opens (pooled connections included), not once at start-up. With WAL, NORMAL survives a process
/// crash and skips one fsync per commit: the difference between hundreds and thousands of messages
/// per second.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
