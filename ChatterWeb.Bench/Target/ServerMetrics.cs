using System.Net;

namespace ChatterWeb.Bench.Target;

/// <summary>
/// The server's own numbers, when it publishes them: a Prometheus <c>/metrics</c> page (off by
/// default, loopback-only). Lines about the GC, the process, Kestrel and ChatterWeb
/// itself are kept; null when no instance answers.
/// </summary>
public static class ServerMetrics
{
    private static readonly string[] Interesting = ["gc", "process_", "kestrel", "chatter", "dotnet_"];

    public static async Task<Dictionary<string, List<string>>?> TryReadAsync(TargetSet targets, CancellationToken ct)
    {
        var found = new Dictionary<string, List<string>>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var instance in targets.Instances)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(instance, "/metrics"), ct);
                if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType is not ("text/plain" or "application/openmetrics-text"))
                    continue;
                var lines = (await response.Content.ReadAsStringAsync(ct)).Split('\n')
                    .Where(line => !line.StartsWith('#') && Interesting.Any(k => line.Contains(k, StringComparison.OrdinalIgnoreCase)))
                    .Take(400).ToList();
                found[instance.ToString()] = lines;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // no metrics here
            }
        }
        return found.Count > 0 ? found : null;
    }

    /// <summary>The sum over instances of one sample (<c>name{labels} value</c>), or null when no instance has it.</summary>
    public static double? Value(Dictionary<string, List<string>>? metrics, string name)
    {
        if (metrics is null)
            return null;
        double? total = null;
        foreach (var lines in metrics.Values)
        {
            foreach (var line in lines)
            {
                if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is '{' or ' '
                    && double.TryParse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v))
                {
                    total = (total ?? 0) + v;
                    break;
                }
            }
        }
        return total;
    }
}
