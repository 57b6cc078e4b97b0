using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ChatterWeb.Data;

// Used only by `dotnet ef` (migrations, scripts, has-pending-model-changes); no database is opened.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteChatterDbContext>
{
    public SqliteChatterDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteChatterDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerChatterDbContext>
{
    public SqlServerChatterDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerChatterDbContext>().UseSqlServer("Server=design-time;Database=Chatter;Trusted_Connection=True;TrustServerCertificate=True").Options);
}
