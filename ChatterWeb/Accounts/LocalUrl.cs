namespace ChatterWeb.Accounts;

public static class LocalUrl
{
    /// <summary>The return URL if it is local ("/rooms/x", not "//evil" or "/\evil"), otherwise "/rooms".</summary>
    public static string OrHome(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl)
        && returnUrl[0] == '/'
        && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
        && !returnUrl.Any(char.IsControl)
            ? returnUrl
            : "/rooms";
}
