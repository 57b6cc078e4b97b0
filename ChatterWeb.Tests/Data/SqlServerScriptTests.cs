using System.Text.RegularExpressions;
using ChatterWeb.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Data;

/// <summary>The idempotent SQL Server script, made once by the real tool for the whole class.</summary>
public sealed class SqlServerScript
{
    private readonly Lazy<Task<string>> _text = new(async () =>
    {
        var file = Path.Combine(Path.GetTempPath(), $"chatter-sqlserver-{Guid.NewGuid():N}.sql");
        try
        {
            var result = await DotnetEf.RunAsync("migrations", "script", "--idempotent", "--context", nameof(SqlServerChatterDbContext), "--output", file);
            Assert.True(result.ExitCode == 0 && File.Exists(file), $"the SQL Server script could not be generated:\n{result}");
            return await File.ReadAllTextAsync(file);
        }
        finally
        {
            File.Delete(file);
        }
    });

    public Task<string> TextAsync() => _text.Value;
}

/// <summary>
/// What `dotnet ef migrations script --idempotent --context SqlServerChatterDbContext` hands a DBA:
/// every table with its key, the unique indexes the app's guarantees rest on, safe to run twice.
/// </summary>
public class SqlServerScriptTests(SqlServerScript script) : IClassFixture<SqlServerScript>
{
    [Theory]
    [InlineData("Rooms", "[Id]")]
    [InlineData("Memberships", "[RoomId], [UserId]")]
    [InlineData("Messages", "[Id]")]
    [InlineData("AspNetUsers", "[Id]")]
    [InlineData("AspNetRoles", "[Id]")]
    [InlineData("AspNetUserClaims", "[Id]")]
    [InlineData("AspNetUserLogins", "[LoginProvider], [ProviderKey]")]
    [InlineData("AspNetUserRoles", "[UserId], [RoleId]")]
    [InlineData("AspNetUserTokens", "[UserId], [LoginProvider], [Name]")]
    [InlineData("AspNetRoleClaims", "[Id]")]
    public async Task Creates_the_table_with_its_primary_key(string table, string keyColumns)
    {
        var sql = await script.TextAsync();
        var create = Regex.Match(sql, $@"CREATE TABLE \[{table}\] \((?<body>.*?)\n    \);", RegexOptions.Singleline);
        Assert.True(create.Success, $"no CREATE TABLE [{table}] in the script");
        Assert.Contains($"CONSTRAINT [PK_{table}] PRIMARY KEY ({keyColumns})", create.Groups["body"].Value);
    }

    [Theory]
    [InlineData("Messages", "[RoomId], [Seq]")] // the paging/catch-up cursor, and one message per seq
    [InlineData("Messages", "[AuthorId], [ClientMessageId]")] // a resent frame is stored once
    [InlineData("Rooms", "[Slug]")] // one room per URL
    public async Task Creates_the_unique_index(string table, string columns)
    {
        var sql = await script.TextAsync();
        var name = $"IX_{table}_{columns.Replace("[", "").Replace("]", "").Replace(", ", "_")}";
        // Unfiltered: a filtered index (WHERE ... IS NOT NULL) would let duplicates through.
        Assert.Contains($"CREATE UNIQUE INDEX [{name}] ON [{table}] ({columns});", sql);
    }

    [Fact]
    public async Task Seq_columns_are_bigint_and_room_and_message_ids_are_identity()
    {
        var sql = await script.TextAsync();
        Assert.Contains("[Seq] bigint NOT NULL", sql);
        Assert.Contains("[LastSeq] bigint NOT NULL", sql);
        Assert.Matches(@"CREATE TABLE \[Rooms\] \(\s+\[Id\] bigint NOT NULL IDENTITY", sql);
        Assert.Matches(@"CREATE TABLE \[Messages\] \(\s+\[Id\] bigint NOT NULL IDENTITY", sql);
        Assert.Contains("[CreatedAt] datetimeoffset NOT NULL", sql);
    }

    [Fact]
    public async Task Every_migration_is_guarded_so_the_script_can_run_on_any_database_state()
    {
        var sql = await script.TextAsync();
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var migrations = db.Database.GetMigrations().ToList();
        Assert.NotEmpty(migrations);

        Assert.StartsWith("IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL", sql.TrimStart('\uFEFF'));
        foreach (var id in migrations)
        {
            Assert.Contains($"WHERE [MigrationId] = N'{id}'", sql);
            Assert.Contains($"INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])\n    VALUES (N'{id}'", sql.Replace("\r\n", "\n"));
        }

        // Every statement block sits inside an IF NOT EXISTS (...) BEGIN ... END guard.
        var statements = Regex.Matches(sql, @"^\s*(CREATE|ALTER|DROP|EXEC|INSERT)\b", RegexOptions.Multiline).Count;
        // (A column whose type changes is altered after EF drops its default constraint, if any: DECLARE, SELECT, IF ... EXEC, in the same guarded block.)
        var guarded = Regex.Matches(sql, @"IF NOT EXISTS \(\s+SELECT \* FROM \[__EFMigrationsHistory\]\s+WHERE \[MigrationId\] = N'[^']+'\s+\)\s+BEGIN\s+"
            + @"(?:DECLARE @\w+ [^;]+;\s+SELECT @\w+ = [^;]+;\s+IF @\w+ IS NOT NULL EXEC\(.*?\);\s+)?(CREATE|ALTER|DROP|EXEC|INSERT)\b").Count;
        Assert.Equal(statements - 1, guarded); // the one unguarded statement creates the history table itself
    }

    [Fact]
    public async Task The_script_is_SQL_Server_dialect_only()
    {
        var sql = await script.TextAsync();
        Assert.DoesNotContain("AUTOINCREMENT", sql, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("PRAGMA", sql, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("sqlite", sql, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"", sql); // SQLite quotes identifiers with double quotes; SQL Server uses [brackets]
    }
}
