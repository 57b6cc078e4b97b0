using ChatterWeb.Infrastructure;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace ChatterWeb.RoomPages;

/// <summary>
/// <c>/direct?with={userId}</c>: a direct message with one person or a small group. An existing
/// conversation of exactly those people opens at once; otherwise the page offers to start it
/// (a POST: nothing is created by following a link).
/// </summary>
public sealed class DirectModel(DirectRooms directs, RoomDirectory directory) : PageModel
{
    public IReadOnlyList<RoomInfo> Rooms { get; private set; } = [];
    public IReadOnlyList<Person> People { get; private set; } = [];
    public IReadOnlySet<string> Chosen { get; private set; } = new HashSet<string>();
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "with")] string[]? with)
    {
        var userId = User.UserId()!;
        var others = (with ?? []).Where(w => w != userId).Distinct().ToList();
        if (others.Count > 0 && await directs.FindAsync(userId, others, HttpContext.RequestAborted) is { } existing)
            return Redirect($"/rooms/{existing.Slug}");
        await LoadAsync(others);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromForm(Name = "with")] string[]? with)
    {
        var (room, error) = await directs.OpenAsync(User.UserId()!, with ?? [], HttpContext.RequestAborted);
        if (room is not null)
            return Redirect($"/rooms/{room.Slug}");
        Error = error;
        await LoadAsync(with ?? []);
        return Page();
    }

    private async Task LoadAsync(IEnumerable<string> chosen)
    {
        People = await directs.PeopleAsync(User.UserId()!, HttpContext.RequestAborted);
        Rooms = await directory.ListVisibleAsync(User.UserId()!, HttpContext.RequestAborted);
        Chosen = chosen.ToHashSet();
    }
}
