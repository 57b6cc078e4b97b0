using System.Security.Cryptography;

namespace ChatterWeb.Infrastructure;

/// <summary>
/// Security headers on every response. The Content-Security-Policy allows no inline script and no
/// eval; the one inline style (the per-user "mine" rule) carries a per-request nonce.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "chatter:csp-nonce";

    public static string CspNonce(this HttpContext http)
    {
        if (http.Items[NonceKey] is string nonce)
            return nonce;
        nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)); // hex: nothing to encode in the attribute
        http.Items[NonceKey] = nonce;
        return nonce;
    }

    public static IApplicationBuilder UseChatterSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            var nonce = http.CspNonce();
            http.Response.OnStarting(() =>
            {
                var h = http.Response.Headers;
                // An endpoint that set its own (stricter) policy keeps it: attachments are sandboxed.
                if (string.IsNullOrEmpty(h.ContentSecurityPolicy))
                    h.ContentSecurityPolicy =
                        "default-src 'self'; script-src 'self'; " +
                        $"style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; connect-src 'self'; " +
                        "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
                h.XContentTypeOptions = "nosniff";
                h.XFrameOptions = "DENY";
                h["Referrer-Policy"] = "same-origin";
                h["Cross-Origin-Opener-Policy"] = "same-origin";
                h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
                return Task.CompletedTask;
            });
            return next(http);
        });
}
