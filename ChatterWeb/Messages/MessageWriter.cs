using System.Threading.Channels;
using ChatterWeb.Attachments;
using ChatterWeb.Data;
using ChatterWeb.Metrics;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Messages;

/// <summary>
/// Group commit: one writer per instance takes every message waiting to be stored and commits
/// them in ONE transaction (Seqs taken with one <c>UPDATE … LastSeq = LastSeq + n</c> per room),
/// then answers each sender. Under load that is one commit for tens of messages instead of tens of
/// writers queueing for SQLite's single write lock (whose busy wait sleeps a thread); when idle a
/// batch is one message and nothing waits for company. The guarantees are unchanged: a message is
/// acknowledged only after its commit, Seq order is commit order (the room row stays locked to
/// the commit), a resend finds the stored row by (AuthorId, ClientMessageId), and a sender told
/// "not saved" (its timeout ran out) really was not: see <see cref="StoreAsync"/>.
/// New messages are announced (<see cref="MessageEvents"/>: delivered to the room, counted as
/// unread, ...) here, in Seq order, before their senders hear back, so an acknowledgement never
/// overtakes its message.
/// </summary>
public sealed partial class MessageWriter(
    IServiceScopeFactory scopes,
    MessageEvents events,
    WriteTurns turns,
    ChatterMetrics metrics,
    TimeProvider time,
    ILogger<MessageWriter> logger) : BackgroundService
{
    /// <summary>Most messages in one transaction (keeps parameter lists and lock hold times small).</summary>
    internal const int MaxBatch = 128;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    private sealed class Pending(NewMessage message)
    {
        private const int Waiting = 0, Claimed = 1, Abandoned = 2;
        private int _state;

        public NewMessage Message { get; } = message;
        public TaskCompletionSource<StoredMessage> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The writer is about to write it (its outcome is final from here). False when the sender gave up first.</summary>
        public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Waiting) != Abandoned;

        /// <summary>The sender gives up; false when the writer has already claimed it.</summary>
        public bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Waiting) != Claimed;
    }

    /// <summary>
    /// Stores the message (or finds it stored); completes after the commit. When
    /// <paramref name="ct"/> fires first, the message is withdrawn if the writer has not taken it
    /// (then it is never stored); once taken, the writer's outcome (commit, or a database error
    /// within the busy timeout) is awaited, so "not saved" is never said of a stored message.
    /// </summary>
    public async Task<StoredMessage> StoreAsync(NewMessage message, CancellationToken ct = default)
    {
        var pending = new Pending(message);
        if (!_queue.Writer.TryWrite(pending))
            throw new InvalidOperationException("The message writer has stopped.");
        try
        {
            return await pending.Done.Task.WaitAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested && !pending.TryAbandon())
        {
            return await pending.Done.Task;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        var reader = _queue.Reader;
        // Not stopped by the host's stopping token: messages already read are stored during shutdown
        // (the queue completes in StopAsync, and the loop ends once it is drained).
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var pending))
                batch.Add(pending);
            await WriteAsync(batch);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        try
        {
            var archived = new HashSet<int>();
            var stored = await StoreInScopeAsync(batch.ConvertAll(p => p.Message), i => batch[i].TryClaim(), archived);
            if (stored.Count(s => s is { Duplicate: false }) is var written and > 0)
                metrics.BatchCommitted(written);
            for (var i = 0; i < batch.Count; i++)
            {
                if (stored[i] is { Duplicate: false } fresh)
                {
                    metrics.MessagePosted();
                    await events.StoredAsync(batch[i].Message.Room, fresh.Message);
                }
            }
            for (var i = 0; i < batch.Count; i++)
            {
                if (stored[i] is { } result)
                    batch[i].Done.TrySetResult(result);
                else if (archived.Contains(i))
                    batch[i].Done.TrySetException(new RoomArchivedException());
                else
                    batch[i].Done.TrySetCanceled(); // withdrawn by its sender before the write
            }
        }
        catch (DbUpdateException e) when (batch.Count > 1)
        {
            // A ClientMessageId already stored (a resend after a reconnect, or another instance
            // committed the same one a moment ago): each message on its own, so one does not fail the rest.
            LogBatchRetried(e, batch.Count);
            foreach (var pending in batch)
                await WriteAsync([pending]);
        }
        catch (DbUpdateException e)
        {
            // One message: a ClientMessageId already stored (a resend) answers as a duplicate; any
            // other constraint failure goes back to the sender.
            if (await TryFindRacedAsync(batch[0].Message) is { } raced)
                batch[0].Done.TrySetResult(raced);
            else
                batch[0].Done.TrySetException(e);
        }
        catch (Exception e)
        {
            // The database is unreachable or locked: every sender hears so now (none was committed).
            foreach (var pending in batch)
                pending.Done.TrySetException(e);
        }
    }

    private async Task<StoredMessage?> TryFindRacedAsync(NewMessage message)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var history = scope.ServiceProvider.GetRequiredService<MessageHistory>();
            return await history.SentAsync(message.AuthorId, message.ClientMessageId, CancellationToken.None) is { } view ? new StoredMessage(view, Duplicate: true) : null;
        }
        catch (Exception)
        {
            return null; // the original failure is reported
        }
    }

    private async Task<StoredMessage?[]> StoreInScopeAsync(IReadOnlyList<NewMessage> batch, Func<int, bool> claim, ISet<int> archived)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        using var turn = await turns.TakeAsync();
        return await StoreBatchAsync(services.GetRequiredService<ChatterDbContext>(), services.GetRequiredService<IMessageRows>(), batch, time.GetUtcNow(), claim,
            archived);
    }

    /// <summary>
    /// One transaction for the whole batch, retried whole by the provider's execution strategy.
    /// Resends are NOT looked up first (that was one query per batch for a rare case): the unique
    /// (AuthorId, ClientMessageId) index refuses a stored one, the transaction rolls back (no Seq is
    /// taken), and <see cref="WriteAsync"/> stores the batch one by one, where a refused message is
    /// found by its ClientMessageId and answered Duplicate (so is a retry after an ambiguous commit).
    /// A ClientMessageId twice in one batch is stored once. <paramref name="claim"/> is asked, once the write lock is held, whether each new message
    /// is still wanted; null in the result for one that is not (nothing of it is written). A message for an
    /// archived room is not written either: null in the result, and its index in <paramref name="archived"/>
    /// (the archive is checked by the statement that takes the room's Seqs, so it holds to the commit).
    /// </summary>
    internal static Task<StoredMessage?[]> StoreBatchAsync(ChatterDbContext db, IMessageRows rows, IReadOnlyList<NewMessage> batch, DateTimeOffset now,
        Func<int, bool>? claim = null, ISet<int>? archived = null, CancellationToken ct = default) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            archived?.Clear();
            var results = new StoredMessage?[batch.Count];
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var firstIndex = new Dictionary<(string, string), int>();
            var written = new List<(int Index, Message Entity)>(batch.Count);
            var duplicates = new List<int>();
            for (var i = 0; i < batch.Count; i++)
            {
                if (claim is not null && !claim(i))
                    continue;
                if (!firstIndex.TryAdd((batch[i].AuthorId, batch[i].ClientMessageId), i))
                    duplicates.Add(i); // the same send twice in one batch: answered from the first
                else
                    written.Add((i, ToEntity(batch[i], now)));
            }
            var closed = new HashSet<long>();
            foreach (var room in written.GroupBy(w => w.Entity.RoomId))
            {
                long count = room.Count();
                if (await rows.AdvanceSeqAsync(room.Key, count, ct) is not { } last)
                {
                    closed.Add(room.Key);
                    continue;
                }
                var seq = last - count;
                // Each message continues its author's run or starts one (the room's message before the
                // batch's first, then each before the next).
                var previous = await PreviousQuery.For(db)(db, room.Key, seq, ct);
                foreach (var (_, entity) in room) // arrival order within the room
                {
                    entity.Seq = ++seq;
                    // a reply neither continues a run nor is continued: it is shown in its thread
                    entity.ContinuesPrevious = previous is { } p && p.AuthorId == entity.AuthorId && p.DeletedAt is null
                        && entity.CreatedAt - p.CreatedAt <= Message.GroupWithin && p.ParentSeq is null && entity.ParentSeq is null;
                    previous = new Neighbour(entity.AuthorId, entity.CreatedAt, null, entity.ParentSeq);
                }
            }
            if (closed.Count > 0)
            {
                foreach (var (i, _) in written.Where(w => closed.Contains(w.Entity.RoomId)))
                    archived?.Add(i);
                written.RemoveAll(w => closed.Contains(w.Entity.RoomId));
            }
            var entities = written.ConvertAll(w => w.Entity);
            if (entities.Count > 0 && !await rows.TryInsertAsync(entities, ct))
            {
                db.Messages.AddRange(entities);
                await db.SaveChangesAsync(ct);
            }
            await tx.CommitAsync(ct);

            foreach (var (i, entity) in written)
                results[i] = new StoredMessage(new MessageView(entity.Seq, entity.AuthorId, batch[i].AuthorName, entity.Body, now, Mentions: entity.Mentions,
                    Attachment: entity.Attachment is { } a ? UploadedFile.View(a) : null)
                {
                    RoomSlug = batch[i].Room.Slug,
                    Continues = entity.ContinuesPrevious,
                    AuthorIsBot = batch[i].AuthorIsBot,
                    AuthorAvatar = batch[i].AuthorAvatar,
                    ParentSeq = entity.ParentSeq,
                    AlsoInRoom = entity.AlsoInRoom,
                    ThreadPeople = entity.ThreadPeople,
                    RoomMention = entity.RoomMention,
                }, Duplicate: false);
            foreach (var i in duplicates)
            {
                if (results[firstIndex[(batch[i].AuthorId, batch[i].ClientMessageId)]] is { } first)
                    results[i] = first with { Duplicate = true };
                else
                    archived?.Add(i);
            }
            return results;
        }, ct);

    private sealed record Neighbour(string AuthorId, DateTimeOffset CreatedAt, DateTimeOffset? DeletedAt, long? ParentSeq);

    /// <summary>The room's message with this seq (the one before a batch), as grouping needs it; null when there is none.</summary>
    private static readonly CompiledQuery<Func<ChatterDbContext, long, long, CancellationToken, Task<Neighbour?>>> PreviousQuery = new(() =>
        EF.CompileAsyncQuery((ChatterDbContext db, long roomId, long seq, CancellationToken ct) =>
            db.Messages.Where(m => m.RoomId == roomId && m.Seq == seq).Select(m => new Neighbour(m.AuthorId, m.CreatedAt, m.DeletedAt, m.ParentSeq)).FirstOrDefault()));

    private static Message ToEntity(NewMessage m, DateTimeOffset now) => new()
    {
        RoomId = m.Room.Id,
        AuthorId = m.AuthorId,
        Body = m.Body,
        ClientMessageId = m.ClientMessageId,
        CreatedAt = now,
        Mentions = m.Mentions,
        Attachment = m.File?.ToEntity(m.Room.Id, m.AuthorId, now),
        ParentSeq = m.Reply?.ParentSeq,
        AlsoInRoom = m.Reply?.AlsoInRoom ?? false,
        ThreadPeople = m.Reply?.People,
        RoomMention = m.RoomMention,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "A batch of {Count} messages hit a constraint; storing them one by one")]
    private partial void LogBatchRetried(Exception e, int count);
}
