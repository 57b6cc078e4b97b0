namespace ChatterWeb.Messages;

/// <summary>The writer did not store the message: the room was archived when its Seq would have been taken.</summary>
public sealed class RoomArchivedException() : InvalidOperationException("The room is archived: nothing more can be posted to it.");
