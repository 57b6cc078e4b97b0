using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data.Sqlite;

/// <summary>
/// SQLite: one pooled connection for a page's reads instead of an open and close per query (each open
/// re-registers EF's SQLite functions on the native handle); it goes back to the pool with the
/// context at the end of the request.
/// </summary>
public sealed class SqliteRequestConnection(ChatterDbContext db) : IRequestConnection
{
    public Task OpenForReadsAsync(CancellationToken ct) => db.Database.OpenConnectionAsync(ct);
}
