namespace ChatterWeb.Messages;

/// <summary>Where a reply goes: its thread's first message, whether it is also shown in the room, and the people in the thread (ids, space-separated).</summary>
public sealed record ReplyTo(long ParentSeq, bool AlsoInRoom, string People);
