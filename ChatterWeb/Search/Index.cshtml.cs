using ChatterWeb.Infrastructure;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatterWeb.Search;

/// <summary><c>/search?q=…&amp;before=…</c>: results newest first, 20 a page, each linking to the message's permalink.</summary>
public sealed class SearchModel(MessageSearch search, RoomDirectory directory) : PageModel
{
    public string Query { get; private set; } = "";
    public MessageSearch.Results Results { get; private set; } = new([], [], null);
    public IReadOnlyList<RoomInfo> Rooms { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? q, long? before)
    {
        if (before is < 1)
            return BadRequest("before must be a positive number.");
        Query = (q ?? "").Trim();
        var userId = User.UserId()!;
        Rooms = await directory.ListVisibleAsync(userId, HttpContext.RequestAborted);
        Results = await search.SearchAsync(userId, Query, before, HttpContext.RequestAborted);
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
