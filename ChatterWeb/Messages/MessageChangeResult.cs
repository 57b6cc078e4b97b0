namespace ChatterWeb.Messages;

/// <summary>What an edit or a delete answers.</summary>
public abstract record MessageChangeResult
{
    /// <summary>Stored and published: the message as it now is.</summary>
    public sealed record Changed(MessageView Message) : MessageChangeResult;

    /// <summary>Nothing changed (e.g. the same text saved again).</summary>
    public sealed record Unchanged : MessageChangeResult;

    public sealed record NotFound : MessageChangeResult;

    public sealed record Forbidden(string Error) : MessageChangeResult;

    public sealed record Invalid(string Error) : MessageChangeResult;

    /// <summary>Nothing changed: an administrator has archived the room (HTTP 409).</summary>
    public sealed record Archived(string Error) : MessageChangeResult;

    /// <summary>Nothing changed: the person is writing faster than <see cref="MessageRate"/> allows (HTTP 429).</summary>
    public sealed record TooFast(string Error) : MessageChangeResult;
}
