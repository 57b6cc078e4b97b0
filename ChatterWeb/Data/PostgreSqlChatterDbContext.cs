using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data;

public sealed class PostgreSqlChatterDbContext(DbContextOptions<PostgreSqlChatterDbContext> options) : ChatterDbContext(options);
