using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data.Sqlite;

/// <summary>
/// SQLite: the FTS5 index <c>MessagesFts</c> (external content over Messages.Body, kept by triggers;
/// see the MessageSearch migration): every term as a quoted prefix, case and accents ignored.
/// </summary>
public sealed class SqliteMessageMatches(ChatterDbContext db) : IMessageMatches
{
    public IQueryable<Message> Matching(IReadOnlyList<string> terms)
    {
        var match = string.Join(" ", terms.Select(t => "\"" + t.Replace("\"", "\"\"") + "\"*"));
        return db.Messages.FromSql($"SELECT * FROM Messages WHERE Id IN (SELECT rowid FROM MessagesFts WHERE MessagesFts MATCH {match})");
    }
}
