using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Bots;

/// <summary>
/// A server whose bots may call 127.0.0.1 (any port) and nothing else, with short, countable
/// resilience settings: one attempt waits <see cref="AttemptTimeout"/>, a failing call is tried
/// <see cref="Attempts"/> times, <see cref="BreakAfter"/> failures open a host's breaker for
/// <see cref="BreakDuration"/>. Its first account (the administrator) is made before any test runs.
/// </summary>
public class BotServer : ChatterServer
{
    public const string PublicUrl = "https://chat.example.test";
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);
    public const int Attempts = 3;
    public const int BreakAfter = 3;
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(2);

    public BotServer() : this(null)
    {
    }

    protected BotServer(TestDatabase? database) : base(database) =>
        Admin = SignUpAsync("Admin").GetAwaiter().GetResult();

    public TestUser Admin { get; }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Chatter:Integrations:AllowedHosts:0", "127.0.0.1"),
        new("Chatter:Integrations:PublicUrl", PublicUrl),
        new("Chatter:Integrations:BotTimeout", AttemptTimeout.ToString()),
        new("Chatter:Integrations:BotRetries", (Attempts - 1).ToString()),
        new("Chatter:Integrations:BotRetryDelay", "00:00:00.050"),
        new("Chatter:Integrations:BotBreakAfter", BreakAfter.ToString()),
        new("Chatter:Integrations:BotBreakSampling", "00:01:00"),
        new("Chatter:Integrations:BotBreakDuration", BreakDuration.ToString()),
    ];
}

public sealed class PostgreSqlBotServer() : BotServer(TestDatabase.PostgreSql());
