using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Data;

/// <summary>Applies migrations and seeds the room <c>general</c> on an empty database, before the server listens.</summary>
internal sealed partial class DatabaseInitializer(
    IServiceScopeFactory scopes,
    IOptions<DatabaseOptions> options,
    TimeProvider time,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public const string FirstRoomSlug = "general";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStartup)
            return;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatterDbContext>();

        if (db.Database.IsSqlite())
        {
            // WAL (a property of the file) lets readers run beside the single writer. The per-connection
            // synchronous=NORMAL is set by SqlitePragmas on every open.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        if (db.Database.IsNpgsql() && await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancellationToken))
        {
            // On PostgreSQL EF reads the applied migrations before it creates their table, and logs the
            // "relation does not exist" of a fresh database as a failed command (an error in the log of
            // a start that went well). The empty table made first keeps that log for real failures.
            await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);

        if (!await db.Rooms.AnyAsync(cancellationToken))
        {
            db.Rooms.Add(new Room { Slug = FirstRoomSlug, Name = "General", Kind = RoomKind.Open, CreatedAt = time.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                LogSeeded(FirstRoomSlug);
            }
            catch (DbUpdateException)
            {
                // Several instances starting on one empty database: another one seeded it first.
                db.ChangeTracker.Clear();
                if (!await db.Rooms.AnyAsync(r => r.Slug == FirstRoomSlug, cancellationToken))
                    throw;
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Empty database: created the room {Slug}")]
    private partial void LogSeeded(string slug);
}
