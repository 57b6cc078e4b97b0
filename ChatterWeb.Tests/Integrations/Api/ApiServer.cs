using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Integrations.Api;

/// <summary>
/// A server with a small message rate (a burst of <see cref="Burst"/>, then one every 20 s), so the API's
/// 429 is reached in a few posts; each test uses people of its own, so their buckets are their own.
/// </summary>
public class ApiServer : ChatterServer
{
    public const int Burst = 12;
    public const int SecondsPerMessage = 20;

    public ApiServer() : this(null)
    {
    }

    protected ApiServer(TestDatabase? database) : base(database)
    {
    }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Chatter:Realtime:MessageBurst", Burst.ToString()),
        new("Chatter:Realtime:MessagesPerSecond", (1.0 / SecondsPerMessage).ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}

public sealed class PostgreSqlApiServer() : ApiServer(TestDatabase.PostgreSql());
