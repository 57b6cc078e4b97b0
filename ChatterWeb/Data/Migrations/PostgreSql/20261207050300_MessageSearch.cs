using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatterWeb.Data.Migrations.PostgreSql
{
    /// <summary>
    /// Hand-written (no model change): full-text search over Messages.Body. The text search
    /// configuration <c>chatter_search</c> is <c>simple</c> (lower case, no stemming, no stop words)
    /// with the <c>unaccent</c> dictionary in front of it, so case and accents are ignored on both
    /// sides of a match; the GIN index is on the expression <c>to_tsvector('chatter_search', "Body")</c>
    /// (nothing stored in the table, nothing EF reads back), kept by PostgreSQL on every insert and
    /// edit. <c>unaccent</c> ships with PostgreSQL (contrib) and is a trusted extension: the login
    /// that migrates needs CREATE on the database, not superuser. See docs/MESSAGES.md.
    /// </summary>
    [DbContext(typeof(PostgreSqlChatterDbContext))]
    [Migration("20261207050300_MessageSearch")]
    public partial class MessageSearch : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS unaccent;");
            migrationBuilder.Sql("CREATE TEXT SEARCH CONFIGURATION chatter_search (COPY = simple);");
            migrationBuilder.Sql(
                "ALTER TEXT SEARCH CONFIGURATION chatter_search ALTER MAPPING FOR "
                + "asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart WITH unaccent, simple;");
            migrationBuilder.Sql("CREATE INDEX \"IX_Messages_Search\" ON \"Messages\" USING GIN (to_tsvector('chatter_search', \"Body\"));");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_Messages_Search\";");
            migrationBuilder.Sql("DROP TEXT SEARCH CONFIGURATION IF EXISTS chatter_search;");
            // unaccent stays: other schemas of the database may use it
        }
    }
}
