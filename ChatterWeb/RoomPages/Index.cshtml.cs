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
        if (Name is not null && (Name.Trim().Length == 0 || Name.Any(char.IsControl)))
            ModelState.AddModelError(nameof(Name), "Give the room a name.");
        if (!ModelState.IsValid)
        {
            await OnGetAsync();
            return Page();
        }
        var kind = MembersOnly ? RoomKind.Closed : RoomKind.Open;
        var room = await directory.CreateAsync(Name!, User.UserId()!, kind, HttpContext.RequestAborted);
        return Redirect($"/rooms/{room.Slug}");
    }
}
