using ScottPlot;

namespace ChatterWeb.Bench.Results;

/// <summary>The PNG plots of docs/benchmarks/, drawn with ScottPlot. Each returns the file name it wrote.</summary>
public static class Plotter
{
    private const int Width = 900;
    private const int Height = 500;

    public sealed record Series(string Label, double[] Xs, double[] Ys, bool RightAxis = false);

    /// <summary>
    /// Latency by percentile, the HdrHistogram way: the x axis stretches the tail
    /// (position = -log10(1 - p), so 90%, 99%, 99.9% are evenly spaced).
    /// </summary>
    public static string Percentiles(string directory, string file, string title, IEnumerable<(string Label, List<(double Percentile, double Ms)> Points)> series)
    {
        var plt = new Plot();
        var maxX = 1.0;
        foreach (var (label, points) in series)
        {
            if (points.Count == 0)
                continue;
            // The 100% point (the maximum) is drawn just past the last finite percentile.
            var xs = points.Select(p => TailPosition(p.Percentile)).ToArray();
            var lastFinite = xs.Length > 1 ? xs[^2] : 0;
            xs[^1] = Math.Max(lastFinite + 0.25, 1);
            var ys = points.Select(p => p.Ms).ToArray();
            var line = plt.Add.Scatter(xs, ys);
            line.LegendText = label;
            line.MarkerSize = 0;
            line.LineWidth = 2;
            maxX = Math.Max(maxX, xs[^1]);
        }
        string[] labels = ["0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"];
        var ticks = Enumerable.Range(0, Math.Min(labels.Length, (int)Math.Ceiling(maxX) + 1)).ToArray();
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.Select(t => (double)t).ToArray(), ticks.Select(t => labels[t]).ToArray());
        plt.Axes.SetLimitsX(0, Math.Max(1, Math.Ceiling(maxX)));
        plt.Axes.SetLimitsY(0, double.NaN);
        plt.Title(title);
        plt.XLabel("percentile");
        plt.YLabel("latency (ms)");
        plt.ShowLegend(Alignment.UpperLeft);
        return Save(plt, directory, file);
    }

    private static double TailPosition(double percentile) => percentile >= 100 ? 6 : Math.Min(6, -Math.Log10(1 - percentile / 100.0));

    /// <summary>Lines over a shared x axis; series marked <see cref="Series.RightAxis"/> use the right-hand y axis.</summary>
    public static string Lines(string directory, string file, string title, string xLabel, string yLabel, string? rightLabel, IReadOnlyList<Series> series)
    {
        var plt = new Plot();
        foreach (var s in series)
        {
            if (s.Xs.Length == 0)
                continue;
            var line = plt.Add.Scatter(s.Xs, s.Ys);
            line.LegendText = s.Label;
            line.LineWidth = 2;
            line.MarkerSize = s.Xs.Length <= 30 ? 6 : 0;
            if (s.RightAxis)
                line.Axes.YAxis = plt.Axes.Right;
        }
        plt.Title(title);
        plt.XLabel(xLabel);
        plt.YLabel(yLabel);
        plt.Axes.AutoScale();
        plt.Axes.SetLimitsY(0, Math.Max(1, plt.Axes.GetLimits().Top * 1.1));
        if (rightLabel is not null)
        {
            plt.Axes.Right.Label.Text = rightLabel;
            var right = series.Where(s => s.RightAxis).SelectMany(s => s.Ys).DefaultIfEmpty(1).Max();
            plt.Axes.SetLimitsY(0, Math.Max(1, right * 1.1), plt.Axes.Right);
        }
        plt.ShowLegend(Alignment.UpperLeft);
        return Save(plt, directory, file);
    }

    /// <summary>
    /// Grouped bars on a log10 scale (values in ms spanning orders of magnitude, e.g. keyset vs OFFSET):
    /// one group per category, one bar per series.
    /// </summary>
    public static string LogBars(string directory, string file, string title, string yLabel, string[] categories, IReadOnlyList<(string Label, double[] Values)> series)
    {
        var plt = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var width = 0.8 / Math.Max(1, series.Count);
        var all = series.SelectMany(s => s.Values).Where(v => v > 0).DefaultIfEmpty(1).ToArray();
        var floor = Math.Floor(Math.Log10(all.Min())) - 0.3;
        var top = Math.Ceiling(Math.Log10(all.Max()));
        var bars = new List<Bar>();
        for (var si = 0; si < series.Count; si++)
        {
            var color = palette.GetColor(si);
            for (var c = 0; c < categories.Length && c < series[si].Values.Length; c++)
            {
                var v = series[si].Values[c];
                if (v <= 0 || double.IsNaN(v))
                    continue;
                bars.Add(new Bar
                {
                    Position = c + (si - (series.Count - 1) / 2.0) * width,
                    ValueBase = floor,
                    Value = Math.Log10(v),
                    FillColor = color,
                    Size = width * 0.95,
                    Label = v >= 100 ? v.ToString("0") : v >= 10 ? v.ToString("0.0") : v.ToString("0.00"),
                });
            }
            plt.Legend.ManualItems.Add(new LegendItem { LabelText = series[si].Label, FillColor = color });
        }
        var barPlot = plt.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 11;
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, categories.Length).Select(i => (double)i).ToArray(), categories);
        var decades = Enumerable.Range((int)Math.Floor(floor), (int)(top - Math.Floor(floor)) + 1).Select(d => (double)d).ToArray();
        plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(decades, decades.Select(d => Math.Pow(10, d).ToString("0.###")).ToArray());
        plt.Axes.SetLimitsY(floor, top + 0.9); // headroom for the legend
        plt.Title(title);
        plt.YLabel(yLabel + " (log scale)");
        plt.ShowLegend(Alignment.UpperLeft);
        return Save(plt, directory, file);
    }

    private static string Save(Plot plt, string directory, string file)
    {
        Directory.CreateDirectory(directory);
        plt.SavePng(Path.Combine(directory, file), Width, Height);
        return file;
    }
}
