using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using ChatterWeb.Bench.Target;
using ChatterWeb.Testing;

namespace ChatterWeb.Bench;

/// <summary>What every scenario is told: where the servers are, where results go, smoke or not.</summary>
public sealed record CommonSettings(
    IReadOnlyList<Uri> Urls,
    IReadOnlyList<int> ServerPids,
    string? DatabasePath,
    string RepoRoot,
    string ServerConfiguration,
    IReadOnlyDictionary<string, string> ServerSettings,
    int Instances,
    bool Smoke,
    string OutputDirectory,
    string CommandLine,
    bool RawKestrelPeer = false,
    string Database = CommonOptions.Sqlite);

/// <summary>The options shared by every scenario command, and how they become <see cref="CommonSettings"/>.</summary>
public sealed class CommonOptions
{
    public const string Sqlite = "sqlite";
    public const string PostgreSql = "postgresql";

    public Option<string> Database { get; } = new("--database")
    {
        Description = "Without --url: the database of the ChatterWeb the bench starts: sqlite (a file in its data folder) or postgresql (a private PostgreSQL cluster the bench starts, fsync on, one database every instance shares).",
        DefaultValueFactory = _ => Sqlite,
    };

    public Option<string[]> Url { get; } = new("--url")
    {
        Description = "ChatterWeb instance(s) to load, round-robin (loopback only; repeat for several). Without it the bench starts its own ChatterWeb and stops it after.",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<int[]> ServerPid { get; } = new("--server-pid")
    {
        Description = "With --url: the server process id(s) whose CPU time and memory to read from /proc.",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<string?> Db { get; } = new("--db")
    {
        Description = "With --url: the server's SQLite file (history needs it to seed messages).",
    };

    public Option<bool> Smoke { get; } = new("--smoke")
    {
        Description = "Run small, in seconds; exit non-zero on any loss, duplicate, out-of-order delivery or failure. Results go to artifacts/bench-smoke/ unless --out is given.",
    };

    public Option<string?> Out { get; } = new("--out")
    {
        Description = "Folder for <scenario>.json, <scenario>.md and plots (default artifacts/bench/ in the repository; a run BENCHMARKS.md cites goes to docs/benchmarks/<what it measures>/).",
    };

    public Option<string> ServerConfiguration { get; } = new("--server-config")
    {
        Description = "Build configuration of the ChatterWeb the bench starts.",
        DefaultValueFactory = _ => "Release",
    };

    public Option<string[]> ServerEnv { get; } = new("--server-env")
    {
        Description = "KEY=VALUE environment for the ChatterWeb the bench starts (e.g. Chatter__Realtime__SendQueueFrames=1024).",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<int> Instances { get; } = new("--instances")
    {
        Description = "Without --url: how many ChatterWeb instances the bench starts. More than one share one database (the SQLite file, or the PostgreSQL database with --database postgresql) and a redis-server the bench starts too (the scale-out path: messages cross Redis between instances).",
        DefaultValueFactory = _ => 1,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Range(Instances, 1, 8));
        Database.AcceptOnlyFromAmong(Sqlite, PostgreSql);
        command.Options.Add(Database);
        command.Options.Add(Url);
        command.Options.Add(ServerPid);
        command.Options.Add(Db);
        command.Options.Add(Smoke);
        command.Options.Add(Out);
        command.Options.Add(ServerConfiguration);
        command.Options.Add(ServerEnv);
        command.Validators.Add(result =>
        {
            foreach (var url in result.GetValue(Url) ?? [])
            {
                if (!Loopback.TryParse(url, out _, out var error))
                    result.AddError(error!);
            }
            if (result.GetResult(Database) is { Implicit: false } && (result.GetValue(Url) ?? []).Length > 0)
                result.AddError("--database chooses the database of the servers the bench starts; with --url the servers have their own");
            foreach (var kv in result.GetValue(ServerEnv) ?? [])
            {
                if (!kv.Contains('=', StringComparison.Ordinal))
                    result.AddError($"--server-env '{kv}' is not KEY=VALUE");
            }
        });
    }

    public CommonSettings Bind(ParseResult parse, string scenario)
    {
        var urls = (parse.GetValue(Url) ?? []).Select(u => Loopback.TryParse(u, out var uri, out var error) ? uri! : throw new ArgumentException(error)).ToList();
        var root = RepositoryRoot.Find(Directory.GetCurrentDirectory(), AppContext.BaseDirectory); // the working directory's repository first
        var smoke = parse.GetValue(Smoke);
        var outDir = parse.GetValue(Out) is { Length: > 0 } o
            ? Path.GetFullPath(o)
            : Path.Combine(root, "artifacts", smoke ? "bench-smoke" : "bench");
        var env = (parse.GetValue(ServerEnv) ?? []).Select(kv => kv.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var commandLine = "dotnet run -c Release --project ChatterWeb.Bench -- " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Select(Quote));
        return new CommonSettings(urls, parse.GetValue(ServerPid) ?? [], parse.GetValue(Db), root, parse.GetValue(ServerConfiguration)!, env, parse.GetValue(Instances), smoke, outDir, commandLine, Database: parse.GetValue(Database)!);
    }

    /// <summary>The option's value, or <paramref name="smokeDefault"/> when running <c>--smoke</c> and the option was not given.</summary>
    public static T Pick<T>(ParseResult parse, Option<T> option, bool smoke, T smokeDefault)
    {
        var given = parse.GetResult(option) is { Implicit: false };
        return smoke && !given ? smokeDefault : parse.GetValue(option)!;
    }

    /// <summary>
    /// A list option's values, given as <c>0,10000</c>, <c>0 10000</c> or both, each within
    /// [<paramref name="min"/>, <paramref name="max"/>]. Anything else (not a number, out of range, no
    /// value) is a parse error that says so: the command prints it with its usage and exits 1.
    /// </summary>
    public static T[] NumberList<T>(ArgumentResult result, T min, T max) where T : struct, IParsable<T>, IComparable<T>
    {
        var values = new List<T>();
        foreach (var token in result.Tokens)
        {
            foreach (var part in token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!T.TryParse(part, CultureInfo.InvariantCulture, out var value) || value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
                {
                    result.AddError($"{OptionName(result)}'{part}' is not a whole number from {min} to {max}: give the list as 1,8 or 1 8");
                    return [];
                }
                values.Add(value);
            }
        }
        if (values.Count == 0)
            result.AddError($"{OptionName(result)}give at least one value, as 1,8 or 1 8");
        return [.. values];
    }

    private static string OptionName(ArgumentResult result) => result.Parent is OptionResult option ? option.Option.Name + ": " : "";

    /// <summary>Adds a range check to a numeric option (a value that is not a number is the parser's own error).</summary>
    public static Option<T> Range<T>(Option<T> option, T min, T max) where T : IComparable<T>
    {
        option.Validators.Add(result =>
        {
            if (TryValue(result.GetValueOrDefault<T>, out var value) && (value.CompareTo(min) < 0 || value.CompareTo(max) > 0))
                result.AddError($"{option.Name} must be between {min} and {max}");
        });
        return option;
    }

    /// <summary>
    /// An option's value in a command's validator: its default when it was not given (the command's
    /// validators run before defaults are filled in, and would read 0), or false when the parser could
    /// not convert it (it reports that error itself; asking for the value would throw).
    /// </summary>
    public static bool TryValue<T>(CommandResult result, Option<T> option, out T value) =>
        result.GetResult(option) is null && option.HasDefaultValue
            ? TryValue(() => (T)option.GetDefaultValue()!, out value)
            : TryValue(() => result.GetValue(option)!, out value);

    private static bool TryValue<T>(Func<T> get, out T value)
    {
        try
        {
            value = get();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    private static string Quote(string arg) => arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./:=,@%+".Contains(c)) ? arg : $"'{arg.Replace("'", "'\\''")}'";
}
