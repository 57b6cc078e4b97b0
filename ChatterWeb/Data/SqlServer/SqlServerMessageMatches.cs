using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data.SqlServer;

/// <summary>SQL Server: <c>LIKE '%term%'</c> per term (wildcards escaped), a scan of the readable rooms' messages.</summary>
public sealed class SqlServerMessageMatches(ChatterDbContext db) : IMessageMatches
{
    public IQueryable<Message> Matching(IReadOnlyList<string> terms)
    {
        IQueryable<Message> matches = db.Messages;
        foreach (var term in terms)
        {
            var pattern = "%" + EscapeLike(term) + "%";
            matches = matches.Where(m => EF.Functions.Like(m.Body, pattern, "\\"));
        }
        return matches;
    }

    private static string EscapeLike(string term) =>
        term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_").Replace("[", "\\[");
}
