using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using ChatterWeb.Attachments;
using ChatterWeb.Data;
using ChatterWeb.Delivery;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Deployment;

/// <summary>docs/OPERATIONS.md lists every setting the app binds, with its real default.</summary>
public class OperationsDocTests
{
    private static readonly string Doc = RepositoryRoot.Read("docs/OPERATIONS.md");

    /// <summary>The default column of the table row for <paramref name="key"/>, without backticks.</summary>
    private static string DocumentedDefault(string key)
    {
        // A cell may hold an escaped pipe (\|), as a default LDAP filter does.
        var row = Regex.Match(Doc, $@"(?m)^\| `{Regex.Escape(key)}` \| ((?:[^|\\]|\\.)+) \|");
        Assert.True(row.Success, $"docs/OPERATIONS.md has no table row for `{key}`");
        return row.Groups[1].Value.Trim().Trim('`').Replace(@"\|", "|");
    }

    private static string Format(object? value) => value switch
    {
        bool b => b ? "true" : "false",
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        string[] { Length: 0 } => "(none)",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "(none)",
    };

    public static TheoryData<string, string> Options()
    {
        var data = new TheoryData<string, string>();
        foreach (var (section, instance) in new (string, object)[] { (DatabaseOptions.Section, new DatabaseOptions()), (RealtimeOptions.Section, new RealtimeOptions()), (ChatterWeb.Metrics.MetricsOptions.Section, new ChatterWeb.Metrics.MetricsOptions()), (AttachmentOptions.Section, new AttachmentOptions()), (ChatterWeb.Accounts.AccountsOptions.Section, new ChatterWeb.Accounts.AccountsOptions()), (ChatterWeb.Accounts.Oidc.OidcOptions.Section, new ChatterWeb.Accounts.Oidc.OidcOptions()), (ChatterWeb.Accounts.Ldap.LdapOptions.Section, new ChatterWeb.Accounts.Ldap.LdapOptions()), (ChatterWeb.Mail.MailOptions.Section, new ChatterWeb.Mail.MailOptions()), (ChatterWeb.Messages.RoomWideOptions.Section, new ChatterWeb.Messages.RoomWideOptions()) })
        {
            foreach (var property in instance.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
                data.Add($"{section}:{property.Name}", Format(property.GetValue(instance)));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void Every_option_is_documented_with_its_default(string key, string expectedDefault)
    {
        Assert.Equal(expectedDefault, DocumentedDefault(key));
    }

    [Fact]
    public void The_connection_strings_are_documented_with_the_shipped_default()
    {
        Assert.Equal(DatabaseOptions.DefaultSqliteConnection, DocumentedDefault("ConnectionStrings:Chatter"));
        Assert.Contains($"\"Chatter\": \"{DatabaseOptions.DefaultSqliteConnection}\"", RepositoryRoot.Read("ChatterWeb/appsettings.json"));
        Assert.Equal("(unset)", DocumentedDefault("ConnectionStrings:Redis"));
    }

    [Theory]
    [InlineData("compose.yaml")]
    [InlineData("compose.postgresql.yaml")]
    public void Every_setting_compose_passes_to_the_app_is_documented(string file)
    {
        var compose = RepositoryRoot.Read(file);
        var shared = Regex.Match(compose, @"(?ms)^x-chatter: &chatter$.*?^  environment:$(?<env>.*?)^  \w").Groups["env"].Value;
        var names = Regex.Matches(shared, @"(?m)^    (\w+):").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("Chatter__Database__Provider", names);
        foreach (var name in names)
        {
            var key = name.StartsWith("ASPNETCORE_", StringComparison.Ordinal) ? name : Regex.Replace(name.Replace("__", ":"), ":\\d+$", ""); // array items: Key__0
            DocumentedDefault(key);
        }
    }

    [Fact]
    public void PostgreSQL_is_documented_from_the_connection_string_to_the_backup()
    {
        Assert.Contains("`Sqlite`, `SqlServer` or `PostgreSQL`", Doc);
        Assert.Contains("Data/Migrations/PostgreSql", Doc);
        Assert.Matches(@"ConnectionStrings__Chatter='Host=[^']*;Database=chatter;Username=chatter;Password=", Doc);
        Assert.Contains("Maximum Pool Size", Doc);
        Assert.Contains("max_connections", Doc);
        Assert.Contains("docker compose -f compose.postgresql.yaml up --build", Doc);
        // the rights of the app's login, in SQL a DBA can run
        Assert.Contains("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO chatter_app;", Doc);
        Assert.Contains("ALTER DEFAULT PRIVILEGES FOR ROLE chatter_owner", Doc);
        // backups and restores
        Assert.Matches(@"pg_dump --format=custom", Doc);
        Assert.Contains("pg_restore", Doc);
        Assert.Contains("--context PostgreSqlChatterDbContext", Doc);
        // the extension the migration creates, and the lock wait of the writer
        Assert.Contains("unaccent", Doc);
        Assert.Contains($"{ChatterWeb.Data.PostgreSql.PostgreSqlMessageRows.LockTimeoutMilliseconds / 1000} s", Doc);
    }
}
