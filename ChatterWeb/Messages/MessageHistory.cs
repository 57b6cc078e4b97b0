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
    }

    /// <summary>Up to <see cref="PageSize"/> messages with Seq below <paramref name="beforeSeq"/> (null: the newest).</summary>
    public async Task<Page> BeforeAsync(long roomId, long? beforeSeq, CancellationToken ct = default)
    {
        var query = db.Messages.AsNoTracking().Where(m => m.RoomId == roomId);
        if (beforeSeq is long before)
            query = query.Where(m => m.Seq < before);
        var newestFirst = await Project(query.OrderByDescending(m => m.Seq).Take(PageSize + 1)).ToListAsync(ct);
        var hasOlder = newestFirst.Count > PageSize;
        if (hasOlder)
            newestFirst.RemoveAt(PageSize);
        newestFirst.Reverse();
        return new Page(newestFirst, hasOlder);
    }

    /// <summary>Messages after <paramref name="afterSeq"/> in seq order, at most <paramref name="limit"/>.</summary>
    public Task<List<MessageView>> AfterAsync(long roomId, long afterSeq, int limit, CancellationToken ct = default) =>
        Project(db.Messages.AsNoTracking()
                .Where(m => m.RoomId == roomId && m.Seq > afterSeq)
                .OrderBy(m => m.Seq)
                .Take(limit))
            .ToListAsync(ct);

    private static IQueryable<MessageView> Project(IQueryable<Message> query) =>
        query.Select(m => new MessageView(m.Seq, m.AuthorId, m.Author!.DisplayName, m.Body, m.CreatedAt, m.EditedAt, m.DeletedAt, m.Mentions,
            m.Attachment == null ? null : new AttachmentView(m.Attachment.Id, m.Attachment.FileName, m.Attachment.ContentType, m.Attachment.Length, m.Attachment.Width, m.Attachment.Height)));
}
