using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using ChatterWeb.Data;
using ChatterWeb.Notifications;
using Microsoft.AspNetCore.Html;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Rooms;

/// <summary>A direct-message room, named for the viewer by the other people in it.</summary>
public sealed record DirectRoom(RoomInfo Room, string Names);

/// <summary>Loads the sidebar for one user: visible rooms, their direct messages, unread counts.</summary>
public sealed class Sidebar(ChatterDbContext db, RoomDirectory directory, ReadState reads)
{
    public async Task<RoomsNav> LoadAsync(string userId, string? currentSlug, CancellationToken ct = default)
    {
        var rooms = await directory.ListVisibleAsync(userId, ct);
        var unread = await reads.ForUserAsync(userId, ct);
        var directs = await DirectsAsync(userId, rooms.Where(r => r.Kind == RoomKind.Direct).ToList(), ct);
        return new RoomsNav(rooms, currentSlug, unread, directs);
    }

    /// <summary>The user's direct rooms, each named by the other members (by name), ordered by those names.</summary>
    public async Task<List<DirectRoom>> DirectsAsync(string userId, CancellationToken ct = default)
    {
        var rooms = await (from m in db.Memberships.AsNoTracking()
                           join r in db.Rooms on m.RoomId equals r.Id
                           where m.UserId == userId && r.Kind == RoomKind.Direct
                           select new RoomInfo(r.Id, r.Slug, r.Name, r.Kind)).ToListAsync(ct);
        return await DirectsAsync(userId, rooms, ct);
    }

    private async Task<List<DirectRoom>> DirectsAsync(string userId, List<RoomInfo> rooms, CancellationToken ct)
    {
        if (rooms.Count == 0)
            return [];
        var ids = rooms.Select(r => r.Id).ToList();
        var others = await (from m in db.Memberships.AsNoTracking()
                            join u in db.Users on m.UserId equals u.Id
                            where ids.Contains(m.RoomId) && m.UserId != userId
                            select new { m.RoomId, u.DisplayName }).ToListAsync(ct);
        var names = others.GroupBy(o => o.RoomId).ToDictionary(
            g => g.Key, g => string.Join(", ", g.Select(o => o.DisplayName).Order(StringComparer.CurrentCultureIgnoreCase)));
        return [.. rooms.Select(r => new DirectRoom(r, names.GetValueOrDefault(r.Id) ?? "Just you"))
            .OrderBy(d => d.Names, StringComparer.CurrentCultureIgnoreCase)];
    }
}

/// <summary>The sidebar's "Direct messages" list: the same markup on the page and in the per-user frame.</summary>
public sealed class DirectListMarkup(IReadOnlyList<DirectRoom> directs, IReadOnlyDictionary<long, UnreadCount> unread, string? currentSlug) : IHtmlContent
{
    public void WriteTo(TextWriter writer, HtmlEncoder encoder) => Write(writer, directs, unread, currentSlug);

    public static void Write(TextWriter w, IReadOnlyList<DirectRoom> directs, IReadOnlyDictionary<long, UnreadCount> unread, string? currentSlug)
    {
        var e = HtmlEncoder.Default;
        w.Write("<ul id=\"direct-list\" class=\"room-list\" hx-swap-oob=\"true\" aria-label=\"Direct messages\">");
        foreach (var d in directs)
        {
            var current = d.Room.Slug == currentSlug;
            w.Write("<li><a href=\"/rooms/");
            e.Encode(w, d.Room.Slug);
            w.Write(current ? "\" class=\"current\" aria-current=\"page\">" : "\">");
            e.Encode(w, d.Names);
            w.Write(' ');
            UnreadMarkup.WriteBadge(w, d.Room.Id, unread.GetValueOrDefault(d.Room.Id));
            w.Write("</a></li>");
        }
        w.Write("</ul>");
    }

    public static byte[] Render(IReadOnlyList<DirectRoom> directs, IReadOnlyDictionary<long, UnreadCount> unread)
    {
        using var sw = new StringWriter(CultureInfo.InvariantCulture);
        Write(sw, directs, unread, currentSlug: null);
        return Encoding.UTF8.GetBytes(sw.ToString());
    }
}
