using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatterWeb.Bench.Results;

/// <summary>Writes a report as <c>&lt;scenario&gt;.json</c> (everything) and <c>&lt;scenario&gt;.md</c> (tables and plots).</summary>
public static class ResultWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static (string Json, string Markdown) Write(Report report, string directory)
    {
        Directory.CreateDirectory(directory);
        var jsonPath = Path.Combine(directory, report.Scenario + ".json");
        var mdPath = Path.Combine(directory, report.Scenario + ".md");
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(report, Json) + "\n");
        File.WriteAllText(mdPath, Markdown(report));
        return (jsonPath, mdPath);
    }

    public static string Markdown(Report r)
    {
        var md = new StringBuilder();
        md.AppendLine($"# {r.Title}").AppendLine();
        md.AppendLine($"Measured {r.When:yyyy-MM-dd HH:mm} UTC against {r.Target}.").AppendLine();
        md.AppendLine("```sh").AppendLine(r.Command).AppendLine("```").AppendLine();
        md.AppendLine($"Machine: {r.Machine.Cores} cores ({r.Machine.CpuModel}), {r.Machine.MemoryGiB} GiB RAM, {r.Machine.Os}, {r.Machine.Runtime}; " +
                      $"open files {r.Machine.OpenFileLimit}; load average at start {r.Machine.LoadAverageAtStart}. " +
                      "The load generator runs on the same machine as the server.").AppendLine();
        if (r.Parameters.Count > 0)
        {
            md.AppendLine("| parameter | value |").AppendLine("|---|---|");
            foreach (var (k, v) in r.Parameters)
                md.AppendLine($"| {Cell(k)} | {Cell(v)} |");
            md.AppendLine();
        }
        foreach (var t in r.Tables)
            md.Append(TableMarkdown(t)).AppendLine();
        foreach (var plot in r.Plots)
            md.AppendLine($"![{Path.GetFileNameWithoutExtension(plot)}]({plot})").AppendLine();
        if (r.Notes.Count > 0)
        {
            foreach (var n in r.Notes)
                md.AppendLine($"- {n}");
            md.AppendLine();
        }
        md.AppendLine(r.Passed ? "Checks: passed (no loss, duplicate, out-of-order delivery or failure)." : "Checks: FAILED");
        foreach (var f in r.Failures)
            md.AppendLine($"- {f}");
        return md.ToString();
    }

    public static string TableMarkdown(Table t)
    {
        var md = new StringBuilder();
        if (t.Title.Length > 0)
            md.AppendLine($"**{t.Title}**").AppendLine();
        md.AppendLine("| " + string.Join(" | ", t.Columns.Select(Cell)) + " |");
        md.AppendLine("|" + string.Join("|", t.Columns.Select((_, i) => i == 0 ? "---" : "---:")) + "|");
        foreach (var row in t.Rows)
            md.AppendLine("| " + string.Join(" | ", row.Select(Cell)) + " |");
        return md.ToString();
    }

    /// <summary>A plain-text rendering for the console.</summary>
    public static string Console(Table t)
    {
        var widths = t.Columns.Select((c, i) => Math.Max(c.Length, t.Rows.Count == 0 ? 0 : t.Rows.Max(r => i < r.Count ? r[i].Length : 0))).ToArray();
        var sb = new StringBuilder();
        if (t.Title.Length > 0)
            sb.AppendLine(t.Title);
        sb.AppendLine(string.Join("  ", t.Columns.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))));
        foreach (var row in t.Rows)
            sb.AppendLine(string.Join("  ", row.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))));
        return sb.ToString();
    }

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
