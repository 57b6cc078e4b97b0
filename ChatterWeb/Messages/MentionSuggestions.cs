using System.Globalization;
using ChatterWeb.Infrastructure;
using ChatterWeb.Data;
using ChatterWeb.Rooms;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Messages;

/// <summary>
/// <c>GET /rooms/{slug}/mentions?q=</c>: the composer's <c>@</c> suggestions, as the listbox fragment (404 for rooms one cannot read):
/// the members by name, then (once a letter is typed) <c>@here</c> and <c>@room</c> with how many each would notify, in rooms small enough for them.
/// </summary>
public static class MentionSuggestions
{
    public static async Task<IResult> HandleAsync(string slug, string? q, HttpContext http, RoomDirectory directory, MentionCandidates candidates,
        RoomWideReach reach, IOptions<RoomWideOptions> options)
    {
        var userId = http.User.UserId()!;
        var room = await directory.FindReadableAsync(slug, userId, http.RequestAborted);
        if (room is null)
            return Results.NotFound();
        var people = await candidates.SuggestAsync(room.Id, userId, q, http.RequestAborted);
        var roomWide = new List<MentionListMarkup.RoomWideOption>();
        var typed = (q ?? "").Trim();
        // @here and @room where the room allows them (the words people bring from other chats find @room too)
        // once a letter is typed (a bare "@" lists people only)
        var words = typed.Length == 0 ? [] : new[] { RoomWide.HereWord, "room" }.Where(word => word.StartsWith(typed, StringComparison.OrdinalIgnoreCase)
            || (word == "room" && RoomWide.RoomWords.Any(s => s.StartsWith(typed, StringComparison.OrdinalIgnoreCase)))).ToList();
        if (words.Count > 0 && await reach.MemberCountAsync(room.Id, http.RequestAborted) <= options.Value.RoomWideMaxMembers)
            foreach (var word in words)
                roomWide.Add(new(word, (await reach.ResolveAsync(room.Id, userId, word == "here" ? RoomMention.Here : RoomMention.Room, null, http.RequestAborted)).Count));
        using var w = new StringWriter(CultureInfo.InvariantCulture);
        MentionListMarkup.Write(w, people, roomWide: roomWide);
        return Results.Content(w.ToString(), "text/html; charset=utf-8");
    }
}
