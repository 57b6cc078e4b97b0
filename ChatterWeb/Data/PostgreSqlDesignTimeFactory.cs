using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ChatterWeb.Data;

/// <summary>The PostgreSQL context for <c>dotnet ef</c> only (migrations, scripts, has-pending-model-changes); no database is opened.</summary>
internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlChatterDbContext>
{
    public PostgreSqlChatterDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlChatterDbContext>().UseNpgsql("Host=design-time;Database=chatter").Options);
}
