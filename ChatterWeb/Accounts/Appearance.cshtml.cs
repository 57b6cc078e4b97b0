using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatterWeb.Accounts;

/// <summary><c>/Account/Appearance</c>: light, dark, or as the system says (<see cref="Theme"/>), for this browser.</summary>
[AllowAnonymous]
public sealed class AppearanceModel : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string Current { get; private set; } = Theme.System;

    public void OnGet() => Current = Theme.Of(Request);

    public IActionResult OnPost(string? theme)
    {
        if (theme is null || !Theme.Choices.Contains(theme))
            return BadRequest("theme must be system, light or dark.");
        if (theme == Theme.System)
            Response.Cookies.Delete(Theme.Cookie);
        else
            Response.Cookies.Append(Theme.Cookie, theme, new CookieOptions
            {
                MaxAge = TimeSpan.FromDays(400),
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = Request.IsHttps,
                IsEssential = true, // a display preference, not tracking
            });
        return LocalRedirect(LocalUrl.OrHome(ReturnUrl));
    }
}
