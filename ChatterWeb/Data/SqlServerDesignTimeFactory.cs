using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ChatterWeb.Data;

/// <summary>The SQL Server context for <c>dotnet ef</c> only (migrations, scripts, has-pending-model-changes); no database is opened.</summary>
internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerChatterDbContext>
{
    public SqlServerChatterDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerChatterDbContext>().UseSqlServer("Server=design-time;Database=Chatter;Trusted_Connection=True;TrustServerCertificate=True").Options);
}
