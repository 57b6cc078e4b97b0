using ChatterWeb.Attachments;
using ChatterWeb.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Messages;

/// <summary>Reading a room's messages by keyset on Seq (never OFFSET): newest page, older pages, catch-up.</summary>
public sealed class MessageHistory(ChatterDbContext db)
{
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
    private async Task<Page> BeforeAsync(long roomId, long? beforeSeq, int size, CancellationToken ct)
    {
        var query = db.Messages.AsNoTracking().Where(m => m.RoomId == roomId);
        if (beforeSeq is long before)
            query = query.Where(m => m.Seq < before);
        var newestFirst = await Project(query.OrderByDescending(m => m.Seq).Take(size + 1)).ToListAsync(ct);
        var hasOlder = newestFirst.Count > size;
        if (hasOlder)
            newestFirst.RemoveAt(size);
        newestFirst.Reverse();
        return new Page(newestFirst, hasOlder);
    }

    /// <summary>Messages edited or deleted after the change <paramref name="afterChange"/>, in change order (their current state).</summary>
    public Task<List<MessageView>> ChangedAfterAsync(long roomId, long afterChange, int limit, CancellationToken ct = default) =>
        Project(db.Messages.AsNoTracking()
                .Where(m => m.RoomId == roomId && m.ChangeSeq > afterChange)
                .OrderBy(m => m.ChangeSeq)
                .Take(limit))
            .ToListAsync(ct);

    /// <summary>The room's change counter (read before the messages a page shows, so nothing after it is missed).</summary>
    public Task<long> LastChangeSeqAsync(long roomId, CancellationToken ct = default) =>
        db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastChangeSeq).SingleOrDefaultAsync(ct);

    private IQueryable<MessageView> Project(IQueryable<Message> query) =>
        query.Select(m => new MessageView(m.Seq, m.AuthorId, m.Author!.DisplayName, m.Body, m.CreatedAt, m.EditedAt, m.DeletedAt, m.Mentions,
            m.Attachment == null || m.DeletedAt != null ? null : new AttachmentView(m.Attachment.Id, m.Attachment.FileName, m.Attachment.ContentType, m.Attachment.Length, m.Attachment.Width, m.Attachment.Height))
        {
            ChangeSeq = m.ChangeSeq,
            RoomSlug = db.Rooms.Where(r => r.Id == m.RoomId).Select(r => r.Slug).First(),
        });
}
