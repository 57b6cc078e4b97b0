using System.Threading.Channels;
using ChatterWeb.Data;
using ChatterWeb.Messages;
using ChatterWeb.Rooms;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Threads;

/// <summary>
/// Keeps a thread's first message's "N replies, last from …" (<see cref="Message.ThreadSummary"/>)
/// up to date. It hears a reply stored, edited or deleted and queues its thread; a worker counts
/// the thread again from its replies and stores the summary as a change of the first message
/// (<see cref="MessageChanges"/>: its next change number, then "changed"), so every open page sees
/// it live and a page that was away gets it once on resume. Counted, not incremented: an update
/// lost to a restart is put right by the thread's next reply.
/// </summary>
public sealed partial class ThreadSummaries(IServiceScopeFactory scopes, ILogger<ThreadSummaries> logger) : BackgroundService, IMessageListener
{
    private readonly Channel<(RoomInfo Room, long ParentSeq)> _queue = Channel.CreateUnbounded<(RoomInfo, long)>(new() { SingleReader = true });

    public ValueTask StoredAsync(RoomInfo room, MessageView message) => Queue(room, message);

    public ValueTask ChangedAsync(RoomInfo room, MessageView message) => Queue(room, message);

    private ValueTask Queue(RoomInfo room, MessageView message)
    {
        if (message.ParentSeq is long parent)
            _queue.Writer.TryWrite((room, parent));
        return ValueTask.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (room, parentSeq) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await UpdateAsync(room, parentSeq, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogUpdateFailed(e, parentSeq, room.Id);
            }
        }
    }

    /// <summary>Counts the thread again and stores its summary on the first message if it changed.</summary>
    public async Task UpdateAsync(RoomInfo room, long parentSeq, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var changes = scope.ServiceProvider.GetRequiredService<MessageChanges>();
        var db = scope.ServiceProvider.GetRequiredService<ChatterDbContext>();
        var target = await changes.FindAsync(room.Id, parentSeq, ct);
        if (target is null || target.Deleted)
            return;
        await changes.ApplyAsync(room, target.Id, async (messages, changeSeq, ct) =>
        {
            var replies = db.Messages.Where(m => m.RoomId == room.Id && m.ParentSeq == parentSeq && m.DeletedAt == null);
            var count = await replies.CountAsync(ct);
            var recent = await replies.OrderByDescending(m => m.Seq).Take(50)
                .Select(m => new { m.AuthorId, m.Author!.DisplayName }).ToListAsync(ct);
            var names = recent.DistinctBy(r => r.AuthorId).Take(ThreadSummary.RepliersShown).Select(r => r.DisplayName).ToList();
            var text = new ThreadSummary(count, names).Serialize();
            var now = await messages.Select(m => new { m.ThreadSummary }).SingleOrDefaultAsync(ct);
            if (now is null || now.ThreadSummary == text)
                return 0; // nothing to say: no change number taken
            return await messages.ExecuteUpdateAsync(s => s
                .SetProperty(m => m.ThreadSummary, text)
                .SetProperty(m => m.ChangeSeq, changeSeq), ct);
        }, ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The summary of thread {ParentSeq} in room {RoomId} could not be updated")]
    private partial void LogUpdateFailed(Exception e, long parentSeq, long roomId);
}
