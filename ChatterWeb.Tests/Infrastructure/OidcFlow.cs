using System.Net;
using System.Text.RegularExpressions;

namespace ChatterWeb.Tests.Infrastructure;

/// <summary>
/// The browser's side of an OpenID Connect sign-in, by hand: "Sign in with …" on the login page, then
/// every redirect followed, through the test IdP's own sign-in form, back to the app.
/// </summary>
public static partial class OidcFlow
{
    /// <summary>Clicks "Sign in with …" and follows the flow; <paramref name="stopAt"/> returns the redirect to a URL instead of following it.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string? user, string password = "idp password", Func<Uri, bool>? stopAt = null)
    {
        Assert.Contains("href=\"/Account/Login?handler=Oidc", await browser.GetStringAsync("/Account/Login"));
        var start = await browser.GetAsync("/Account/Login?handler=Oidc");
        return await FollowAsync(browser, start, user, password, stopAt);
    }

    /// <summary>
    /// Follows redirects (and fills the IdP's form once with <paramref name="user"/>; with null, returns the
    /// form) until a page that is neither; <paramref name="stopAt"/> returns the redirect to a matching URL.
    /// </summary>
    public static async Task<HttpResponseMessage> FollowAsync(HttpClient browser, HttpResponseMessage response, string? user, string password = "idp password", Func<Uri, bool>? stopAt = null)
    {
        for (var hop = 0; hop < 15; hop++)
        {
            var at = response.RequestMessage!.RequestUri!;
            if (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.RedirectMethod)
            {
                var next = new Uri(at, response.Headers.Location!);
                if (stopAt?.Invoke(next) == true)
                    return response;
                response = await browser.GetAsync(next);
                continue;
            }
            var html = await response.Content.ReadAsStringAsync();
            if (user is null || !html.Contains("name=\"idp_username\"", StringComparison.Ordinal))
                return response;
            var fields = Hidden().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
            fields["idp_username"] = user;
            fields["idp_password"] = password;
            user = null; // once
            response = await browser.PostAsync(new Uri(at, "/connect/authorize"), new FormUrlEncodedContent(fields));
        }
        throw new InvalidOperationException("too many redirects");
    }

    /// <summary>Where a redirect points, absolute.</summary>
    public static Uri Location(HttpResponseMessage redirect) => new(redirect.RequestMessage!.RequestUri!, redirect.Headers.Location!);

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex Hidden();
}
