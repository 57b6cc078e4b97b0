using ChatterWeb.Data;
using ChatterWeb.Infrastructure;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Pins;

/// <summary>
/// <c>/rooms/{slug}/pins</c>: the room's pinned messages, newest pin first (a seek on the
/// (RoomId, PinnedAt) index), for anyone who can read the room; "Unpin" for those who may pin.
/// </summary>
public sealed class PinsModel(RoomDirectory directory, ChatterDbContext db, PinRights rights) : PageModel
{
    /// <summary>At most this many are listed (the newest pins).</summary>
    public const int MaxShown = 200;

    public sealed record PinnedMessage(long Seq, string AuthorName, DateTimeOffset CreatedAt, string Body, DateTimeOffset PinnedAt, string? PinnedByName);

    public RoomInfo Room { get; private set; } = null!;
    public IReadOnlyList<PinnedMessage> Pins { get; private set; } = [];
    public bool MayPin { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        var ct = HttpContext.RequestAborted;
        var room = await directory.FindReadableAsync(slug, User.UserId()!, ct);
        if (room is null)
            return NotFound();
        Room = room;
        Response.Headers.CacheControl = "no-store";
        Pins = await db.Messages.AsNoTracking()
            .Where(m => m.RoomId == room.Id && m.PinnedAt != null && m.DeletedAt == null)
            .OrderByDescending(m => m.PinnedAt)
            .Take(MaxShown)
            .Select(m => new PinnedMessage(m.Seq, m.Author!.DisplayName, m.CreatedAt, m.Body, m.PinnedAt!.Value,
                db.Users.Where(u => u.Id == m.PinnedById).Select(u => u.DisplayName).FirstOrDefault()))
            .ToListAsync(ct);
        MayPin = !await directory.IsArchivedAsync(room.Id, ct) && await rights.MayPinAsync(room, User.UserId()!, ct);
        return Page();
    }
}
