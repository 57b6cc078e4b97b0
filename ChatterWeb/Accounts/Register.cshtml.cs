using System.ComponentModel.DataAnnotations;
using ChatterWeb.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Accounts;

/// <summary>Sign-up with a password of ChatterWeb's own, as far as <c>Chatter:Accounts:Registration</c> allows (checked before anything is created).</summary>
[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(ChatterWeb.Infrastructure.SecurityExtensions.SignInPolicy)]
public sealed class RegisterModel(UserManager<ChatUser> users, SignInManager<ChatUser> signIn, Registration registration, Administrators admins) : PageModel
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

    /// <summary>The invitation token (InviteOnly), from the link and then the form.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Invite { get; set; }

    /// <summary>Why there is no form (Closed; InviteOnly without a valid invitation), or null.</summary>
    public string? ClosedBecause { get; private set; }
    public string? InvitedEmail => registration.InvitedEmail(Invite);
    private bool _firstAccount;

    public async Task OnGetAsync()
    {
        await ReadPolicyAsync();
        if (InvitedEmail is { } email)
            Input.Email = email;
    }

    private async Task ReadPolicyAsync()
    {
        _firstAccount = registration.Policy == RegistrationPolicy.InviteOnly && !await users.Users.AnyAsync();
        ClosedBecause = registration.ClosedBecause(Invite, _firstAccount);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await ReadPolicyAsync();
        if (ClosedBecause is not null)
            return Page(); // whatever was posted: no account
        Input.DisplayName = Input.DisplayName.Trim();
        if (Input.DisplayName.Length == 0 || Input.DisplayName.Any(char.IsControl))
            ModelState.AddModelError("Input.DisplayName", "Choose a display name people will recognise.");
        if (!ModelState.IsValid)
            return Page();
        if (registration.Refusal(Input.Email, Invite, _firstAccount) is { } refusal)
        {
            ModelState.AddModelError("Input.Email", refusal);
            return Page();
        }

        var user = new ChatUser { UserName = Input.Email, Email = Input.Email, DisplayName = Input.DisplayName, EmailConfirmed = InvitedEmail is not null };
        var result = await users.CreateAsync(user, Input.Password);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
                ModelState.AddModelError(error.Code.StartsWith("Password", StringComparison.Ordinal) ? "Input.Password" : string.Empty,
                    error.Code is "DuplicateUserName" or "DuplicateEmail" ? "An account with that email already exists." : error.Description);
            return Page();
        }
        await admins.OnAccountCreatedAsync(user);
        await signIn.SignInAsync(user, isPersistent: false);
        return LocalRedirect(LocalUrl.OrHome(ReturnUrl));
    }
}
