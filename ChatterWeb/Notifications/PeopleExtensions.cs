using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using ChatterWeb.Messages;
using ChatterWeb.Realtime;
using ChatterWeb.Rooms;

namespace ChatterWeb.Notifications;

/// <summary>
/// Issue 6, "who is here and what is new": the per-user stream, read state and unread counts,
/// mentions, direct messages and notification settings. See docs/PEOPLE.md.
/// </summary>
public static class PeopleExtensions
{
    public static WebApplicationBuilder AddChatterPeople(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<ReadState>();
        services.AddScoped<Sidebar>();
        services.AddScoped<DirectRooms>();
        services.AddScoped<MentionCandidates>();
        services.AddSingleton<UnreadNotifier>();
        services.AddHostedService<UnreadWorker>();
        services.AddSingleton<UserStreams>();
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(RedisExtensions.ConnectionName)))
            services.AddSingleton<IUserBus, InProcessUserBus>();
        else
            services.AddSingleton<IUserBus, RedisUserBus>(); // chatter:user:v2:{id}, next to the room bus
        return builder;
    }

    public static IEndpointRouteBuilder MapChatterPeople(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/rooms/{slug}/mentions", MentionSuggestionsAsync).RequireAuthorization();
        // The per-user stream for pages without a room socket; checks inside (403 before upgrade), like the room socket.
        endpoints.MapSocket("/me/ws", UserSocketEndpoint.HandleAsync);
        return endpoints;
    }

    /// <summary><c>GET /rooms/{slug}/mentions?q=</c>: the composer's <c>@</c> suggestions, as a listbox fragment (404 for rooms one cannot read).</summary>
    private static async Task<IResult> MentionSuggestionsAsync(string slug, string? q, HttpContext http, RoomDirectory directory, MentionCandidates candidates)
    {
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var room = await directory.FindReadableAsync(slug, userId, http.RequestAborted);
        if (room is null)
            return Results.NotFound();
        var people = await candidates.SuggestAsync(room.Id, userId, q, http.RequestAborted);
        using var w = new StringWriter(CultureInfo.InvariantCulture);
        var e = HtmlEncoder.Default;
        w.Write("<ul id=\"mention-list\" class=\"mention-list\" role=\"listbox\" aria-label=\"People to mention\" hx-disable");
        w.Write(people.Count == 0 ? " hidden>" : ">");
        for (var i = 0; i < people.Count; i++)
        {
            w.Write("<li id=\"mention-opt-");
            w.Write(i.ToString(CultureInfo.InvariantCulture));
            w.Write("\" role=\"option\" aria-selected=\"false\" data-name=\"");
            e.Encode(w, people[i].DisplayName);
            w.Write("\"><span class=\"avatar small av-");
            w.Write(MessageMarkup.AvatarHue(people[i].UserId).ToString(CultureInfo.InvariantCulture));
            w.Write("\" aria-hidden=\"true\">");
            e.Encode(w, MessageMarkup.Initials(people[i].DisplayName));
            w.Write("</span> ");
            e.Encode(w, people[i].DisplayName);
            w.Write("</li>");
        }
        w.Write("</ul>");
        return Results.Content(w.ToString(), "text/html; charset=utf-8");
    }
}
