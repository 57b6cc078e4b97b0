using ChatterWeb.Accounts.Oidc;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Accounts;

/// <summary>
/// Where the OpenID Connect handler sends the browser back: the identity it left in the external
/// cookie becomes a signed-in account, a link request, or a clear refusal; a failed exchange with the
/// IdP lands on <c>?handler=Failed</c>.
/// </summary>
[AllowAnonymous]
public sealed class DirectoryModel(DirectorySignIn directory, IOptions<OidcOptions> oidc) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string Message { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        if (await DirectoryIdentity.FromExternalCookieAsync(HttpContext) is not var (identity, idToken))
        {
            Message = "That sign-in took too long or was not started here. Try again from the sign-in page.";
            return Page();
        }
        switch (await directory.CompleteAsync(identity, idToken))
        {
            case DirectoryOutcome.SignedIn:
                return LocalRedirect(LocalUrl.OrHome(ReturnUrl));
            case DirectoryOutcome.NeedsLink:
                return RedirectToPage("Link", new { ReturnUrl });
            case DirectoryOutcome.Refused(var message):
                await DirectoryIdentity.ForgetAsync(HttpContext);
                Message = message;
                return Page();
            default:
                throw new InvalidOperationException("unknown outcome");
        }
    }

    public IActionResult OnGetFailed()
    {
        Message = $"Signing in with {oidc.Value.DisplayName} did not work: it refused, or could not be reached. Nothing was changed here. Try again in a few minutes.";
        return Page();
    }
}
