using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChatterWeb.Data;
using ChatterWeb.Messages;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Integrations;

/// <summary>
/// <c>POST /hooks/{token}</c>: a Slack-format payload (<see cref="SlackPayload"/>) posted to the hook's
/// room through the one post path (<see cref="PostMessageHandler"/>: Seq, idempotency, fan-out, unread,
/// mentions, search). It answers as Slack's hooks do, a short <c>text/plain</c> word: 200 <c>ok</c>
/// (some senders, Alertmanager among them, treat anything else as a failure), 404 <c>no_service</c>
/// for a token that opens nothing, 413 <c>payload_too_large</c>, 429 <c>rate_limited</c> with
/// Retry-After, 400 <c>invalid_payload</c> or <c>no_text</c>, 403 <c>action_prohibited</c>.
/// An <c>Idempotency-Key</c> header makes a retry post once: the second answer is the same 200 <c>ok</c>.
/// </summary>
public static class IncomingWebhookEndpoint
{
    public const int IdempotencyKeyMaxLength = 255;

    public static async Task<IResult> HandleAsync(string token, HttpContext http, IncomingWebhooks hooks, HookLimiter limiter,
        PostMessageHandler posts, IOptions<IntegrationsOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (await hooks.FindAsync(token, ct) is not { } hook)
            return Answer(StatusCodes.Status404NotFound, "no_service");

        var max = options.Value.MaxHookBodyBytes;
        if (http.Request.ContentLength > max)
            return Answer(StatusCodes.Status413PayloadTooLarge, "payload_too_large");
        var clientMessageId = ClientMessageIdFor(http.Request.Headers["Idempotency-Key"].ToString());
        if (clientMessageId is null)
            return Answer(StatusCodes.Status400BadRequest, "invalid_idempotency_key");
        if (limiter.TryAcquire(hook.HookId) is { } wait)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Answer(StatusCodes.Status429TooManyRequests, "rate_limited");
        }


        var body = await ReadLimitedAsync(http.Request.Body, max, ct);
        if (body is null)
            return Answer(StatusCodes.Status413PayloadTooLarge, "payload_too_large");

        string markdown;
        try
        {
            using var payload = Parse(body, http.Request.ContentType);
            markdown = SlackPayload.ToMarkdown(payload.RootElement);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return Answer(StatusCodes.Status400BadRequest, "invalid_payload");
        }
        if (string.IsNullOrWhiteSpace(markdown))
            return Answer(StatusCodes.Status400BadRequest, "no_text");

        var result = await posts.HandleAsync(new PostMessage(hook.Room, hook.UserId, hook.Name, Shorten(markdown), clientMessageId, AuthorIsBot: true) { AuthorAvatar = hook.Avatar }, ct);
        if (result is PostMessageResult.TooFast)
        {
            // The hook's own account is over the one message rate every author has (MessageRate).
            http.Response.Headers.RetryAfter = "1";
            return Answer(StatusCodes.Status429TooManyRequests, "rate_limited");
        }
        if (result is PostMessageResult.Rejected rejected)
            return rejected.Error == PostMessage.NotAllowedError
                ? Answer(StatusCodes.Status403Forbidden, "action_prohibited")
                : Answer(StatusCodes.Status400BadRequest, "invalid_payload");
        if (limiter.ShouldRecordUse(hook.HookId, time.GetTimestamp(), time))
            await hooks.TouchAsync(hook.HookId, CancellationToken.None);
        return Answer(StatusCodes.Status200OK, "ok");
    }

    private static IResult Answer(int status, string word) => Results.Text(word, "text/plain; charset=utf-8", Encoding.UTF8, status);

    /// <summary>
    /// The message's ClientMessageId: from the Idempotency-Key (hashed, so any printable key up to 255
    /// characters fits the column and its alphabet; the hook's own account makes the key per hook), or new.
    /// Null: the key is not printable ASCII or too long.
    /// </summary>
    public static string? ClientMessageIdFor(string? idempotencyKey)
    {
        if (string.IsNullOrEmpty(idempotencyKey))
            return Guid.NewGuid().ToString("N");
        if (idempotencyKey.Length > IdempotencyKeyMaxLength || idempotencyKey.Any(c => c is < ' ' or > '~'))
            return null;
        return "idem-" + Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)));
    }

    /// <summary>JSON, or Slack's form encoding (<c>payload=</c> holding the JSON).</summary>
    private static JsonDocument Parse(byte[] body, string? contentType)
    {
        if (contentType is not null && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery("?" + Encoding.UTF8.GetString(body));
            if (!form.TryGetValue("payload", out var payload) || payload.Count != 1)
                throw new FormatException("A form post carries its JSON in \"payload\".");
            return JsonDocument.Parse(payload.ToString(), Options);
        }
        return JsonDocument.Parse(body, Options);
    }

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32 };

    /// <summary>The body, or null when it is longer than <paramref name="max"/> bytes (a chunked body has no Content-Length to check first).</summary>
    internal static async Task<byte[]?> ReadLimitedAsync(Stream body, int max, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Longer than a message may be: cut at the limit with an ellipsis (an alert is better shown cut than refused).</summary>
    public static string Shorten(string markdown)
    {
        if (markdown.Length <= Message.BodyMaxLength)
            return markdown;
        var cut = Message.BodyMaxLength - 1;
        if (char.IsHighSurrogate(markdown[cut - 1]))
            cut--;
        return markdown[..cut] + "…";
    }
}
