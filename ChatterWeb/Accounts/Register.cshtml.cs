using System.ComponentModel.DataAnnotations;
using ChatterWeb.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatterWeb.Accounts;

[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(ChatterWeb.Infrastructure.SecurityExtensions.SignInPolicy)]
public sealed class RegisterModel(UserManager<ChatUser> users, SignInManager<ChatUser> signIn) : PageModel
{
    public sealed class InputModel
    {
        [Required, EmailAddress, StringLength(256)]
        public string Email { get; set; } = "";

        [Required, StringLength(ChatUser.DisplayNameMaxLength, MinimumLength = 1)]
        [Display(Name = "Display name")]
        public string DisplayName { get; set; } = "";

        [Required, DataType(DataType.Password), StringLength(256, MinimumLength = 8)]
        public string Password { get; set; } = "";
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        Input.DisplayName = Input.DisplayName.Trim();
        if (Input.DisplayName.Length == 0 || Input.DisplayName.Any(char.IsControl))
            ModelState.AddModelError("Input.DisplayName", "Choose a display name people will recognise.");
        if (!ModelState.IsValid)
            return Page();

        var user = new ChatUser { UserName = Input.Email, Email = Input.Email, DisplayName = Input.DisplayName };
        var result = await users.CreateAsync(user, Input.Password);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
                ModelState.AddModelError(error.Code.StartsWith("Password", StringComparison.Ordinal) ? "Input.Password" : string.Empty,
                    error.Code is "DuplicateUserName" or "DuplicateEmail" ? "An account with that email already exists." : error.Description);
            return Page();
        }
        await signIn.SignInAsync(user, isPersistent: false);
        return LocalRedirect(LocalUrl.OrHome(ReturnUrl));
    }
}
