using System.Text.RegularExpressions;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Data;

/// <summary>
/// Nothing in the app only works on SQLite, and provider-specific SQL lives with its provider. Scans
/// ChatterWeb/**/*.cs (comments ignored) for SQLite-only things (PRAGMA, sqlite_ tables, SQLite
/// dialect, Microsoft.Data.Sqlite types) and for raw SQL of any kind. Each provider's own folder
/// (Data/Sqlite, Data/SqlServer, Data/PostgreSql) may hold its dialect; the two plain-command helpers in Data run the
/// SQL a provider hands them; anywhere else a SQLite thing is allowed only under an <c>IsSqlite()</c>
/// guard or inside code named for SQLite (SqliteChatterDbContext, SqliteDesignTimeFactory), and raw
/// SQL only under an IsSqlite()/IsSqlServer() guard. The SQLite migrations are SQLite's by
/// definition and are not scanned; the SQL Server and PostgreSQL migrations may hold raw SQL.
/// </summary>
public class ProviderNeutralCodeTests
{
    private static readonly Regex SqliteOnly = new(
        @"\bPRAGMA\b|sqlite_\w+|\bEXPLAIN QUERY PLAN\b|\blast_insert_rowid\b|\bAUTOINCREMENT\b|\bINSERT OR\b|\bON CONFLICT\b|\bCOLLATE NOCASE\b|\bjulianday\b|\bstrftime\b|\bGLOB\b" +
        @"|(?-i:\bSqlite[A-Z]\w*|\bUseSqlite\b)", // Microsoft.Data.Sqlite types, SqliteChatterDbContext, UseSqlite (not the enum value DatabaseProvider.Sqlite)
        RegexOptions.IgnoreCase);

    private static readonly Regex RawSql = new(
        @"\b(ExecuteSql\w*|FromSql\w*|SqlQuery\w*)\s*[<(]|\bCreateCommand\s*\(|\.CommandText\b|\bGetDbConnection\s*\(");

    private static readonly Regex SqliteGuard = new(
        @"\bIsSqlite\s*\(\s*\)|DatabaseProvider\.Sqlite\b|\b(class|record|struct|interface)\s+Sqlite\w*|^\s*[^=;(]*\s(Sqlite\w*)\s*\([^)]*\)\s*$");

    private static readonly Regex ProviderGuard = new(@"\bIs(Sqlite|SqlServer)\s*\(\s*\)|DatabaseProvider\.(Sqlite|SqlServer)\b");

    private static readonly Regex SqlServerCondition = new(@"\bIsSqlServer\s*\(\s*\)|DatabaseProvider\.SqlServer\b");

    public sealed record Finding(string File, int Line, string What, string Code)
    {
        public override string ToString() => $"{File}:{Line}: {What} in `{Code.Trim()}`";
    }

    /// <summary>SQLite's own folder: its context's registration, pragmas, checkpointer and statements.</summary>
    private const string SqliteFolder = "Data/Sqlite/";

    /// <summary>SQL Server's own folder: its registration and statements.</summary>
    private const string SqlServerFolder = "Data/SqlServer/";

    /// <summary>PostgreSQL's own folder: its registration, retry rule and statements.</summary>
    private const string PostgreSqlFolder = "Data/PostgreSql/";

    /// <summary>Folders where raw SQL is the point: the server providers' statements and migrations.</summary>
    private static readonly string[] RawSqlFolders = [SqlServerFolder, PostgreSqlFolder, "Data/Migrations/SqlServer/", "Data/Migrations/PostgreSql/"];

    /// <summary>Run the SQL a provider's statement hands them (plain commands), and know no dialect.</summary>
    private static readonly string[] PlainCommandHelpers = ["Data/DbCommandExtensions.cs", "Data/ReadMarkStatement.cs"];

    [Fact]
    public void The_SQLite_pragma_interceptor_and_checkpointer_belong_to_the_SQLite_provider_alone()
    {
        var app = RepositoryRoot.PathOf("ChatterWeb");
        var wiring = File.ReadAllText(Path.Combine(app, "Data", "Sqlite", "SqliteProvider.cs"));
        Assert.Single(Regex.Matches(wiring, @"new SqlitePragmas\(\)"));
        Assert.Matches(@"AddDbContextPool<SqliteChatterDbContext>\([^\n]*UseSqlite\([^\n]*new SqlitePragmas\(\)", wiring);
        Assert.Matches(@"AddHostedService\([^\n]*SqliteCheckpointer", wiring);

        // Nothing outside the SQLite provider's folder names them.
        var outside = Directory.EnumerateFiles(app, "*.cs", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(app, p).Replace('\\', '/'))
            .Where(p => !p.StartsWith("bin/") && !p.StartsWith("obj/") && !p.StartsWith(SqliteFolder))
            .Where(p => Regex.IsMatch(Mask(File.ReadAllText(Path.Combine(app, p))).Plain, @"\bSqlite(Pragmas|Checkpointer)\b"))
            .ToList();
        Assert.Empty(outside);
    }

    [Fact]
    public void Nothing_outside_a_providers_own_folder_is_SQLite_only_or_raw_SQL_unless_guarded()
    {
        var app = RepositoryRoot.PathOf("ChatterWeb");
        var files = Directory.EnumerateFiles(app, "*.cs", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(app, p).Replace('\\', '/'))
            .Where(p => !p.StartsWith("bin/") && !p.StartsWith("obj/") && !p.StartsWith("Data/Migrations/Sqlite/") && !p.StartsWith(SqliteFolder))
            .ToList();
        Assert.Contains("Messages/PostMessage.cs", files); // the scan really looks at the app
        Assert.Contains("Data/DatabaseInitializer.cs", files);
        Assert.Contains("Data/SqlServer/SqlServerMessageRows.cs", files);
        Assert.Contains("Data/PostgreSql/PostgreSqlMessageRows.cs", files);

        var findings = files.SelectMany(f => Scan(f, File.ReadAllText(Path.Combine(app, f)),
            rawSqlAllowed: RawSqlFolders.Any(f.StartsWith) || PlainCommandHelpers.Contains(f))).ToList();

        Assert.True(findings.Count == 0,
            "SQLite-only code or raw SQL outside a provider's folder (give each provider its statement in Data/Sqlite, Data/SqlServer and Data/PostgreSql behind an interface in Data):\n"
            + string.Join("\n", findings));
    }

    [Fact]
    public void The_scan_flags_unguarded_SQLite_things_and_raw_SQL_and_accepts_guarded_ones()
    {
        const string code = """
            public sealed class Example
            {
                // PRAGMA in a comment is prose, not code.
                async Task Bad(ChatterDbContext db)
                {
                    await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys=ON;");
                    var tables = db.Database.SqlQueryRaw<string>("SELECT name FROM sqlite_master");
                    try { await db.SaveChangesAsync(); } catch (SqliteException e) when (e.SqliteErrorCode == 19) { }
                    await db.Database.ExecuteSqlAsync($"DELETE FROM Messages");
                }

                async Task Good(ChatterDbContext db)
                {
                    if (db.Database.IsSqlite())
                    {
                        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
                    }
                    if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync("PRAGMA optimize;");
                    if (db.Database.IsSqlServer())
                        await db.Database.ExecuteSqlRawAsync("DBCC FREEPROCCACHE");
                    if (provider == DatabaseProvider.SqlServer) { o.UseSqlServer(cs); }
                    else { o.UseSqlite(SqliteConnectionFor(cs)); }
                }

                static string SqliteConnectionFor(string cs) { return new SqliteConnectionStringBuilder(cs).ToString(); }
            }
            """;

        var findings = Scan("Example.cs", code, rawSqlAllowed: false).Select(f => f.Line).Distinct().ToList();

        Assert.Equal([6, 7, 8, 9], findings);
    }

    private static IEnumerable<Finding> Scan(string file, string source, bool rawSqlAllowed)
    {
        var (plain, structure) = Mask(source);
        var hits = SqliteOnly.Matches(plain).Select(m => (m.Index, What: $"SQLite-only `{m.Value}`", Guard: SqliteGuard));
        if (!rawSqlAllowed)
            hits = hits.Concat(RawSql.Matches(plain).Select(m => (m.Index, What: $"raw SQL `{m.Value.TrimEnd('(', '<', ' ')}`", Guard: ProviderGuard)));

        foreach (var (index, what, guard) in hits.OrderBy(h => h.Index))
        {
            var lineStart = source.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
            var lineEnd = source.IndexOf('\n', index) is var e and >= 0 ? e : source.Length;
            if (source[lineStart..lineEnd].TrimStart().StartsWith("using ", StringComparison.Ordinal))
                continue; // a using directive by itself does nothing
            if (GuardTexts(structure, index).Any(guard.IsMatch))
                continue;
            yield return new Finding(file, source[..index].Count(c => c == '\n') + 1, what, source[lineStart..lineEnd]);
        }
    }

    /// <summary>
    /// The statement holding <paramref name="index"/>, then the header of every enclosing block,
    /// innermost first. An <c>else</c> block counts as guarded for SQLite when its <c>if</c> tested
    /// for SQL Server (two providers: the else branch is SQLite's).
    /// </summary>
    private static IEnumerable<string> GuardTexts(string code, int index)
    {
        yield return Statement(code, index);
        var depth = 0;
        for (var i = index - 1; i >= 0; i--)
        {
            if (code[i] == '}')
                depth++;
            else if (code[i] == '{' && depth-- == 0)
            {
                var header = Statement(code, i);
                yield return header;
                if (header.Trim() == "else" && IfBefore(code, i) is { } condition && SqlServerCondition.IsMatch(condition))
                    yield return "if (IsSqlite())";
                depth = 0;
            }
        }
    }

    /// <summary>Text from the previous ';', '{' or '}' up to <paramref name="index"/> (and on to the end of the statement).</summary>
    private static string Statement(string code, int index)
    {
        var start = code.LastIndexOfAny([';', '{', '}'], Math.Max(0, index - 1)) + 1;
        var end = code.IndexOfAny([';', '{', '}'], index);
        return code[start..(end < 0 ? code.Length : end)];
    }

    /// <summary>For the '{' of an else block: the header of the if block just before the else.</summary>
    private static string? IfBefore(string code, int elseBrace)
    {
        var close = code.LastIndexOf('}', elseBrace);
        if (close < 0)
            return null;
        var depth = 0;
        for (var i = close - 1; i >= 0; i--)
        {
            if (code[i] == '}')
                depth++;
            else if (code[i] == '{' && depth-- == 0)
                return Statement(code, i);
        }
        return null;
    }

    private static readonly Regex Tokens = new(
        "(?<comment>//[^\\n]*|/\\*.*?\\*/|(?m:^[ \\t]*#[^\\n]*))|(?<text>\"\"\".*?\"\"\"|@\"(?:\"\"|[^\"])*\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])+')",
        RegexOptions.Singleline);

    /// <summary>
    /// plain: the source with comments and preprocessor lines (#pragma warning ...) blanked (markers are searched here, strings included).
    /// structure: also string contents blanked, so braces and semicolons inside SQL text do not count.
    /// Both keep every character's position.
    /// </summary>
    private static (string Plain, string Structure) Mask(string source)
    {
        var plain = source.ToCharArray();
        var structure = source.ToCharArray();
        foreach (Match m in Tokens.Matches(source))
        {
            var blankPlain = m.Groups["comment"].Success;
            for (var i = m.Index + 1; i < m.Index + m.Length - 1; i++)
            {
                if (source[i] == '\n')
                    continue;
                structure[i] = ' ';
                if (blankPlain)
                    plain[i] = ' ';
            }
            if (blankPlain)
            {
                plain[m.Index] = plain[m.Index + m.Length - 1] = ' ';
                structure[m.Index] = structure[m.Index + m.Length - 1] = ' ';
            }
        }
        return (new string(plain), new string(structure));
    }
}
