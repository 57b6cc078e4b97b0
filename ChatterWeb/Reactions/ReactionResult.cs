using ChatterWeb.Messages;

namespace ChatterWeb.Reactions;

/// <summary>What became of a <see cref="ToggleReaction"/>.</summary>
public abstract record ReactionResult
{
    /// <summary>Stored and announced (the message as it now is).</summary>
    public sealed record Changed(MessageView Message) : ReactionResult;

    /// <summary>It already was so: nothing stored, nothing announced, no change number taken.</summary>
    public sealed record Unchanged : ReactionResult;

    /// <summary>No such message (or deleted, or in a room the person cannot read).</summary>
    public sealed record NotFound : ReactionResult;

    /// <summary>Refused with a reason and the HTTP status that says it (400, 429).</summary>
    public sealed record Refused(string Error, int Status) : ReactionResult;
}
