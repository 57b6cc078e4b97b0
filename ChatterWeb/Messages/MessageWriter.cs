using System.Threading.Channels;
using ChatterWeb.Attachments;
using ChatterWeb.Data;
using ChatterWeb.Metrics;
using ChatterWeb.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ChatterWeb.Messages;

/// <summary>A message to store: everything but its Seq, which the writer takes.</summary>
/// <param name="Mentions">The mentioned members' ids (space-separated), found by the post handler; null for none.</param>
/// <param name="RoomSlug">The room's slug, for the message's own links (permalink, edit, delete).</param>
/// <param name="File">An uploaded file (already in the attachment store) whose row goes in with the message.</param>
public sealed record NewMessage(long RoomId, string AuthorId, string AuthorName, string Body, string ClientMessageId, string? Mentions = null, UploadedFile? File = null, string RoomSlug = "");

/// <summary>Committed (now, or earlier when <paramref name="Duplicate"/>: a resend of the same ClientMessageId).</summary>
public readonly record struct StoredMessage(MessageView Message, bool Duplicate);

/// <summary>
/// Group commit: one writer per instance takes every message waiting to be stored and commits
/// them in ONE transaction (Seqs taken with one <c>UPDATE … LastSeq = LastSeq + n</c> per room),
/// then answers each sender. Under load that is one commit for tens of messages instead of tens of
/// writers queueing for SQLite's single write lock (whose busy wait sleeps a thread); when idle a
/// batch is one message and nothing waits for company. The guarantees are unchanged: a message is
/// acknowledged only after its commit, Seq order is commit order (the room row stays locked to
/// the commit), a resend finds the stored row by (AuthorId, ClientMessageId), and a sender told
/// "not saved" (its timeout ran out) really was not: see <see cref="StoreAsync"/>.
/// New messages are rendered once and published here, in Seq order, before their senders hear
/// back, so the room's sockets get a batch in order (the hub need not hold anything back).
/// </summary>
public sealed partial class MessageWriter(
    IServiceScopeFactory scopes,
    IRoomBus bus,
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
            var stored = await StoreInScopeAsync(batch.ConvertAll(p => p.Message), i => batch[i].TryClaim());
            if (stored.Count(s => s is { Duplicate: false }) is var written and > 0)
                metrics.BatchCommitted(written);
            for (var i = 0; i < batch.Count; i++)
            {
                if (stored[i] is { Duplicate: false } fresh)
                    await PublishAsync(batch[i].Message.RoomId, fresh.Message);
            }
            for (var i = 0; i < batch.Count; i++)
            {
                if (stored[i] is { } result)
                    batch[i].Done.TrySetResult(result);
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

    /// <summary>Renders the message once and hands it to the bus. Stored is stored: a socket that misses the push heals the gap from the database.</summary>
    private async ValueTask PublishAsync(long roomId, MessageView message)
    {
        metrics.MessagePosted();
        try
        {
            await bus.PublishAsync(new RoomFrame(roomId, message.Seq, MessageMarkup.RenderFragment(message)));
        }
        catch (Exception e)
        {
            LogPublishFailed(e, roomId, message.Seq);
        }
    }

    private async Task<StoredMessage?> TryFindRacedAsync(NewMessage message)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ChatterDbContext>();
            return await FindStoredAsync(db, message, CancellationToken.None) is { } view ? new StoredMessage(view with { RoomSlug = message.RoomSlug }, Duplicate: true) : null;
        }
        catch (Exception)
        {
            return null; // the original failure is reported
        }
    }

    private async Task<StoredMessage?[]> StoreInScopeAsync(IReadOnlyList<NewMessage> batch, Func<int, bool> claim)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatterDbContext>();
        return await StoreBatchAsync(db, batch, time.GetUtcNow(), claim);
    }

    /// <summary>
    /// One transaction for the whole batch, retried whole by the provider's execution strategy.
    /// Resends are NOT looked up first (that was one query per batch for a rare case): the unique
    /// (AuthorId, ClientMessageId) index refuses a stored one, the transaction rolls back (no Seq is
    /// taken), and <see cref="WriteAsync"/> stores the batch one by one, where a refused message is
    /// found by its ClientMessageId and answered Duplicate (so is a retry after an ambiguous commit).
    /// A ClientMessageId twice in one batch is stored once. <paramref name="claim"/> is asked, once the write lock is held, whether each new message
    /// is still wanted; null in the result for one that is not (nothing of it is written).
    /// </summary>
    internal static Task<StoredMessage?[]> StoreBatchAsync(ChatterDbContext db, IReadOnlyList<NewMessage> batch, DateTimeOffset now,
        Func<int, bool>? claim = null, CancellationToken ct = default) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
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
            foreach (var room in written.GroupBy(w => w.Entity.RoomId))
            {
                long count = room.Count();
                var seq = await AdvanceSeqAsync(db, room.Key, count, ct) - count;
                foreach (var (_, entity) in room) // arrival order within the room
                    entity.Seq = ++seq;
            }
            var entities = written.ConvertAll(w => w.Entity);
            if (!await TryInsertPlainAsync(db, entities, ct))
            {
                db.Messages.AddRange(entities);
                await db.SaveChangesAsync(ct);
            }
            await tx.CommitAsync(ct);

            foreach (var (i, entity) in written)
                results[i] = new StoredMessage(new MessageView(entity.Seq, entity.AuthorId, batch[i].AuthorName, entity.Body, now, Mentions: entity.Mentions,
                    Attachment: entity.Attachment is { } a ? UploadedFile.View(a) : null) { RoomSlug = batch[i].RoomSlug }, Duplicate: false);
            foreach (var i in duplicates)
                results[i] = results[firstIndex[(batch[i].AuthorId, batch[i].ClientMessageId)]]!.Value with { Duplicate = true };
            return results;
        }, ct);

    private const string AdvanceSeqSqlite = "UPDATE \"Rooms\" SET \"LastSeq\" = \"LastSeq\" + @count WHERE \"Id\" = @room RETURNING \"LastSeq\"";
    private const string AdvanceSeqSqlServer = "UPDATE [Rooms] SET [LastSeq] = [LastSeq] + @count OUTPUT INSERTED.[LastSeq] WHERE [Id] = @room";

    /// <summary>
    /// Moves the room's LastSeq on by <paramref name="count"/> inside the batch's transaction and
    /// returns the new value: one single-row UPDATE by primary key that returns the row (SQLite
    /// RETURNING, SQL Server OUTPUT), written as a plain command. The LINQ form was an ExecuteUpdate and
    /// a read back, and EF's query pipeline for those two (expression trees, parameter extraction,
    /// cache lookups) was most of the writer's own CPU per batch.
    /// </summary>
    private static async Task<long> AdvanceSeqAsync(ChatterDbContext db, long roomId, long count, CancellationToken ct)
    {
        if (db.Database.IsSqlServer() || db.Database.IsSqlite())
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = db.Database.IsSqlServer() ? AdvanceSeqSqlServer : AdvanceSeqSqlite;
            command.AddParameter("@count", count);
            command.AddParameter("@room", roomId);
            return await command.ExecuteScalarAsync(ct) is { } value and not DBNull
                ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
                : throw new InvalidOperationException($"Room {roomId} does not exist.");
        }
        throw new NotSupportedException("Messages are stored on SQLite or SQL Server.");
    }

    /// <summary>The parameters of one row of <see cref="InsertFor"/>, in the order of its columns.</summary>
    private static readonly string[] InsertRow = ["r", "s", "a", "b", "c", "t", "m"];

    /// <summary>Parameter names by row (<c>@r0</c>, <c>@s0</c>, ...), made once: the SQL text and the values use the same ones.</summary>
    private static readonly string[][] InsertNames = [.. Enumerable.Range(0, MaxBatch).Select(i => InsertRow.Select(p => $"@{p}{i}").ToArray())];

    /// <summary>The INSERT for n rows, made once per n (at most <see cref="MaxBatch"/>); ChangeSeq 0, the rest null (not edited, not deleted).</summary>
    private static readonly string?[] InsertSql = new string?[MaxBatch + 1];

    private static string InsertFor(int rows) => InsertSql[rows] ??=
        "INSERT INTO \"Messages\" (\"RoomId\", \"Seq\", \"AuthorId\", \"Body\", \"ClientMessageId\", \"CreatedAt\", \"Mentions\", \"ChangeSeq\") VALUES "
        + string.Join(", ", InsertNames.Take(rows).Select(names => $"({string.Join(", ", names)}, 0)"));

    /// <summary>
    /// SQLite, messages without a file: the batch's rows in ONE multi-row INSERT, written as a plain
    /// command inside the batch's transaction. EF's SaveChanges for the same rows (change detection,
    /// a command per row with RETURNING, entity fix-up) was 4.5 of the writer's 6.5 ms per batch of 8
    /// at 750 messages a second, and the writer is one loop: its time per batch bounds how many
    /// messages an instance stores. Nothing reads the rows' Ids afterwards (a message is its room and
    /// Seq); CreatedAt goes through the model's own converter, so it is stored exactly as EF stores it.
    /// A refused row (a resent ClientMessageId) fails the statement, which is wrapped as EF wraps it
    /// (<see cref="DbUpdateException"/>), so the batch falls back to one by one as before. SQL Server,
    /// and a batch holding a file (its attachment row needs the message's Id), go through EF.
    /// Returns false when it did not apply.
    /// </summary>
    private static async Task<bool> TryInsertPlainAsync(ChatterDbContext db, List<Message> messages, CancellationToken ct)
    {
        if (db.Database.IsSqlite() && messages.Count is > 0 and <= MaxBatch && messages.TrueForAll(m => m.Attachment is null))
        {
            // the column as the model stores it (SqliteChatterDbContext: DateTimeOffsetToBinaryConverter, a long)
            var createdAt = db.Model.FindEntityType(typeof(Message))!.FindProperty(nameof(Message.CreatedAt))!.GetTypeMapping().Converter;
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = InsertFor(messages.Count);
            for (var i = 0; i < messages.Count; i++)
            {
                var (m, names) = (messages[i], InsertNames[i]);
                command.AddParameter(names[0], m.RoomId);
                command.AddParameter(names[1], m.Seq);
                command.AddParameter(names[2], m.AuthorId);
                command.AddParameter(names[3], m.Body);
                command.AddParameter(names[4], m.ClientMessageId);
                command.AddParameter(names[5], createdAt is null ? m.CreatedAt : createdAt.ConvertToProvider(m.CreatedAt));
                command.AddParameter(names[6], m.Mentions);
            }
            try
            {
                await command.ExecuteNonQueryAsync(ct);
            }
            catch (System.Data.Common.DbException e)
            {
                throw new DbUpdateException("An error occurred while saving the messages. See the inner exception for details.", e);
            }
            return true;
        }
        return false;
    }

    private static Message ToEntity(NewMessage m, DateTimeOffset now) => new()
    {
        RoomId = m.RoomId,
        AuthorId = m.AuthorId,
        Body = m.Body,
        ClientMessageId = m.ClientMessageId,
        CreatedAt = now,
        Mentions = m.Mentions,
        Attachment = m.File?.ToEntity(m.RoomId, m.AuthorId, now),
    };

    /// <summary>The stored message with this one's (AuthorId, ClientMessageId), after a refused insert: a seek on that unique index.</summary>
    internal static async Task<MessageView?> FindStoredAsync(ChatterDbContext db, NewMessage message, CancellationToken ct = default)
    {
        var (author, clientId) = (message.AuthorId, message.ClientMessageId);
        return await db.Messages.AsNoTracking()
            .Where(m => m.AuthorId == author && m.ClientMessageId == clientId)
            .Select(m => new MessageView(m.Seq, m.AuthorId, m.Author!.DisplayName, m.Body, m.CreatedAt, m.EditedAt, m.DeletedAt, m.Mentions,
                m.Attachment == null ? null : new AttachmentView(m.Attachment.Id, m.Attachment.FileName, m.Attachment.ContentType, m.Attachment.Length, m.Attachment.Width, m.Attachment.Height)))
            .FirstOrDefaultAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A batch of {Count} messages hit a constraint; storing them one by one")]
    private partial void LogBatchRetried(Exception e, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {Seq} in room {RoomId} is stored but could not be published")]
    private partial void LogPublishFailed(Exception e, long roomId, long seq);
}
