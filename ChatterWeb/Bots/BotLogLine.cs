using ChatterWeb.Data;

namespace ChatterWeb.Bots;

/// <summary>One line of the delivery log as the bot's page shows it.</summary>
public sealed record BotLogLine(long Id, DateTimeOffset At, string RoomSlug, long Seq, string Trigger, BotDeliveryOutcome Outcome,
    int? StatusCode, int Attempts, int DurationMs, string? Detail, long? ReplySeq);
