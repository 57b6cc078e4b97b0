using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data;

public sealed class SqlServerChatterDbContext(DbContextOptions<SqlServerChatterDbContext> options) : ChatterDbContext(options);
