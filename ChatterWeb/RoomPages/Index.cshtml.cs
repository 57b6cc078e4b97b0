using ChatterWeb.Infrastructure;
using System.ComponentModel.DataAnnotations;
using ChatterWeb.Data;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace ChatterWeb.RoomPages;

/// <summary><c>/rooms</c>: every room the user can see; the form creates an open room and lands in it.</summary>
public sealed class IndexModel(RoomDirectory directory) : PageModel
{
    public IReadOnlyList<RoomInfo> Rooms { get; private set; } = [];

    [BindProperty]
    [Required(ErrorMessage = "Give the room a name.")]
    [StringLength(Room.NameMaxLength, ErrorMessage = "Room names are at most {1} characters.")]
    public string? Name { get; set; }

    /// <summary>A closed room: only the people its creator adds can see it.</summary>
    [BindProperty]
    public bool MembersOnly { get; set; }

    public async Task OnGetAsync() => Rooms = await directory.ListVisibleAsync(User.UserId()!, HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAsync()
    {
        // Invisible and bidi characters go (NameText); a name of nothing else is no name.
        var name = NameText.Clean(Name);
        if (Name is not null && (name.Length == 0 || Name.Any(char.IsControl)))
            ModelState.AddModelError(nameof(Name), "Give the room a name.");
        else if (Name is not null && await directory.FindSameNameAsync(name, User.UserId()!, HttpContext.RequestAborted) is { } same)
            ModelState.AddModelError(nameof(Name), $"There is already a room called “{same.Name}”: open it from the list, or pick a name people can tell apart.");
        if (!ModelState.IsValid)
        {
            await OnGetAsync();
            return Page();
        }
        var kind = MembersOnly ? RoomKind.Closed : RoomKind.Open;
        var room = await directory.CreateAsync(name, User.UserId()!, kind, HttpContext.RequestAborted);
        return Redirect($"/rooms/{room.Slug}");
    }
}
