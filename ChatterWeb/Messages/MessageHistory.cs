using System.Linq.Expressions;
using ChatterWeb.Attachments;
using ChatterWeb.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Messages;

/// <summary>Reading a room's messages by keyset on Seq (never OFFSET): newest page, older pages, catch-up.</summary>
public sealed class MessageHistory(ChatterDbContext db)
{
    /// <summary>
    /// What a message looks like to the markup: the one projection of a stored message, used by every
    /// read (the compiled and the composed queries here, a change just made, a resend found again).
    /// Declared before the compiled queries: static fields initialize in order.
    /// </summary>
    private static readonly Expression<Func<ChatterDbContext, Message, MessageView>> View = (db, m) =>
        new MessageView(m.Seq, m.AuthorId, m.Author!.DisplayName, m.Body, m.CreatedAt, m.EditedAt, m.DeletedAt, m.Mentions,
            m.Attachment == null || m.DeletedAt != null ? null : new AttachmentView(m.Attachment.Id, m.Attachment.FileName, m.Attachment.ContentType, m.Attachment.Length, m.Attachment.Width, m.Attachment.Height,
                m.Attachment.ThumbnailKey != null, m.Attachment.Animated))
        {
            ChangeSeq = m.ChangeSeq,
            Continues = m.ContinuesPrevious,
            RemovedByAdministrator = m.DeletedByAdministrator,
            RoomSlug = db.Rooms.Where(r => r.Id == m.RoomId).Select(r => r.Slug).First(),
            AuthorIsBot = m.Author!.IsBot,
            AuthorAvatar = m.Author!.Avatar,
            Reactions = m.Reactions,
            ParentSeq = m.ParentSeq,
            AlsoInRoom = m.AlsoInRoom,
            ThreadSummary = m.ThreadSummary,
            PinnedAt = m.PinnedAt,
            RoomMention = m.RoomMention,
        };

    public const int PageSize = 50;

    /// <summary>A page in seq order, and whether anything older exists before it.</summary>
    public sealed record Page(IReadOnlyList<MessageView> Messages, bool HasOlder)
    {
        public long? OldestSeq => Messages.Count > 0 ? Messages[0].Seq : null;
        public long? NewestSeq => Messages.Count > 0 ? Messages[^1].Seq : null;

        /// <summary>Something newer exists after this page (pages read forward or around a message).</summary>
        public bool HasNewer { get; init; }
    }

    /// <summary>Up to <see cref="PageSize"/> messages with Seq below <paramref name="beforeSeq"/> (null: the newest).</summary>
    public Task<Page> BeforeAsync(long roomId, long? beforeSeq, CancellationToken ct = default) =>
        BeforeAsync(roomId, beforeSeq, PageSize, ct);

    /// <summary>Most messages a room page opens with: enough for this many unread (and a few before them), the rest through "load older".</summary>
    public const int MaxOpeningPage = 300;

    /// <summary>
    /// The newest messages a room page opens with: a page, or as many as reach back to the viewer's
    /// first unread one (<paramref name="backToFirstUnread"/> of the newest) and a few before it, at
    /// most <see cref="MaxOpeningPage"/>.
    /// </summary>
    public Task<Page> OpeningAsync(long roomId, long backToFirstUnread, CancellationToken ct = default) =>
        BeforeAsync(roomId, null, (int)Math.Clamp(backToFirstUnread + 5, PageSize, MaxOpeningPage), ct);

    /// <summary>The message sent with this (author, ClientMessageId), as stored: a seek on that unique index.</summary>
    public Task<MessageView?> SentAsync(string authorId, string clientMessageId, CancellationToken ct = default) =>
        Project(db.Messages.AsNoTracking().Where(m => m.AuthorId == authorId && m.ClientMessageId == clientMessageId)).FirstOrDefaultAsync(ct);

    /// <summary>The message with this row id as it now is (after an edit or delete); null if there is none.</summary>
    public Task<MessageView?> ByIdAsync(long messageId, CancellationToken ct = default) =>
        Project(db.Messages.AsNoTracking().Where(m => m.Id == messageId)).SingleOrDefaultAsync(ct);

    /// <summary>Messages after <paramref name="afterSeq"/> in seq order, at most <paramref name="limit"/>.</summary>
    public Task<List<MessageView>> AfterAsync(long roomId, long afterSeq, int limit, CancellationToken ct = default) =>
        Project(db.Messages.AsNoTracking()
                .Where(m => m.RoomId == roomId && m.Seq > afterSeq)
                .OrderBy(m => m.Seq)
                .Take(limit))
            .ToListAsync(ct);

    /// <summary>Up to <see cref="PageSize"/> messages with Seq above <paramref name="afterSeq"/>, and whether more follow.</summary>
    public async Task<Page> NewerAsync(long roomId, long afterSeq, CancellationToken ct = default)
    {
        var page = await AfterAsync(roomId, afterSeq, PageSize + 1, ct);
        var hasNewer = page.Count > PageSize;
        if (hasNewer)
            page.RemoveAt(PageSize);
        return new Page(page, HasOlder: true) { HasNewer = hasNewer };
    }

    /// <summary>The page around one message (a permalink): half a page up to it, half after it. Null if it does not exist.</summary>
    public async Task<Page?> AroundAsync(long roomId, long seq, CancellationToken ct = default)
    {
        var upTo = await BeforeAsync(roomId, seq + 1, PageSize / 2, ct);
        if (upTo.Messages.Count == 0 || upTo.Messages[^1].Seq != seq)
            return null;
        var after = await AfterAsync(roomId, seq, PageSize / 2 + 1, ct);
        var hasNewer = after.Count > PageSize / 2;
        if (hasNewer)
            after.RemoveAt(PageSize / 2);
        return new Page([.. upTo.Messages, .. after], upTo.HasOlder) { HasNewer = hasNewer };
    }

    /// <summary>Up to <paramref name="size"/> messages below <paramref name="beforeSeq"/> (null: the newest), oldest first, and whether older ones exist.</summary>
    public async Task<Page> BeforeAsync(long roomId, long? beforeSeq, int size, CancellationToken ct)
    {
        // Compiled: the room page and "load older" run these on every request; a LINQ query would be
        // built, funcletized and looked up in EF's query cache each time (a fifth of the page's CPU).
        var rows = beforeSeq is long before ? BelowQuery.For(db)(db, roomId, before, size + 1) : NewestQuery.For(db)(db, roomId, size + 1);
        var newestFirst = new List<MessageView>(size + 1);
        await foreach (var m in rows.WithCancellation(ct))
            newestFirst.Add(m);
        var hasOlder = newestFirst.Count > size;
        if (hasOlder)
            newestFirst.RemoveAt(size);
        newestFirst.Reverse();
        return new Page(newestFirst, hasOlder);
    }

    private static readonly CompiledQuery<Func<ChatterDbContext, long, int, IAsyncEnumerable<MessageView>>> NewestQuery = new(() =>
        EF.CompileAsyncQuery(Projected((ChatterDbContext db, long roomId, int take) =>
            db.Messages.Where(m => m.RoomId == roomId).OrderByDescending(m => m.Seq).Take(take))));

    private static readonly CompiledQuery<Func<ChatterDbContext, long, long, int, IAsyncEnumerable<MessageView>>> BelowQuery = new(() =>
        EF.CompileAsyncQuery(Projected((ChatterDbContext db, long roomId, long before, int take) =>
            db.Messages.Where(m => m.RoomId == roomId && m.Seq < before).OrderByDescending(m => m.Seq).Take(take))));

    /// <summary>Messages edited or deleted after the change <paramref name="afterChange"/>, in change order (their current state).</summary>
    public Task<List<MessageView>> ChangedAfterAsync(long roomId, long afterChange, int limit, CancellationToken ct = default) =>
        Project(db.Messages.AsNoTracking()
                .Where(m => m.RoomId == roomId && m.ChangeSeq > afterChange)
                .OrderBy(m => m.ChangeSeq)
                .Take(limit))
            .ToListAsync(ct);

    /// <summary>A thread's newest <paramref name="limit"/> replies in seq order (deleted ones too: tombstones keep the thread whole).</summary>
    public async Task<List<MessageView>> RepliesAsync(long roomId, long parentSeq, int limit, CancellationToken ct = default)
    {
        var newest = await Project(db.Messages.AsNoTracking()
                .Where(m => m.RoomId == roomId && m.ParentSeq == parentSeq)
                .OrderByDescending(m => m.Seq)
                .Take(limit))
            .ToListAsync(ct);
        newest.Reverse();
        return newest;
    }

    /// <summary>One message by its seq, as it now is; null if there is none.</summary>
    public Task<MessageView?> BySeqAsync(long roomId, long seq, CancellationToken ct = default) =>
        Project(db.Messages.AsNoTracking().Where(m => m.RoomId == roomId && m.Seq == seq)).SingleOrDefaultAsync(ct);

    /// <summary>The room's change counter (read before the messages a page shows, so nothing after it is missed).</summary>
    public Task<long> LastChangeSeqAsync(long roomId, CancellationToken ct = default) =>
        db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastChangeSeq).SingleOrDefaultAsync(ct);

    /// <summary>How many messages are pinned in the room (a seek on the (RoomId, PinnedAt) index; a deleted message is never pinned).</summary>
    public Task<int> PinCountAsync(long roomId, CancellationToken ct = default) =>
        db.Messages.CountAsync(m => m.RoomId == roomId && m.PinnedAt != null, ct);

    private IQueryable<MessageView> Project(IQueryable<Message> query) =>
        query.Select(Expression.Lambda<Func<Message, MessageView>>(
            new Substitute(View.Parameters[0], Expression.Constant(db, typeof(ChatterDbContext))).Visit(View.Body), View.Parameters[1]));

    /// <summary><paramref name="query"/> with <see cref="View"/> applied, as one lambda EF can compile.</summary>
    private static Expression<Func<ChatterDbContext, T1, T2, IQueryable<MessageView>>> Projected<T1, T2>(
        Expression<Func<ChatterDbContext, T1, T2, IQueryable<Message>>> query) =>
        Expression.Lambda<Func<ChatterDbContext, T1, T2, IQueryable<MessageView>>>(SelectView(query), query.Parameters);

    private static Expression<Func<ChatterDbContext, T1, T2, T3, IQueryable<MessageView>>> Projected<T1, T2, T3>(
        Expression<Func<ChatterDbContext, T1, T2, T3, IQueryable<Message>>> query) =>
        Expression.Lambda<Func<ChatterDbContext, T1, T2, T3, IQueryable<MessageView>>>(SelectView(query), query.Parameters);

    private static MethodCallExpression SelectView(LambdaExpression query)
    {
        var selector = Expression.Lambda<Func<Message, MessageView>>(
            new Substitute(View.Parameters[0], query.Parameters[0]).Visit(View.Body), View.Parameters[1]);
        return Expression.Call(typeof(Queryable), nameof(Queryable.Select), [typeof(Message), typeof(MessageView)], query.Body, Expression.Quote(selector));
    }

    private sealed class Substitute(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
