using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatterWeb.Data.Migrations.SqlServer
{
    /// <summary>
    /// Hand-written, deliberately empty: SQL Server search is a keyset-paged LIKE over the readable
    /// rooms' messages (Full-Text Search is an optional server feature we cannot assume). Kept so both
    /// providers have the same migrations in the same order. See docs/MESSAGES.md.
    /// </summary>
    [DbContext(typeof(SqlServerChatterDbContext))]
    [Migration("20261123131410_MessageSearch")]
    public partial class MessageSearch : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
