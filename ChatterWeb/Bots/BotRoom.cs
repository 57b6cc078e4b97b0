namespace ChatterWeb.Bots;

/// <summary>A room a bot can be put in (open or closed; never a direct conversation).</summary>
public sealed record BotRoom(long Id, string Slug, string Name);
