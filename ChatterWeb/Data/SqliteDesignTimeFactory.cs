using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ChatterWeb.Data;

/// <summary>The SQLite context for <c>dotnet ef</c> only (migrations, scripts, has-pending-model-changes); no database is opened.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteChatterDbContext>
{
    public SqliteChatterDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteChatterDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
