using System.Text.RegularExpressions;
using ChatterWeb.Data;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Data;

/// <summary>
/// Every provider's migrations describe today's model, through the real dotnet-ef tool (no database
/// needed), and the migration sets stay in step.
/// </summary>
public class MigrationsTests
{
    [Theory]
    [InlineData(nameof(SqliteChatterDbContext))]
    [InlineData(nameof(SqlServerChatterDbContext))]
    [InlineData(nameof(PostgreSqlChatterDbContext))]
    public async Task The_model_has_no_changes_missing_from_the_migrations(string context)
    {
        var result = await DotnetEf.RunAsync("migrations", "has-pending-model-changes", "--context", context);

        Assert.True(result.ExitCode == 0,
            $"{context}: the model differs from the last migration (or the tool failed). " +
            $"Add a migration for EVERY context (see docs/OPERATIONS.md).\n{result}");
        Assert.Contains("No changes have been made to the model since the last migration", result.Output);
    }

    /// <summary>
    /// PostgreSQL came later: its <c>Initial</c> is the model as it stood after this migration of the
    /// others (one migration, not a replay of their history); from there on every provider has the same.
    /// </summary>
    private const string PostgreSqlBaseline = "EditAndDelete";

    [Fact]
    public void Every_provider_has_the_same_migrations_in_the_same_order()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var sqlServer = new SqlServerDesignTimeFactory().CreateDbContext([]);
        using var postgreSql = new PostgreSqlDesignTimeFactory().CreateDbContext([]);

        var sqliteNames = sqlite.Database.GetMigrations().Select(WithoutTimestamp).ToList();
        var sqlServerNames = sqlServer.Database.GetMigrations().Select(WithoutTimestamp).ToList();
        var postgreSqlNames = postgreSql.Database.GetMigrations().Select(WithoutTimestamp).ToList();

        Assert.NotEmpty(sqliteNames);
        Assert.Equal(sqliteNames, sqlServerNames);
        Assert.Contains(PostgreSqlBaseline, sqliteNames);
        Assert.Equal(["Initial", .. sqliteNames.SkipWhile(n => n != PostgreSqlBaseline).Skip(1)], postgreSqlNames);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("SqlServer")]
    [InlineData("PostgreSql")]
    public void Each_model_snapshot_sits_beside_its_migrations(string provider)
    {
        // dotnet ef writes the next migration's snapshot wherever the current one is found; a stray
        // copy elsewhere in the project would send future migrations to the wrong folder.
        var app = RepositoryRoot.PathOf("ChatterWeb");
        var snapshots = Directory.EnumerateFiles(app, $"{provider}ChatterDbContextModelSnapshot.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(p => Path.GetRelativePath(app, p).Replace('\\', '/'))
            .ToList();

        Assert.Equal([$"Data/Migrations/{provider}/{provider}ChatterDbContextModelSnapshot.cs"], snapshots);
    }

    private static string WithoutTimestamp(string migrationId) => Regex.Replace(migrationId, "^[0-9]{14}_", "");
}
