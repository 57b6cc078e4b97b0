using System.ComponentModel.DataAnnotations;
using ChatterWeb.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatterWeb.Accounts;

[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(ChatterWeb.Infrastructure.SecurityExtensions.SignInPolicy)]
public sealed class LoginModel(SignInManager<ChatUser> signIn) : PageModel
{
    public sealed class InputModel
    {
        [Required, EmailAddress]
        public string Email { get; set; } = "";

        [Required, DataType(DataType.Password)]
        public string Password { get; set; } = "";

        [Display(Name = "Keep me signed in")]
        public bool RememberMe { get; set; }
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
            return Page();
        var result = await signIn.PasswordSignInAsync(Input.Email, Input.Password, Input.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
            return LocalRedirect(LocalUrl.OrHome(ReturnUrl));
        ModelState.AddModelError(string.Empty, result.IsLockedOut
            ? "Too many failed attempts: this account is locked for a few minutes."
            : "That email and password do not match an account.");
        return Page();
    }
}
