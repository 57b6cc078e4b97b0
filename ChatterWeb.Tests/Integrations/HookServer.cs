using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Integrations;

/// <summary>
/// A server with small webhook limits (a burst of 3, then one a minute; bodies up to 8 KiB), whose first
/// account (the administrator of an empty database) is made before any test runs, so every test's people are
/// plain members unless a test says otherwise.
/// </summary>
public class HookServer : ChatterServer
{
    public const int Burst = 3;
    public const int MaxBody = 8192;

    public HookServer() : this(null)
    {
    }

    protected HookServer(TestDatabase? database) : base(database) =>
        Admin = SignUpAsync("Admin").GetAwaiter().GetResult();

    /// <summary>The administrator (the database's first account).</summary>
    public TestUser Admin { get; }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Chatter:Integrations:HookBurst", Burst.ToString()),
        new("Chatter:Integrations:HookPostsPerMinute", "1"),
        new("Chatter:Integrations:MaxHookBodyBytes", MaxBody.ToString()),
    ];
}

public sealed class PostgreSqlHookServer() : HookServer(TestDatabase.PostgreSql());
