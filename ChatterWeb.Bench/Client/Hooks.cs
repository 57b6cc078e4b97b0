using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatterWeb.Bench.Measure;

namespace ChatterWeb.Bench.Client;

/// <summary>
/// One incoming webhook per room, made the way a person makes one (the room's integrations page, as
/// the room's creator), and the POSTs that <c>fanout --via-webhook</c> sends to them: fire and forget
/// on the sender's timetable, each answer booked as the send's acknowledgement (200 <c>ok</c>) or error.
/// </summary>
public sealed partial class Hooks : IDisposable
{
    private readonly string[] _urls;
    private readonly HttpClient _http;

    private Hooks(string[] urls)
    {
        _urls = urls;
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = 256,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        { Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>A hook in each of <paramref name="slugs"/>, made by their creator.</summary>
    public static async Task<Hooks> CreateAsync(ChatClient creator, IReadOnlyList<string> slugs, CancellationToken ct)
    {
        var urls = new string[slugs.Count];
        for (var i = 0; i < slugs.Count; i++)
        {
            var page = $"/rooms/{slugs[i]}/integrations";
            using var response = await ChatClient.PostFormAsync(creator.Http, page, page + "?handler=Create", [KeyValuePair.Create("name", $"Bench hook {i}")], ct);
            var html = await response.Content.ReadAsStringAsync(ct);
            var url = HookUrl().Match(html);
            if (response.StatusCode != HttpStatusCode.OK || !url.Success)
                throw new InvalidOperationException($"making the webhook of {slugs[i]} failed: {(int)response.StatusCode}");
            urls[i] = WebUtility.HtmlDecode(url.Groups[1].Value);
        }
        return new Hooks(urls);
    }

    /// <summary>POSTs <c>{"text": body}</c> to room <paramref name="room"/>'s hook without waiting; the answer goes to <paramref name="ledger"/>.</summary>
    public void Post(int room, string body, Guid clientMessageId, DeliveryLedger ledger)
    {
        var json = JsonSerializer.Serialize(new { text = body });
        var request = new HttpRequestMessage(HttpMethod.Post, _urls[room]) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        _ = SendAsync(request, clientMessageId, ledger);
    }

    private async Task SendAsync(HttpRequestMessage request, Guid clientMessageId, DeliveryLedger ledger)
    {
        try
        {
            using (request)
            using (var response = await _http.SendAsync(request))
            {
                var received = Stopwatch.GetTimestamp();
                ledger.Answered(clientMessageId, received, response.StatusCode == HttpStatusCode.OK ? null : $"hook answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
        catch (Exception e)
        {
            ledger.Answered(clientMessageId, Stopwatch.GetTimestamp(), "hook POST failed: " + e.Message);
        }
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("id=\"hook-url\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex HookUrl();
}
