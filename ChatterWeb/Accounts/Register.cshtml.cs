using System.ComponentModel.DataAnnotations;
using ChatterWeb.Accounts.SignIn;
using ChatterWeb.Data;
using ChatterWeb.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Accounts;

/// <summary>Sign-up with a password of ChatterWeb's own, as far as <c>Chatter:Accounts:Registration</c> allows (checked before anything is created).</summary>
[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(ChatterWeb.Infrastructure.SecurityExtensions.SignInPolicy)]
public sealed class RegisterModel(UserManager<ChatUser> users, SignInManager<ChatUser> signIn, Registration registration, Administrators admins, KnownBrowsers knownBrowsers) : PageModel
{
    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "That is not an email address.")]
        [StringLength(256, ErrorMessage = "Email addresses are at most 256 characters.")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = DisplayNameError)]
        [StringLength(ChatUser.DisplayNameMaxLength, ErrorMessage = "Display names are at most {1} characters.")]
        [Display(Name = "Display name")]
        public string DisplayName { get; set; } = "";

        [Required(ErrorMessage = "Choose a password.")]
        [StringLength(256, MinimumLength = 8, ErrorMessage = "Use at least {2} characters for your password.")]
        [DataType(DataType.Password)]
        public string Password { get; set; } = "";
    }

    public const string DisplayNameError = "Choose a display name people will recognise.";

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
        // Invisible and bidi characters go (NameText); a name of nothing else is no name. Blank is bound as null.
        var typed = Input.DisplayName ?? "";
        Input.DisplayName = NameText.Clean(typed);
        if (typed.Any(char.IsControl) || (Input.DisplayName.Length == 0 && ModelState["Input.DisplayName"]?.Errors.Count is null or 0))
            ModelState.AddModelError("Input.DisplayName", DisplayNameError);
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
            // A taken address gets the answer a new account gets (below), without the session: saying
            // "already exists" would tell anyone which addresses have accounts. Identity hashes the
            // password before it looks for the address, so both take as long. The owner, landing on the
            // sign-in page, signs in as usual.
            if (result.Errors.All(e => e.Code is "DuplicateUserName" or "DuplicateEmail"))
                return LocalRedirect(LocalUrl.OrHome(ReturnUrl));
            foreach (var (field, text) in result.Errors.Where(e => e.Code is not ("DuplicateUserName" or "DuplicateEmail"))
                         .Select(e => (e.Code.StartsWith("Password", StringComparison.Ordinal) ? "Input.Password" : string.Empty, e.Description)).Distinct())
                ModelState.AddModelError(field, text);
            return Page();
        }
        await admins.OnAccountCreatedAsync(user);
        await HttpContext.RequestServices.GetRequiredService<Mailing.AccountMail>().SendVerificationAsync(user, HttpContext); // with mail on; an invitation proved the address already
        await signIn.SignInAsync(user, isPersistent: false);
        knownBrowsers.Remember(HttpContext, SignInThrottle.AccountKey(user.Email!));
        return LocalRedirect(LocalUrl.OrHome(ReturnUrl));
    }
}
