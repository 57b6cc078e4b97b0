namespace ChatterWeb.Messages;

public abstract record PostMessageResult
{
    /// <summary>Committed (now, or earlier when <paramref name="Duplicate"/>: a resend of the same ClientMessageId).</summary>
    public sealed record Stored(MessageView Message, string ClientMessageId, bool Duplicate) : PostMessageResult;

    /// <summary>Nothing was stored; <paramref name="Error"/> is for the sender only.</summary>
    public record Rejected(string Error) : PostMessageResult;

    /// <summary>Nothing was stored: an administrator has archived the room (HTTP 409).</summary>
    public sealed record Archived() : Rejected(PostMessage.ArchivedError);

    /// <summary>
    /// Nothing was stored: an <c>@here</c>/<c>@room</c> would notify <paramref name="People"/> people, and
    /// the sender must confirm (send again with the confirmation). A refusal to every caller that cannot ask.
    /// </summary>
    public sealed record NeedsConfirmation(Data.RoomMention Kind, int People) : Rejected(RoomWide.Confirmation(Kind, People));

    /// <summary>Nothing was stored: the person is writing faster than <see cref="MessageRate"/> allows (HTTP 429).</summary>
    public sealed record TooFast() : Rejected(MessageRate.TooFastError);
}
