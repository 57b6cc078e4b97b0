using System.Linq.Expressions;

namespace ChatterWeb.Data;

/// <summary>
/// The one definition of "unread" and "mentions me", for every count: the sidebar, a person's rooms,
/// one room, every member of a room. Expressions, so each query translates the same rule to SQL;
/// compiled once, for the counts made in memory.
/// </summary>
public static class UnreadRule
{
    /// <summary>
    /// Counts look at the newest this-many messages of a room only: a seek on (RoomId, Seq) that reads
    /// at most this many rows however far behind someone is (the badge shows "99+" long before).
    /// Without it, one member who never opened a room of a million messages costs a million-row
    /// count on every post and every page.
    /// </summary>
    public const int CountWindow = 1000;

    /// <summary>
    /// Unread for the member: above their read position, among the room's newest <see cref="CountWindow"/>
    /// (the room's LastSeq is <c>roomLastSeq</c>), written by someone else, not deleted; a reply that is
    /// not also in the room only for the people in its thread (<see cref="Message.ThreadPeople"/>).
    /// </summary>
    public static readonly Expression<Func<Message, long, long, string, bool>> Counts = (m, lastReadSeq, roomLastSeq, userId) =>
        m.Seq > lastReadSeq && m.Seq > roomLastSeq - CountWindow && m.AuthorId != userId && m.DeletedAt == null
        && (m.ParentSeq == null || m.AlsoInRoom || (m.ThreadPeople != null && m.ThreadPeople.Contains(userId)));

    /// <summary>
    /// Unread for the member, and it mentions them: by name or in an <c>@here</c> that reached them
    /// (<see cref="Message.Mentions"/>), or with <c>@room</c> unless their setting for the room is Nothing.
    /// </summary>
    public static readonly Expression<Func<Message, long, long, string, NotifyLevel, bool>> Mentions = (m, lastReadSeq, roomLastSeq, userId, notify) =>
        Counts.Invoke(m, lastReadSeq, roomLastSeq, userId)
        && ((m.Mentions != null && m.Mentions.Contains(userId)) || (m.RoomMention == RoomMention.Room && notify != NotifyLevel.Nothing));

    /// <summary><see cref="Counts"/> for messages already in memory.</summary>
    public static readonly Func<Message, long, long, string, bool> CountsIn = Inline.Expand(Counts).Compile();

    /// <summary><see cref="Mentions"/> for messages already in memory.</summary>
    public static readonly Func<Message, long, long, string, NotifyLevel, bool> MentionsIn = Inline.Expand(Mentions).Compile();
}
