using System.Text.RegularExpressions;
using ChatterWeb.Delivery;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Deployment;

/// <summary>
/// compose.yaml and deploy/nginx.conf, read as text (no Docker here): two app replicas on SQL
/// Server and Redis behind nginx, health-gated start-up, and a balancer that passes WebSockets.
/// </summary>
public class ComposeTests
{
    private static readonly string Compose = RepositoryRoot.Read("compose.yaml").Replace("\r\n", "\n");
    private static readonly string Nginx = RepositoryRoot.Read("deploy/nginx.conf").Replace("\r\n", "\n");

    /// <summary>The lines indented under <paramref name="key"/> (a "key:" line at <paramref name="indent"/> spaces), comments dropped.</summary>
    internal static string Block(string yaml, string key, int indent)
    {
        var lines = yaml.Split('\n');
        var start = Array.FindIndex(lines, l => Regex.IsMatch(l, $"^{new string(' ', indent)}{Regex.Escape(key)}:( |$)"));
        Assert.True(start >= 0, $"no `{key}:` at indent {indent} in compose.yaml");
        var body = lines.Skip(start + 1)
            .TakeWhile(l => l.Trim().Length == 0 || l.TrimStart().StartsWith('#') || l.Length - l.TrimStart().Length > indent)
            .Where(l => !l.TrimStart().StartsWith('#'));
        return string.Join('\n', body);
    }

    internal static IEnumerable<string> Keys(string block, int indent) =>
        Regex.Matches(block, $@"^ {{{indent}}}([\w.-]+):", RegexOptions.Multiline).Select(m => m.Groups[1].Value);

    private static string Service(string name) => Service(Compose, name);

    internal static string Service(string compose, string name) => Block(Block(compose, "services", 0), name, 2);

    /// <summary>An app service's settings: the shared x-chatter block it merges in, plus its own.</summary>
    private static string AppService(string name) => AppService(Compose, name);

    internal static string AppService(string compose, string name)
    {
        var own = Service(compose, name);
        Assert.Contains("<<: *chatter", own);
        Assert.Matches(@"(?m)^x-chatter: &chatter$", compose);
        return Block(compose, "x-chatter", 0) + "\n" + own;
    }

    [Fact]
    public void Two_app_replicas_redis_sql_server_and_nginx()
    {
        var services = Keys(Block(Compose, "services", 0), 2).ToHashSet();
        Assert.Equal(new HashSet<string> { "chatter-a", "chatter-b", "redis", "mssql", "nginx" }, services);
        Assert.Matches(@"(?m)^    image: redis:7$", Service("redis"));
        Assert.Matches(@"(?m)^    image: mcr\.microsoft\.com/mssql/server:2022-latest$", Service("mssql"));
        Assert.Matches(@"(?m)^    image: nginx:[\w.]+$", Service("nginx"));
    }

    [Theory]
    [InlineData("chatter-a")]
    [InlineData("chatter-b")]
    public void Each_replica_is_built_here_and_runs_on_SQL_Server_and_Redis(string name)
    {
        var app = AppService(name);
        Assert.Matches(@"(?m)^  build: \.$", app);
        Assert.Matches(@"(?m)^    Chatter__Database__Provider: SqlServer$", app);
        Assert.Matches(@"(?m)^    ConnectionStrings__Chatter: ""Server=mssql,1433;Database=Chatter;[^""]*Password=\$\{MSSQL_SA_PASSWORD:-[^}]+\};", app);
        Assert.Matches(@"(?m)^    ConnectionStrings__Redis: ""redis:6379""$", app);
        Assert.Matches(@"(?m)^    Chatter__Security__KnownNetworks__0: ""172\.28\.0\.0/16""$", app);
        Assert.Contains("- subnet: 172.28.0.0/16", Compose);
        // The replicas trust X-Forwarded-* from anyone, so only nginx may reach them: no published ports.
        Assert.DoesNotContain("ports:", app);
        // One data-protection key ring for both, or a cookie from one replica is rejected by the other.
        Assert.Matches(@"(?m)^    - dataprotection-keys:/home/app/\.aspnet/DataProtection-Keys$", app);
    }

    [Fact]
    public void SQL_Server_takes_the_same_password_as_the_apps_with_a_local_default()
    {
        var mssql = Service("mssql");
        Assert.Matches(@"(?m)^      ACCEPT_EULA: ""Y""$", mssql);
        var server = Regex.Match(mssql, @"(?m)^      MSSQL_SA_PASSWORD: ""(\$\{MSSQL_SA_PASSWORD:-[^}]+\})""$");
        Assert.True(server.Success, "MSSQL_SA_PASSWORD should come from the environment with a local default");
        Assert.Contains($"Password={server.Groups[1].Value};", AppService("chatter-a"));
    }

    [Theory]
    [InlineData("chatter-a", new[] { "mssql", "redis" })]
    [InlineData("chatter-b", new[] { "mssql", "redis", "chatter-a" })] // chatter-a migrates an empty server first
    [InlineData("nginx", new[] { "chatter-a", "chatter-b" })]
    public void Start_up_waits_for_what_each_service_needs_to_be_healthy(string name, string[] needs)
    {
        var dependsOn = Block(Service(name), "depends_on", 4);
        Assert.Equal(needs.Order(), Keys(dependsOn, 6).Order());
        foreach (var need in needs)
            Assert.Matches(@"(?m)^        condition: service_healthy$", Block(dependsOn, need, 6));
    }

    [Theory]
    [InlineData("redis", "redis-cli")]
    [InlineData("mssql", "sqlcmd")]
    [InlineData("nginx", "/healthz")]
    public void Each_dependency_has_a_health_check(string name, string probe)
    {
        Assert.Contains(probe, Block(Service(name), "healthcheck", 4));
        // The app replicas use the image's HEALTHCHECK (DockerfileTests).
    }

    [Fact]
    public void Only_nginx_publishes_a_port_and_it_mounts_deploy_nginx_conf()
    {
        var nginx = Service("nginx");
        Assert.Matches(@"(?m)^      - ""\$\{CHATTER_PORT:-8080\}:80""$", nginx);
        Assert.Matches(@"(?m)^      - \./deploy/nginx\.conf:/etc/nginx/nginx\.conf:ro$", nginx);
        Assert.Single(Regex.Matches(Compose, @"(?m)^\s+ports:"));
    }

    [Fact]
    public void Nginx_round_robins_between_the_two_replicas()
    {
        var upstream = Regex.Match(Nginx, @"upstream chatter \{(?<body>[^}]*)\}");
        Assert.True(upstream.Success, "no `upstream chatter { ... }` in deploy/nginx.conf");
        var servers = Regex.Matches(upstream.Groups["body"].Value, @"(?m)^\s*server (\S+)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["chatter-a:8080", "chatter-b:8080"], servers);
        Assert.DoesNotMatch(@"(?m)^\s*(ip_hash|hash|least_conn|random)\b", upstream.Groups["body"].Value);
        Assert.Matches(@"proxy_pass http://chatter;", Nginx);
    }

    [Fact]
    public void Nginx_passes_WebSocket_upgrades()
    {
        Assert.Contains("proxy_http_version 1.1;", Nginx);
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;", Nginx);
        Assert.Contains("proxy_set_header Connection $connection_upgrade;", Nginx);
        var map = Regex.Match(Nginx, @"map \$http_upgrade \$connection_upgrade \{(?<body>[^}]*)\}");
        Assert.True(map.Success, "$connection_upgrade is not mapped from $http_upgrade");
        Assert.Matches(@"(?m)^\s*default\s+upgrade;", map.Groups["body"].Value);
    }

    [Fact]
    public void Nginx_forwards_the_public_host_with_its_port_and_the_client_address_and_scheme()
    {
        // $http_host keeps the port; the socket Origin check compares against it ($host drops it: every socket 403).
        Assert.Contains("proxy_set_header Host $http_host;", Nginx);
        Assert.DoesNotContain("proxy_set_header Host $host;", Nginx);
        Assert.Contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;", Nginx);
        Assert.Contains("proxy_set_header X-Forwarded-Proto $scheme;", Nginx);
        Assert.Contains("proxy_set_header X-Forwarded-Host $http_host;", Nginx);
    }

    [Fact]
    public void Nginx_keeps_idle_sockets_open_longer_than_the_apps_keep_alive()
    {
        var read = Regex.Match(Nginx, @"proxy_read_timeout (\d+)s;");
        Assert.True(read.Success, "no proxy_read_timeout (nginx's default of 60 s would be too tight a margin)");
        var defaults = new RealtimeOptions();
        var neededSeconds = (defaults.KeepAliveInterval + defaults.KeepAliveTimeout).TotalSeconds;
        Assert.True(int.Parse(read.Groups[1].Value) > neededSeconds * 10,
            $"proxy_read_timeout {read.Groups[1].Value}s is not comfortably above the app's keep-alive ({neededSeconds}s)");
    }
}

/// <summary>
/// compose.postgresql.yaml, read as text: the same deployment as compose.yaml (two replicas, Redis,
/// nginx with deploy/nginx.conf) on PostgreSQL instead of SQL Server.
/// </summary>
public class PostgreSqlComposeTests
{
    private static readonly string Compose = RepositoryRoot.Read("compose.postgresql.yaml").Replace("\r\n", "\n");
    private static readonly string SqlServerCompose = RepositoryRoot.Read("compose.yaml").Replace("\r\n", "\n");

    private static string Service(string name) => ComposeTests.Service(Compose, name);

    [Fact]
    public void Two_app_replicas_redis_postgresql_and_nginx()
    {
        var services = ComposeTests.Keys(ComposeTests.Block(Compose, "services", 0), 2).ToHashSet();
        Assert.Equal(new HashSet<string> { "chatter-a", "chatter-b", "redis", "postgres", "nginx" }, services);
        Assert.Matches(@"(?m)^    image: postgres:17$", Service("postgres"));
        Assert.Equal(ComposeTests.Service(SqlServerCompose, "redis"), Service("redis"));
        Assert.Equal(ComposeTests.Service(SqlServerCompose, "nginx"), Service("nginx")); // the same deploy/nginx.conf
        Assert.Matches(@"(?m)^      - postgres-data:/var/lib/postgresql/data$", Service("postgres"));
    }

    [Theory]
    [InlineData("chatter-a")]
    [InlineData("chatter-b")]
    public void Each_replica_runs_on_PostgreSQL_with_the_servers_password_and_on_Redis(string name)
    {
        var app = ComposeTests.AppService(Compose, name);
        Assert.Matches(@"(?m)^    Chatter__Database__Provider: PostgreSQL$", app);
        var password = Regex.Match(Service("postgres"), @"(?m)^      POSTGRES_PASSWORD: ""(\$\{POSTGRES_PASSWORD:-[^}]+\})""$");
        Assert.True(password.Success, "POSTGRES_PASSWORD should come from the environment with a local default");
        Assert.Matches(@"(?m)^      POSTGRES_DB: chatter$", Service("postgres"));
        Assert.Matches(@"(?m)^      POSTGRES_USER: chatter$", Service("postgres"));
        Assert.Contains($"ConnectionStrings__Chatter: \"Host=postgres;Port=5432;Database=chatter;Username=chatter;Password={password.Groups[1].Value};", app);
        Assert.Matches(@"(?m)^    ConnectionStrings__Redis: ""redis:6379""$", app);
        Assert.DoesNotContain("ports:", app);
        Assert.Single(Regex.Matches(Compose, @"(?m)^\s+ports:"));
    }

    [Fact]
    public void The_replicas_settings_are_those_of_compose_yaml_but_for_the_database_and_the_network()
    {
        static string WithoutDatabase(string xChatter) => string.Join('\n', xChatter.Split('\n')
            .Where(l => !Regex.IsMatch(l, @"Chatter__Database__Provider|ConnectionStrings__Chatter|KnownNetworks__0")));
        Assert.Equal(WithoutDatabase(ComposeTests.Block(SqlServerCompose, "x-chatter", 0)), WithoutDatabase(ComposeTests.Block(Compose, "x-chatter", 0)));
        // its own network, so both files can run side by side; the replicas believe forwarded headers from it only
        Assert.Contains("- subnet: 172.29.0.0/16", Compose);
        Assert.Matches(@"(?m)^    Chatter__Security__KnownNetworks__0: ""172\.29\.0\.0/16""$", ComposeTests.Block(Compose, "x-chatter", 0));
    }

    [Theory]
    [InlineData("chatter-a", new[] { "postgres", "redis" })]
    [InlineData("chatter-b", new[] { "postgres", "redis", "chatter-a" })] // chatter-a migrates an empty database first
    [InlineData("nginx", new[] { "chatter-a", "chatter-b" })]
    public void Start_up_waits_for_what_each_service_needs_to_be_healthy(string name, string[] needs)
    {
        var dependsOn = ComposeTests.Block(Service(name), "depends_on", 4);
        Assert.Equal(needs.Order(), ComposeTests.Keys(dependsOn, 6).Order());
        foreach (var need in needs)
            Assert.Matches(@"(?m)^        condition: service_healthy$", ComposeTests.Block(dependsOn, need, 6));
        Assert.Contains("pg_isready", ComposeTests.Block(Service("postgres"), "healthcheck", 4));
    }
}
