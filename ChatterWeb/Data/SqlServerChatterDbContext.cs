using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ChatterWeb.Data;

public sealed class SqlServerChatterDbContext(DbContextOptions<SqlServerChatterDbContext> options) : ChatterDbContext(options);
