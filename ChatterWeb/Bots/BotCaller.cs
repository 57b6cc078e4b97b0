using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ChatterWeb.Data;
using ChatterWeb.Integrations;
using ChatterWeb.Messages;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ChatterWeb.Bots;

/// <summary>
/// One call of a bot's outgoing webhook, start to log line: the allow-list check, the signed POST
/// through the resilient client (<see cref="BotsExtensions"/>: attempt timeout, retries with backoff,
/// a circuit breaker per host, no redirects), the reply (<c>{"text": …}</c>, read within the timeout)
/// posted as the bot through the one post path, and the line in the bot's delivery log.
/// </summary>
public sealed partial class BotCaller(
    IHttpClientFactory clients, IServiceScopeFactory scopes, BotSecrets secrets, IOptionsMonitor<BotOptions> options,
    TimeProvider time, ILogger<BotCaller> logger)
{
    public const string ClientName = "ChatterWeb.Bots";

    public async Task CallAsync(BotTarget bot, string? command, BotTrigger trigger, CancellationToken stop)
    {
        var o = options.CurrentValue;
        var started = time.GetTimestamp();
        var line = new BotDelivery
        {
            BotId = bot.BotId,
            RoomId = trigger.Room.Id,
            Seq = trigger.Message.Seq,
            Trigger = command is null ? "mention" : "/" + command,
            CreatedAt = time.GetUtcNow(),
        };
        if (!Uri.TryCreate(bot.Url, UriKind.Absolute, out var url) || !AllowedHosts.Allows(o.AllowedHosts, url))
        {
            line.Outcome = BotDeliveryOutcome.HostNotAllowed;
            line.Detail = $"Not called: {(url is null ? "the URL is not absolute" : url.Authority + " is not on Chatter:Integrations:AllowedHosts")}.";
            await WriteAsync(line, started, 0);
            return;
        }

        string secret;
        try
        {
            secret = secrets.Unprotect(bot.ProtectedSecret);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            line.Outcome = BotDeliveryOutcome.Failed;
            line.Detail = "Not called: its secret cannot be read (the data-protection keys changed?). Give it a new secret.";
            await WriteAsync(line, started, 0);
            return;
        }
        var body = BotPayload.Write(bot, command, trigger, o.PublicUrl);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, body));
        // The same on every retry of this call: a receiver that got it twice can tell.
        request.Headers.Add(WebhookSignature.DeliveryHeader, $"{bot.BotId}-{trigger.Room.Id}-{trigger.Message.Seq}");
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("ChatterWeb-Bots", "1"));
        var attempts = new StrongBox<int>();
        request.Options.Set(AttemptCounter.Key, attempts);

        string? reply = null;
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
            line.StatusCode = (int)response.StatusCode;
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                line.Outcome = BotDeliveryOutcome.Failed;
                line.Detail = $"Answered {(int)response.StatusCode} to {response.Headers.Location}: redirects are not followed.";
            }
            else if (!response.IsSuccessStatusCode)
            {
                line.Outcome = BotDeliveryOutcome.Failed;
                line.Detail = $"Answered {(int)response.StatusCode} {response.ReasonPhrase}.";
            }
            else
            {
                (reply, line.Detail) = await ReadReplyAsync(response, o, stop);
                line.Outcome = BotDeliveryOutcome.Delivered;
            }
        }
        catch (BrokenCircuitException)
        {
            line.Outcome = attempts.Value == 0 ? BotDeliveryOutcome.CircuitOpen : BotDeliveryOutcome.Failed;
            line.Detail = attempts.Value == 0
                ? $"Not called: calls to {url.Authority} kept failing, so none is made for a while (circuit breaker open)."
                : $"Failed, and calls to {url.Authority} are paused for a while (circuit breaker opened).";
        }
        catch (TimeoutRejectedException)
        {
            line.Outcome = BotDeliveryOutcome.Failed;
            line.Detail = $"No answer within {o.BotTimeout.TotalSeconds:0.###} s.";
        }
        catch (HttpRequestException e)
        {
            line.Outcome = BotDeliveryOutcome.Failed;
            line.Detail = "Could not be sent: " + e.Message;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return; // shutting down
        }
        catch (Exception e)
        {
            line.Outcome = BotDeliveryOutcome.Failed;
            line.Detail = "Could not be sent: " + e.Message;
        }

        if (reply is not null)
        {
            try
            {
                line.ReplySeq = await PostReplyAsync(bot, trigger, reply, stop);
                line.Outcome = line.ReplySeq is null ? BotDeliveryOutcome.Delivered : BotDeliveryOutcome.Replied;
                if (line.ReplySeq is null)
                    line.Detail = "The reply was refused by the room (is the bot still a member?).";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReplyFailed(e, bot.BotId);
                line.Detail = "The reply could not be posted.";
            }
        }
        await WriteAsync(line, started, attempts.Value);
    }

    /// <summary>The reply's text, or null with what the log should say about the answer.</summary>
    private static async Task<(string? Reply, string? Detail)> ReadReplyAsync(HttpResponseMessage response, BotOptions o, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(o.BotTimeout);
        byte[] bytes;
        try
        {
            if (response.Content.Headers.ContentLength > o.BotMaxReplyBytes)
                return (null, $"The answer is longer than {o.BotMaxReplyBytes:N0} bytes: nothing posted.");
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            using var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await stream.ReadAsync(chunk, timeout.Token)) > 0)
            {
                if (buffer.Length + read > o.BotMaxReplyBytes)
                    return (null, $"The answer is longer than {o.BotMaxReplyBytes:N0} bytes: nothing posted.");
                buffer.Write(chunk, 0, read);
            }
            bytes = buffer.ToArray();
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return (null, $"The answer's body did not end within {o.BotTimeout.TotalSeconds:0.###} s: nothing posted.");
        }
        catch (HttpRequestException e)
        {
            return (null, "The answer's body broke off: " + e.Message);
        }
        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
            return (null, null);
        try
        {
            using var json = JsonDocument.Parse(bytes);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("text", out var text)
                && text.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(text.GetString()))
                return (text.GetString(), null);
        }
        catch (JsonException)
        {
        }
        return (null, "The answer is not {\"text\": …}: nothing posted.");
    }

    /// <summary>Posts the reply as the bot; its seq, or null when the room refused it. Once per message: a repeat is a duplicate of the first.</summary>
    private async Task<long?> PostReplyAsync(BotTarget bot, BotTrigger trigger, string text, CancellationToken stop)
    {
        await using var scope = scopes.CreateAsyncScope();
        var posts = scope.ServiceProvider.GetRequiredService<PostMessageHandler>();
        var result = await posts.HandleAsync(new PostMessage(trigger.Room, bot.UserId, bot.Name, IncomingWebhookEndpoint.Shorten(text),
            $"reply-{trigger.Room.Id}-{trigger.Message.Seq}", AuthorIsBot: true) { AuthorAvatar = bot.Avatar }, stop);
        return result is PostMessageResult.Stored stored ? stored.Message.Seq : null;
    }

    private async Task WriteAsync(BotDelivery line, long started, int attempts)
    {
        line.Attempts = attempts;
        line.DurationMs = (int)Math.Min(int.MaxValue, time.GetElapsedTime(started).TotalMilliseconds);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<BotDeliveryLog>().WriteAsync(line);
        }
        catch (Exception e)
        {
            LogWriteFailed(e, line.BotId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The reply of bot {BotId} could not be posted")]
    private partial void LogReplyFailed(Exception e, long botId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The delivery log of bot {BotId} could not be written")]
    private partial void LogWriteFailed(Exception e, long botId);
}
