using System.ComponentModel.DataAnnotations;
using ChatterWeb.Accounts.Ldap;
using ChatterWeb.Accounts.Oidc;
using ChatterWeb.Accounts.SignIn;
using ChatterWeb.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Accounts;

/// <summary>
/// The sign-in page: the password form (for the directory when LDAP is configured, and for
/// ChatterWeb's own accounts), and the "Sign in with …" button when OpenID Connect is configured.
/// </summary>
[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(ChatterWeb.Infrastructure.SecurityExtensions.SignInPolicy)]
public sealed class LoginModel(
    SignInManager<ChatUser> signIn,
    UserManager<ChatUser> users,
    LdapDirectory ldap,
    DirectorySignIn directory,
    Registration registration,
    IOptions<OidcOptions> oidc,
    SignInThrottle throttle,
    KnownBrowsers knownBrowsers,
    IPasswordHasher<ChatUser> hasher) : PageModel
{
    /// <summary>
    /// A hash made once with the app's own hasher: checking a password against it costs what checking a
    /// real account's does, so an unknown name takes as long as a wrong password.
    /// </summary>
    private static string? _decoyHash;

    public const string Mismatch = "That sign-in name and password do not match an account.";
    public const string TooMany = "Too many attempts to sign in to that account from here. Wait {0} and try again.";
    public const string DirectoryDown = "The company directory cannot be reached right now, so directory accounts cannot sign in. Try again in a few minutes.";

    public sealed class InputModel
    {
        [Required, StringLength(256)]
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

    /// <summary>The first box takes a user name too when the directory is LDAP.</summary>
    public bool AcceptsUserName => ldap.Enabled;
    public bool OffersSignUp => registration.OffersSignUp;
    public bool InviteOnly => registration.Policy == RegistrationPolicy.InviteOnly;
    public string? OidcName => oidc.Value.Enabled ? oidc.Value.DisplayName : null;

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!AcceptsUserName && !new EmailAddressAttribute().IsValid(Input.Email))
            ModelState.AddModelError("Input.Email", "Enter your email address.");
        if (!ModelState.IsValid)
            return Page();

        // Throttled by the name as typed, whether or not it is an account (SignInThrottle).
        var account = SignInThrottle.AccountKey(Input.Email);
        var browserId = knownBrowsers.IdFor(HttpContext, account);
        var source = browserId is not null ? "browser:" + browserId : "address:" + HttpContext.Connection.RemoteIpAddress;
        if (throttle.WaitBefore(source, account, browserId is not null) is { } wait)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            ModelState.AddModelError(string.Empty, string.Format(System.Globalization.CultureInfo.InvariantCulture, TooMany, Describe(wait)));
            return Page();
        }
        var outcome = await CheckAsync();
        if (outcome is IActionResult done)
        {
            throttle.Succeeded(source, account);
            knownBrowsers.Remember(HttpContext, account);
            return done;
        }
        if (outcome is false)
            throttle.Failed(source, account, browserId is not null);
        return Page();
    }

    private static string Describe(TimeSpan wait) =>
        wait.TotalSeconds <= 90 ? $"{Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} seconds" : $"{(int)Math.Ceiling(wait.TotalMinutes)} minutes";

    /// <summary>
    /// The password check. Returns where to go when signed in (or sent to link), false for a wrong name
    /// or password (counted by the throttle), true for anything else shown on the page (not counted).
    /// </summary>
    private async Task<object> CheckAsync()
    {
        var directoryDown = false;
        if (ldap.Enabled)
        {
            switch (await ldap.AuthenticateAsync(Input.Email, Input.Password, HttpContext.RequestAborted))
            {
                case LdapResult.Authenticated(var identity):
                    switch (await directory.CompleteAsync(identity, idToken: null))
                    {
                        case DirectoryOutcome.SignedIn:
                            return LocalRedirect(LocalUrl.OrHome(ReturnUrl));
                        case DirectoryOutcome.NeedsLink:
                            await identity.SaveAsync(HttpContext);
                            return RedirectToPage("Link", new { ReturnUrl });
                        case DirectoryOutcome.Refused(var message):
                            ModelState.AddModelError(string.Empty, message);
                            return true;
                    }
                    break;
                case LdapResult.Refused:
                    // Somebody in the directory answers to that name: their password is the directory's, never a local one.
                    ModelState.AddModelError(string.Empty, Mismatch);
                    return false;
                case LdapResult.Unavailable:
                    directoryDown = true;
                    break;
            }
        }

        // ChatterWeb's own accounts (an account that signs in through a directory has no password, and is refused here).
        // No lockout (SignInThrottle slows guessing instead), and an unknown name, or an account that
        // signs in through a directory, costs one password hash like a real check.
        var user = await users.FindByEmailAsync(Input.Email.Trim());
        if (user is not null && (await users.GetLoginsAsync(user)).Count == 0)
        {
            var result = await signIn.PasswordSignInAsync(user, Input.Password, Input.RememberMe, lockoutOnFailure: false);
            if (result.Succeeded)
                return LocalRedirect(LocalUrl.OrHome(ReturnUrl));
        }
        else
        {
            _decoyHash ??= hasher.HashPassword(new ChatUser { DisplayName = "" }, "not a password anyone types");
            hasher.VerifyHashedPassword(new ChatUser { DisplayName = "" }, _decoyHash, Input.Password);
        }
        ModelState.AddModelError(string.Empty, directoryDown ? DirectoryDown : Mismatch);
        return false;
    }

    /// <summary>
    /// "Sign in with …": the challenge. A GET is enough: another site that starts it only makes the
    /// browser sign in as its own IdP account; the callback is bound to this browser by the handler's
    /// state and correlation cookie.
    /// </summary>
    public async Task<IActionResult> OnGetOidcAsync()
    {
        if (!oidc.Value.Enabled)
            return NotFound();
        var returnUrl = LocalUrl.OrHome(ReturnUrl);
        var properties = signIn.ConfigureExternalAuthenticationProperties(OidcSignIn.Scheme, Url.Page("/Accounts/Directory", new { ReturnUrl = returnUrl }));
        try
        {
            // The handler reads the IdP's metadata first: an IdP that is down or silent fails here, within Timeout.
            await HttpContext.ChallengeAsync(OidcSignIn.Scheme, properties);
            return new EmptyResult();
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException or TaskCanceledException && !HttpContext.RequestAborted.IsCancellationRequested)
        {
            HttpContext.Response.Clear();
            ModelState.AddModelError(string.Empty, $"{oidc.Value.DisplayName} cannot be reached right now. Try again in a few minutes.");
            return Page();
        }
    }
}
