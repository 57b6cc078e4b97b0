namespace ChatterWeb.Bench.Results;

/// <summary>A table in a report: a title, column headings, and rows of already formatted cells.</summary>
public sealed record Table(string Title, IReadOnlyList<string> Columns, List<IReadOnlyList<string>> Rows)
{
    public Table(string title, params string[] columns) : this(title, columns, []) { }

    public Table Add(params object?[] cells)
    {
        Rows.Add(cells.Select(Format).ToList());
        return this;
    }

    public static string Format(object? value) => value switch
    {
        null => "n/a",
        double d when double.IsNaN(d) => "n/a",
        double d => d.ToString(Math.Abs(d) >= 100 ? "N0" : Math.Abs(d) >= 10 ? "0.0" : "0.00", System.Globalization.CultureInfo.InvariantCulture),
        long l => l.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
        int i => i.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        _ => value.ToString() ?? "",
    };
}

/// <summary>
/// Everything one scenario run says: what ran where (command, machine, target, parameters), the
/// tables and plots, notes, whether the smoke checks passed, and the raw figures for the JSON.
/// </summary>
public sealed class Report
{
    public required string Scenario { get; init; }
    public required string Title { get; init; }
    public DateTimeOffset When { get; init; } = DateTimeOffset.UtcNow;
    public required string Command { get; init; }
    public required MachineInfo Machine { get; init; }
    public required string Target { get; init; }
    /// <summary>Inputs of the run, in the order given (a Dictionary keeps insertion order when nothing is removed).</summary>
    public Dictionary<string, string> Parameters { get; } = [];
    public List<Table> Tables { get; } = [];
    public List<string> Plots { get; } = [];
    public List<string> Notes { get; } = [];
    public List<string> Failures { get; } = [];
    public bool Passed => Failures.Count == 0;

    /// <summary>The raw figures (serialised into the JSON as they are).</summary>
    public Dictionary<string, object?> Data { get; } = [];

    public Report Parameter(string name, object? value)
    {
        Parameters[name] = Table.Format(value);
        return this;
    }

    public void Fail(string why) => Failures.Add(why);
}
