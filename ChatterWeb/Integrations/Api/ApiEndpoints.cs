using System.Security.Claims;
using System.Text.Json;
using ChatterWeb.Delivery;
using ChatterWeb.Infrastructure;
using ChatterWeb.Messages;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Integrations.Api;

/// <summary>
/// <c>/api/v1</c>: JSON over a Bearer token (<see cref="ApiTokenAuthentication"/>). <c>/me</c> takes any
/// valid token, reads need the <c>read</c> scope, writes <c>post</c>. Posts go through
/// <see cref="PostMessageHandler"/> within the person's one message rate (<see cref="MessageRate"/>, applied
/// inside the handlers), edits and deletes through their handlers, so the API follows every rule the pages
/// do. Errors are problem details.
/// </summary>
public static class ApiEndpoints
{
    public const string AnyPolicy = "api";
    public const string ReadPolicy = "api:read";
    public const string PostPolicy = "api:post";
    public const string PostMessageName = "PostMessage";
    public const int MaxLimit = 200;
    public const int DefaultLimit = MessageHistory.PageSize;

    public static IEndpointRouteBuilder MapApiV1(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").WithTags("ChatterWeb API")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("/me", Me).RequireAuthorization(AnyPolicy)
            .WithName("GetMe").WithSummary("The account the token speaks for, and the token's scopes");
        api.MapGet("/rooms", Rooms).RequireAuthorization(ReadPolicy)
            .WithName("ListRooms").WithSummary("Rooms the account may read: open rooms, and closed and direct rooms it belongs to");
        api.MapGet("/rooms/{slug}/messages", Messages).RequireAuthorization(ReadPolicy)
            .WithName("ListMessages").WithSummary("A room's messages by seq: the newest, before=N (older) or after=N (newer); limit 1 to 200 (50)")
            .Produces<ApiMessagePage>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/rooms/{slug}/messages", Post).RequireAuthorization(PostPolicy)
            .WithName(PostMessageName).WithSummary("Post a message; an Idempotency-Key header makes a retry post it once and answer the same")
            .Accepts<ApiMessageText>("application/json").Produces<ApiMessage>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPatch("/rooms/{slug}/messages/{seq:long}", Edit).RequireAuthorization(PostPolicy)
            .WithName("EditMessage").WithSummary("Edit one of the account's own messages")
            .Accepts<ApiMessageText>("application/json").Produces<ApiMessage>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapDelete("/rooms/{slug}/messages/{seq:long}", Delete).RequireAuthorization(PostPolicy)
            .WithName("DeleteMessage").WithSummary("Delete one of the account's own messages (a room's creator: any in the room)")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static string Id(ClaimsPrincipal user) => user.UserId()!;

    private static Ok<ApiMe> Me(ClaimsPrincipal user) =>
        TypedResults.Ok(new ApiMe(Id(user), user.DisplayName(), user.HasClaim(ApiTokenAuthentication.BotClaim, "true"),
            [.. user.FindAll(ApiScopes.ClaimType).Select(c => c.Value)]));

    private static async Task<Ok<List<ApiRoom>>> Rooms(ClaimsPrincipal user, RoomDirectory rooms, CancellationToken ct) =>
        TypedResults.Ok((await rooms.ListVisibleAsync(Id(user), ct)).Select(r => new ApiRoom(r.Slug, r.Name, r.Kind.ToString().ToLowerInvariant())).ToList());

    private static async Task<IResult> Messages(string slug, long? before, long? after, int? limit, ClaimsPrincipal user, RoomDirectory rooms, MessageHistory history, CancellationToken ct)
    {
        if (before is not null && after is not null)
            return ApiProblem.BadRequest("Give before or after, not both.");
        if (before is <= 0 || after is < 0)
            return ApiProblem.BadRequest("before is a seq of 1 or more, after of 0 or more.");
        var size = limit ?? DefaultLimit;
        if (size is < 1 or > MaxLimit)
            return ApiProblem.BadRequest($"limit is 1 to {MaxLimit}.");
        if (await rooms.FindReadableAsync(slug, Id(user), ct) is not { } room)
            return ApiProblem.NotFound();
        if (after is { } from)
        {
            var newer = await history.AfterAsync(room.Id, from, size + 1, ct);
            var hasNewer = newer.Count > size;
            if (hasNewer)
                newer.RemoveAt(size);
            return TypedResults.Ok(new ApiMessagePage([.. newer.Select(m => ApiMessage.From(m, room.Slug))], HasOlder: newer.Count > 0 ? newer[0].Seq > 1 : from > 0, hasNewer));
        }
        var page = await history.BeforeAsync(room.Id, before, size, ct);
        return TypedResults.Ok(new ApiMessagePage([.. page.Messages.Select(m => ApiMessage.From(m, room.Slug))], page.HasOlder, HasNewer: before is not null));
    }

    private static async Task<IResult> Post(string slug, HttpContext http, ClaimsPrincipal user, RoomDirectory rooms, PostMessageHandler posts,
        MessageHistory history, IOptions<RealtimeOptions> rate, CancellationToken ct)
    {
        var (text, problem) = await ReadTextAsync(http);
        if (problem is not null)
            return problem;
        var clientMessageId = IncomingWebhookEndpoint.ClientMessageIdFor(http.Request.Headers["Idempotency-Key"].ToString());
        if (clientMessageId is null)
            return ApiProblem.BadRequest($"An Idempotency-Key is printable ASCII, at most {IncomingWebhookEndpoint.IdempotencyKeyMaxLength} characters.");
        if (await rooms.FindReadableAsync(slug, Id(user), ct) is not { } room)
            return ApiProblem.NotFound();
        var isBot = user.HasClaim(ApiTokenAuthentication.BotClaim, "true");
        var result = await posts.HandleAsync(new PostMessage(room, Id(user), user.DisplayName(), text, clientMessageId, AuthorIsBot: isBot)
            { AuthorAvatar = user.FindFirst(ApiTokenAuthentication.AvatarClaim)?.Value }, ct);
        switch (result)
        {
            case PostMessageResult.Stored stored:
                if (stored.Duplicate && stored.Message.RoomSlug != room.Slug)
                    return ApiProblem.Of(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key already used",
                        "This Idempotency-Key was used for a message in another room: use a new key for a new message.");
                // Answered as stored (read back), so a retry with the same key gets the very same answer.
                var message = await history.SentAsync(Id(user), stored.ClientMessageId, ct) ?? stored.Message;
                return TypedResults.Created(Permalink(room.Slug, message.Seq), ApiMessage.From(message, room.Slug));
            case PostMessageResult.TooFast:
                // The person's one message rate (MessageRate, inside PostMessageHandler), however they send.
                return ApiProblem.TooManyRequests(http, TimeSpan.FromSeconds(1 / rate.Value.MessagesPerSecond));
            case PostMessageResult.Rejected { Error: var error } when error == PostMessage.NotAllowedError:
                return ApiProblem.Forbidden(error);
            case PostMessageResult.Rejected rejected:
                return ApiProblem.BadRequest(rejected.Error);
            default:
                throw new InvalidOperationException("An unknown post result.");
        }
    }

    private static string Permalink(string slug, long seq) => $"/rooms/{slug}/@{seq}";

    private static async Task<IResult> Edit(string slug, long seq, HttpContext http, ClaimsPrincipal user, RoomDirectory rooms, EditMessageHandler edits, MessageHistory history,
        IOptions<RealtimeOptions> rate, CancellationToken ct)
    {
        var (text, problem) = await ReadTextAsync(http);
        if (problem is not null)
            return problem;
        if (await rooms.FindReadableAsync(slug, Id(user), ct) is not { } room)
            return ApiProblem.NotFound();
        return await edits.HandleAsync(new EditMessage(room, seq, Id(user), text), ct) switch
        {
            MessageChangeResult.Changed changed => TypedResults.Ok(ApiMessage.From(changed.Message, room.Slug)),
            MessageChangeResult.Unchanged => (await history.AfterAsync(room.Id, seq - 1, 1, ct)) is [var same] && same.Seq == seq
                ? TypedResults.Ok(ApiMessage.From(same, room.Slug)) : ApiProblem.NotFound("There is no such message."),
            MessageChangeResult.NotFound => ApiProblem.NotFound("There is no such message."),
            MessageChangeResult.Forbidden forbidden => ApiProblem.Forbidden(forbidden.Error),
            MessageChangeResult.Invalid invalid => ApiProblem.BadRequest(invalid.Error),
            MessageChangeResult.TooFast => ApiProblem.TooManyRequests(http, TimeSpan.FromSeconds(1 / rate.Value.MessagesPerSecond)),
            _ => throw new InvalidOperationException("An unknown edit result."),
        };
    }

    private static async Task<IResult> Delete(string slug, long seq, ClaimsPrincipal user, RoomDirectory rooms, DeleteMessageHandler deletes, CancellationToken ct)
    {
        if (await rooms.FindReadableAsync(slug, Id(user), ct) is not { } room)
            return ApiProblem.NotFound();
        return await deletes.HandleAsync(new DeleteMessage(room, seq, Id(user)), ct) switch
        {
            MessageChangeResult.Changed or MessageChangeResult.Unchanged => TypedResults.NoContent(),
            MessageChangeResult.NotFound => ApiProblem.NotFound("There is no such message."),
            MessageChangeResult.Forbidden forbidden => ApiProblem.Forbidden(forbidden.Error),
            MessageChangeResult.Invalid invalid => ApiProblem.BadRequest(invalid.Error),
            _ => throw new InvalidOperationException("An unknown delete result."),
        };
    }

    /// <summary>Most a post or edit body may be: the text's limit in UTF-8 and JSON escapes, with room to spare.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// <c>{"text": …}</c> from the body, read by hand so that every way it can be wrong is a problem
    /// details answer (a bound parameter would answer an empty 400).
    /// </summary>
    private static async Task<(string? Text, IResult? Problem)> ReadTextAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
            return (null, ApiProblem.Of(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"The body may be at most {MaxBodyBytes} bytes."));
        if (!http.Request.HasJsonContentType())
            return (null, ApiProblem.Of(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send application/json."));
        try
        {
            if (await IncomingWebhookEndpoint.ReadLimitedAsync(http.Request.Body, MaxBodyBytes, http.RequestAborted) is not { } body)
                return (null, ApiProblem.Of(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"The body may be at most {MaxBodyBytes} bytes."));
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
                return (null, ApiProblem.BadRequest("The body is {\"text\": \"…\"}."));
            return (text.GetString(), null);
        }
        catch (JsonException)
        {
            return (null, ApiProblem.BadRequest("The body is not JSON."));
        }
    }
}
