using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatterWeb.Data.Migrations.Sqlite
{
    /// <summary>
    /// Hand-written (no model change): the FTS5 index behind message search. An external-content
    /// table over Messages(Body), kept in step by triggers; Id is its rowid. See docs/MESSAGES.md.
    /// A later migration that rebuilds the Messages table (SQLite's way of altering columns) drops
    /// these triggers: re-create them after it, and run the 'rebuild' command.
    /// </summary>
    [DbContext(typeof(SqliteChatterDbContext))]
    [Migration("20261123131400_MessageSearch")]
    public partial class MessageSearch : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE VIRTUAL TABLE MessagesFts USING fts5(Body, content='Messages', content_rowid='Id', tokenize='unicode61 remove_diacritics 2');");
            migrationBuilder.Sql("INSERT INTO MessagesFts(MessagesFts) VALUES('rebuild');");
            migrationBuilder.Sql("CREATE TRIGGER Messages_fts_ai AFTER INSERT ON Messages BEGIN INSERT INTO MessagesFts(rowid, Body) VALUES (new.Id, new.Body); END;");
            migrationBuilder.Sql("CREATE TRIGGER Messages_fts_ad AFTER DELETE ON Messages BEGIN INSERT INTO MessagesFts(MessagesFts, rowid, Body) VALUES ('delete', old.Id, old.Body); END;");
            migrationBuilder.Sql("CREATE TRIGGER Messages_fts_au AFTER UPDATE OF Body ON Messages BEGIN INSERT INTO MessagesFts(MessagesFts, rowid, Body) VALUES ('delete', old.Id, old.Body); INSERT INTO MessagesFts(rowid, Body) VALUES (new.Id, new.Body); END;");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS Messages_fts_au;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS Messages_fts_ad;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS Messages_fts_ai;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS MessagesFts;");
        }
    }
}
