using Microsoft.AspNetCore.Http;

namespace ChatterWeb.Accounts;

/// <summary>
/// Light or dark: the system's choice (<c>prefers-color-scheme</c>) unless the person picked one on
/// <c>/Account/Appearance</c>, kept in a cookie of this browser (it works without JavaScript and
/// needs no account: the sign-in pages follow it too). The layout puts it on <c>&lt;html data-theme&gt;</c>;
/// the stylesheet does the rest (every colour is a <c>light-dark()</c> variable).
/// </summary>
public static class Theme
{
    public const string Cookie = "chatter-theme";
    public const string System = "system";
    public const string Light = "light";
    public const string Dark = "dark";

    public static readonly string[] Choices = [System, Light, Dark];

    /// <summary>The person's choice in this browser: light, dark, or system (also for anything unknown).</summary>
    public static string Of(HttpRequest request) =>
        request.Cookies.TryGetValue(Cookie, out var value) && (value == Light || value == Dark) ? value : System;
}
