namespace ChatterWeb.Data;

/// <summary>
/// Turns at writing for the instance's two busy writers, the message writer's batches and the read
/// marks' batches, on a database with one writer at a time (SQLite). A writer that finds SQLite's
/// write lock taken waits in its busy handler, which sleeps 1, 2, 5, 10, 15 ms and so on between
/// tries: a read-mark transaction of 10 ms held the next batch of messages for 18 ms, and with two
/// thousand people reading along that was every second (measured: a few percent of posts over 25 ms
/// from send to commit). Taken here instead, the wait ends the moment the other write commits.
/// On a server database (<see cref="Concurrent"/>) rows of different rooms are written side by side,
/// so there are no turns. Other writes (edits, sign-ins, settings) are rare and keep to the busy handler.
/// </summary>
public sealed class WriteTurns
{
    /// <summary>No turns: the database takes concurrent writers (PostgreSQL, SQL Server).</summary>
    public static readonly WriteTurns Concurrent = new(oneAtATime: false);

    private readonly SemaphoreSlim? _turn;

    public WriteTurns(bool oneAtATime) => _turn = oneAtATime ? new SemaphoreSlim(1, 1) : null;

    /// <summary>Waits for the turn (at once when there are no turns); dispose the result to hand it on.</summary>
    public async ValueTask<Turn> TakeAsync(CancellationToken ct = default)
    {
        if (_turn is null)
            return default;
        await _turn.WaitAsync(ct);
        return new Turn(_turn);
    }

    public readonly struct Turn(SemaphoreSlim? turn) : IDisposable
    {
        public void Dispose() => turn?.Release();
    }
}
