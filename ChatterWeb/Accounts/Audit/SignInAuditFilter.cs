using ChatterWeb.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatterWeb.Accounts.Audit;

/// <summary>
/// On the sign-in page's POST, writes to the audit trail what <see cref="ChatterSignInManager"/> never
/// sees: a sign-in refused as "no match" for an address without an account of its own password (no
/// such account, or one that signs in through the directory), and a sign-in held back by the throttle
/// (429). Password checks of real accounts are written by the sign-in manager, directory sign-ins by
/// <see cref="DirectorySignIn"/>. Kept out of the page itself, which hardening changes often.
/// </summary>
public sealed class SignInAuditFilter(AuditTrail audit, UserManager<ChatUser> users) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        var http = context.HttpContext;
        if (context.HandlerInstance is not LoginModel login || !HttpMethods.IsPost(http.Request.Method) || executed.Exception is not null)
            return;
        var typed = (login.Input.Email ?? "").Trim();
        if (typed.Length == 0)
            return;
        if (http.Response.StatusCode == StatusCodes.Status429TooManyRequests)
        {
            await audit.RecordAsync(AuditActions.SignInThrottled, http, null, typed);
            return;
        }
        if (executed.Result is not PageResult)
            return; // signed in, or sent on to link a directory identity
        var errors = context.ModelState.TryGetValue(string.Empty, out var entry) ? entry.Errors.Select(e => e.ErrorMessage) : Enumerable.Empty<string>();
        if (!errors.Any(e => e is LoginModel.Mismatch or LoginModel.DirectoryDown))
            return;
        var user = await users.FindByEmailAsync(typed);
        if (user is not null && (await users.GetLoginsAsync(user)).Count == 0)
            return; // its password was checked: the sign-in manager wrote it
        await audit.RecordAsync(AuditActions.SignInFailed, http, user?.Id, typed, user is null ? "no such account" : "a directory account");
    }
}
