using System.CommandLine;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using ChatterWeb.Bench.Client;
using ChatterWeb.Bench.Measure;
using ChatterWeb.Bench.Results;

namespace ChatterWeb.Bench.Scenarios;

/// <summary>
/// <c>page</c>: the room page (<c>/rooms/{slug}</c> with its newest 50 messages) under N concurrent
/// signed-in clients in a closed loop (one level after another, e.g. 1 then 8): requests/s and latency. And what a first visit transfers: the
/// page plus every stylesheet and script it references, fetched with <c>Accept-Encoding: br, gzip</c>
/// and counted as they come over the wire (compressed bodies, headers approximated).
/// </summary>
public static partial class PageScenario
{
    public sealed record Settings(int[] Clients, int Users, double Duration, double Warmup, int Messages, int Photos = 0);

    /// <param name="Lazy">An image the page marks <c>loading="lazy"</c>: a browser fetches it only near the viewport.</param>
    public sealed record Resource(string Path, int Status, string? ContentType, string? ContentEncoding, long WireBytes, long HeaderBytes, long DecodedBytes, bool Lazy = false);

    public static Command Build(CommonOptions common)
    {
        var clients = new Option<int[]>("--clients")
        {
            Description = "Concurrency levels, run one after the other (e.g. 1,8): that many clients, each requesting the page again as soon as it has the last one.",
            DefaultValueFactory = _ => [1, 8],
            AllowMultipleArgumentsPerToken = true,
            CustomParser = r => CommonOptions.NumberList(r, 1, 512),
        };
        var users = CommonOptions.Range(new Option<int>("--users") { Description = "Distinct signed-in people the clients are spread over.", DefaultValueFactory = _ => 8 }, 1, 512);
        var duration = CommonOptions.Range(new Option<double>("--duration") { Description = "Seconds of requests per concurrency level.", DefaultValueFactory = _ => 10 }, 0.5, 600);
        var warmup = CommonOptions.Range(new Option<double>("--warmup") { Description = "Seconds of unmeasured requests first.", DefaultValueFactory = _ => 3 }, 0, 120);
        var messages = CommonOptions.Range(new Option<int>("--messages") { Description = "Messages posted to the room first (the page shows the newest 50).", DefaultValueFactory = _ => 50 }, 0, 10_000);
        var photos = CommonOptions.Range(new Option<int>("--photos") { Description = "How many of those messages are phone photos (4032x3024 JPEG at quality 90, about 1.1 MB), uploaded and spread evenly.", DefaultValueFactory = _ => 0 }, 0, 1_000);

        var command = new Command("page", "Room page requests/s and latency with N concurrent clients; total compressed transfer of a first visit.");
        foreach (var o in new Option[] { clients, users, duration, warmup, messages, photos })
            command.Options.Add(o);
        common.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var c = common.Bind(parse, "page");
            var s = new Settings(
                CommonOptions.Pick(parse, clients, c.Smoke, [1, 4]),
                CommonOptions.Pick(parse, users, c.Smoke, 2),
                CommonOptions.Pick(parse, duration, c.Smoke, 2.0),
                CommonOptions.Pick(parse, warmup, c.Smoke, 1.0),
                parse.GetValue(messages),
                parse.GetValue(photos));
            if (s.Photos > s.Messages)
                throw new ArgumentException("--photos: at most as many as --messages");
            s = s with { Users = Math.Min(s.Users, s.Clients.Max()) };
            return await ScenarioHost.RunAsync(c, "page", $"page: the room page with {string.Join(" and ", s.Clients)} concurrent clients", (context, token) => RunAsync(context, s, token), ct);
        });
        return command;
    }

    private static async Task RunAsync(ScenarioContext context, Settings s, CancellationToken ct)
    {
        var (targets, report) = (context.Targets, context.Report);
        report.Parameter("concurrent clients", string.Join(", ", s.Clients)).Parameter("distinct users", s.Users).Parameter("duration s", s.Duration)
            .Parameter("warm-up s", s.Warmup).Parameter("messages in the room", s.Messages).Parameter("of which photos", s.Photos).Parameter("instances", string.Join(", ", targets.Instances));
        report.Data["settings"] = s;

        var runId = Population.NewRunId();
        var users = await Population.SignUpAsync(targets, s.Users, runId, parallel: 4, ct);
        var slug = (await Population.CreateRoomsAsync(users[0], 1, runId, ct))[0];
        var photoBytes = await PostRoomAsync(targets.Instances[0], slug, users[0], s.Messages, s.Photos, ct);
        var path = $"/rooms/{slug}";

        // --- what a first visit transfers
        var resources = await FirstVisitAsync(targets.Instances[0], users[0], path, ct);
        var transfer = new Table("First visit: what the browser downloads (Accept-Encoding: br, gzip)",
            "resource", "status", "encoding", "body bytes on the wire", "headers (approx.)", "decoded bytes");
        foreach (var r in resources)
            transfer.Add(r.Path, r.Status, r.ContentEncoding ?? "none", r.WireBytes, r.HeaderBytes, r.DecodedBytes);
        var wireTotal = resources.Sum(r => r.WireBytes);
        var withHeaders = wireTotal + resources.Sum(r => r.HeaderBytes);
        transfer.Add("total", "", "", wireTotal, resources.Sum(r => r.HeaderBytes), resources.Sum(r => r.DecodedBytes));
        report.Data["resources"] = resources;

        // --- load: at each concurrency, every client asks for the page again as soon as it has the previous one
        var https = Enumerable.Range(0, s.Clients.Max()).Select(i => NewClient(targets.InstanceFor(i), users[i % s.Users])).ToList();
        var result = new Table("Result", "concurrent clients", "requests/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "requests", "failed", "body bytes/response", "server CPU µs/request");
        var phases = new List<object>();
        var curves = new List<(string, List<(double, double)>)>();
        var counts = new LoadCounts();
        foreach (var n in s.Clients)
        {
            var clients = https.Take(n).ToList();
            if (s.Warmup > 0)
            {
                using (Progress.Start("warm-up", () => $"{n} clients"))
                    await LoadAsync(clients, path, s.Warmup, null, ct);
            }
            var latency = new LatencyRecorder();
            var phase = new LoadCounts();
            var serverCpu0 = targets.ServerCpu();
            var clock = Stopwatch.StartNew();
            using (Progress.Start($"{n} clients", () => $"{Interlocked.Read(ref phase.Ok):N0} ok, {Interlocked.Read(ref phase.Failed):N0} failed"))
                await LoadAsync(clients, path, s.Duration, (latency, phase), ct);
            var seconds = clock.Elapsed.TotalSeconds;
            var cpu = targets.ServerCpu() - serverCpu0;
            latency.Tick(seconds);
            var l = latency.Summary();
            var ok = phase.Ok;
            result.Add(n, ok / seconds, l.P50, l.P90, l.P99, l.Max, ok, phase.Failed,
                ok > 0 ? phase.Bytes / (double)ok : 0,
                cpu is { } c && ok > 0 ? c.TotalMilliseconds * 1000 / ok : null);
            phases.Add(new { clients = n, requestsPerSecond = ok / seconds, latency = l, ok, failed = phase.Failed, phase.FirstFailure, bytes = phase.Bytes, serverCpuSeconds = cpu?.TotalSeconds });
            curves.Add(($"{n} client{(n == 1 ? "" : "s")} ({ok / seconds:N0} req/s)", LatencyRecorder.PercentileCurve(latency.Total)));
            counts.Failed += phase.Failed;
            counts.FirstFailure ??= phase.FirstFailure;
        }
        foreach (var h in https)
            h.Dispose();
        foreach (var u in users)
            u.Dispose();

        report.Tables.Add(result);
        report.Tables.Add(transfer);
        report.Data["phases"] = phases;
        report.Data["transfer"] = new { bodyBytes = wireTotal, bodyAndHeaderBytes = withHeaders };
        report.Notes.Add($"First visit total: {wireTotal / 1000.0:0.0} KB of compressed bodies ({withHeaders / 1000.0:0.0} KB with response headers), page + {resources.Count - 1} referenced files; the WebSocket handshake and its first frames are not counted.");
        var lazy = resources.Where(r => r.Lazy).ToList();
        if (lazy.Count > 0)
        {
            var eager = resources.Where(r => !r.Lazy).Sum(r => r.WireBytes);
            report.Data["transferWithoutLazyImages"] = eager;
            report.Notes.Add($"Of that, {lazy.Count} images are thumbnails marked loading=\"lazy\" ({lazy.Sum(r => r.WireBytes) / 1000.0:0.0} KB, {lazy.Average(r => r.WireBytes) / 1000.0:0.0} KB each): " +
                             $"the total counts every one of them, as if all were scrolled into view; without them the visit is {eager / 1000.0:0.0} KB. " +
                             $"The {s.Photos} photos uploaded were {photoBytes / 1000.0:N0} KB together.");
        }
        report.Notes.Add("Requests are closed-loop (each client waits for its previous response), signed in, with Accept-Encoding: br, gzip; latency is to the last byte of the compressed body. " +
                         "With one client the latency is the page's own; with more it includes waiting for the two cores.");
        report.Plots.Add(Plotter.Percentiles(context.OutputDirectory, "page-latency.png", "room page latency (GET /rooms/{slug}, 50 messages)", curves));

        if (counts.Failed > 0) report.Fail($"{counts.Failed} page requests failed (first: {counts.FirstFailure})");
        foreach (var r in resources.Where(r => r.Status != 200))
            report.Fail($"{r.Path} answered {r.Status}");
    }

    private sealed class LoadCounts
    {
        public long Ok;
        public long Failed;
        public long Bytes;
        public string? FirstFailure;
    }

    private static HttpClient NewClient(Uri instance, ChatClient user)
    {
        var http = ChatClient.NewHttp(instance, user.Cookies, maxConnections: 1);
        http.DefaultRequestHeaders.AcceptEncoding.ParseAdd("br");
        http.DefaultRequestHeaders.AcceptEncoding.ParseAdd("gzip");
        return http;
    }

    private static async Task LoadAsync(List<HttpClient> clients, string path, double seconds, (LatencyRecorder Latency, LoadCounts Counts)? measure, CancellationToken ct)
    {
        var end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        await Task.WhenAll(clients.Select(async http =>
        {
            var buffer = new byte[64 * 1024];
            while (Stopwatch.GetTimestamp() < end && !ct.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
                    await using var body = await response.Content.ReadAsStreamAsync(ct);
                    long bytes = 0;
                    int n;
                    while ((n = await body.ReadAsync(buffer, ct)) > 0)
                        bytes += n;
                    if (measure is not { } m)
                        continue;
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        m.Latency.RecordStopwatchTicks(Stopwatch.GetTimestamp() - started);
                        Interlocked.Increment(ref m.Counts.Ok);
                        Interlocked.Add(ref m.Counts.Bytes, bytes);
                    }
                    else
                    {
                        Interlocked.Increment(ref m.Counts.Failed);
                        Interlocked.CompareExchange(ref m.Counts.FirstFailure, $"HTTP {(int)response.StatusCode}", null);
                    }
                }
                catch (HttpRequestException e) when (measure is { } m)
                {
                    Interlocked.Increment(ref m.Counts.Failed);
                    Interlocked.CompareExchange(ref m.Counts.FirstFailure, e.Message, null);
                }
            }
        }));
    }

    /// <summary>The page, then each stylesheet, script and icon it references, as compressed bytes on the wire.</summary>
    private static async Task<List<Resource>> FirstVisitAsync(Uri instance, ChatClient user, string path, CancellationToken ct)
    {
        using var http = NewClient(instance, user);
        var resources = new List<Resource>();
        var (page, html) = await FetchAsync(http, path, ct);
        resources.Add(page);
        var lazy = LazyImageRegex().Matches(html).Select(m => m.Groups["url"].Value).ToHashSet(StringComparer.Ordinal);
        foreach (var reference in References(html).Distinct())
        {
            if (!reference.StartsWith('/') || reference.StartsWith("//", StringComparison.Ordinal))
                continue; // same-origin files only; ChatterWeb loads nothing from elsewhere
            resources.Add((await FetchAsync(http, WebUtility.HtmlDecode(reference), ct)).Resource with { Lazy = lazy.Contains(reference) });
        }
        return resources;
    }

    private static async Task<(Resource Resource, string Decoded)> FetchAsync(HttpClient http, string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, ct);
        var wire = await response.Content.ReadAsByteArrayAsync(ct);
        var encoding = response.Content.Headers.ContentEncoding.FirstOrDefault();
        byte[] decoded;
        using (var input = new MemoryStream(wire))
        using (var output = new MemoryStream())
        {
            Stream decoder = encoding switch
            {
                "br" => new BrotliStream(input, CompressionMode.Decompress),
                "gzip" => new GZipStream(input, CompressionMode.Decompress),
                _ => input,
            };
            await decoder.CopyToAsync(output, ct);
            decoded = output.ToArray();
        }
        var headerBytes = $"HTTP/1.1 {(int)response.StatusCode} {response.ReasonPhrase}\r\n".Length
            + response.Headers.Concat(response.Content.Headers).Sum(h => h.Key.Length + 2 + string.Join(", ", h.Value).Length + 2) + 2;
        var resource = new Resource(path.Split('?')[0], (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, encoding, wire.Length, headerBytes, decoded.Length);
        return (resource, System.Text.Encoding.UTF8.GetString(decoded));
    }

    private static IEnumerable<string> References(string html) =>
        ReferenceRegex().Matches(html).Select(m => m.Groups["url"].Value);

    [GeneratedRegex("<(?:link[^>]*\\bhref|script[^>]*\\bsrc|img[^>]*\\bsrc)=\"(?<url>[^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ReferenceRegex();

    [GeneratedRegex("<img[^>]*\\bsrc=\"(?<url>[^\"]+)\"[^>]*\\bloading=\"lazy\"", RegexOptions.IgnoreCase)]
    private static partial Regex LazyImageRegex();

    /// <summary>
    /// Fills the room: <paramref name="count"/> messages, <paramref name="photos"/> of them photos uploaded
    /// through the attach form's endpoint, spread evenly (the newest message is a photo when there are
    /// any). Returns the bytes of the photos sent.
    /// </summary>
    private static async Task<long> PostRoomAsync(Uri instance, string slug, ChatClient user, int count, int photos, CancellationToken ct)
    {
        if (photos == 0)
        {
            await PostMessagesAsync(instance, slug, user, count, ct);
            return 0;
        }
        long sent = 0;
        var texts = count - photos;
        var posted = 0;
        for (var p = 0; p < photos; p++)
        {
            // Text messages before this photo: what is due by now, so photos end up evenly spaced.
            var due = (int)((long)texts * (p + 1) / photos) - posted;
            await PostMessagesAsync(instance, slug, user, due, ct);
            posted += due;
            var photo = Photos.Jpeg(seed: p + 1);
            sent += photo.Length;
            await UploadAsync(user, slug, photo, $"IMG_{p + 1:0000}.jpg", ct);
        }
        return sent;
    }

    private static async Task UploadAsync(ChatClient user, string slug, byte[] photo, string name, CancellationToken ct)
    {
        var page = await user.Http.GetStringAsync($"/rooms/{slug}", ct);
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(WebUtility.HtmlDecode(token.Groups[1].Value)), "__RequestVerificationToken" },
            { new StringContent(Guid.NewGuid().ToString()), "clientMessageId" },
            { new ByteArrayContent(photo), "file", name },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/rooms/{slug}/attachments") { Content = form };
        request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        using var response = await user.Http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"uploading {name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
    }

    /// <summary>Posts messages through one socket (the real path) and waits for every acknowledgement.</summary>
    internal static async Task PostMessagesAsync(Uri instance, string slug, ChatClient user, int count, CancellationToken ct)
    {
        if (count == 0)
            return;
        var acks = new AckSink();
        await using var socket = await BenchSocket.ConnectAsync(0, instance, slug, user.Cookies, acks, TimeSpan.FromSeconds(30), ct);
        var url = $"{instance.ToString().TrimEnd('/')}/rooms/{slug}";
        for (var i = 0; i < count; i++)
            socket.Send(Wire.MessageFrame($"Message {i + 1}: a line of ordinary team chat, about as long as most of them are.", url));
        var deadline = Stopwatch.StartNew();
        while (Interlocked.Read(ref acks.Acks) + Interlocked.Read(ref acks.Errors) < count)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                throw new TimeoutException($"only {acks.Acks} of {count} messages were acknowledged");
            await Task.Delay(50, ct);
        }
        if (acks.Errors > 0)
            throw new InvalidOperationException($"{acks.Errors} of {count} messages were refused");
    }

    private sealed class AckSink : IFrameSink
    {
        public long Acks;
        public long Errors;

        public void OnFrame(BenchSocket socket, ReadOnlySpan<byte> frame, long receivedAt)
        {
            var contents = Wire.Read(frame);
            Interlocked.Add(ref Acks, contents.Acks);
            Interlocked.Add(ref Errors, contents.Errors);
        }

        public void OnClosed(BenchSocket socket, WebSocketCloseStatus? status, Exception? error) { }
    }
}
