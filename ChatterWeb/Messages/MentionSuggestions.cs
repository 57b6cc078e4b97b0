using System.Globalization;
using ChatterWeb.Infrastructure;
using ChatterWeb.Rooms;

namespace ChatterWeb.Messages;

/// <summary><c>GET /rooms/{slug}/mentions?q=</c>: the composer's <c>@</c> suggestions, as the listbox fragment (404 for rooms one cannot read).</summary>
public static class MentionSuggestions
{
    public static async Task<IResult> HandleAsync(string slug, string? q, HttpContext http, RoomDirectory directory, MentionCandidates candidates)
    {
        var userId = http.User.UserId()!;
        var room = await directory.FindReadableAsync(slug, userId, http.RequestAborted);
        if (room is null)
            return Results.NotFound();
        var people = await candidates.SuggestAsync(room.Id, userId, q, http.RequestAborted);
        using var w = new StringWriter(CultureInfo.InvariantCulture);
        MentionListMarkup.Write(w, people);
        return Results.Content(w.ToString(), "text/html; charset=utf-8");
    }
}
