using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;

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

    // The policy, around its one varying part (style-src: a page's inline style carries a nonce).
    private const string PolicyHead = "default-src 'self'; script-src 'self'; ";
    private const string PolicyTail = "img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The policy for a response that carries no page (no inline style, so no nonce).</summary>
    private const string NoPagePolicy = PolicyHead + "style-src 'self'; " + PolicyTail;

    public static IApplicationBuilder UseChatterSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            if (http.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true)
            {
                // A socket's request lives as long as the socket, and with it whatever the request
                // allocated: no nonce, no closure, only constant strings. A 101 (the socket accepted)
                // gets none of them: it has no body, so nothing for them to protect, and Kestrel
                // would keep a dictionary of them for the socket's life; a refusal (403, 429) gets them.
                http.Response.OnStarting(static state =>
                {
                    var response = (HttpResponse)state;
                    if (response.StatusCode != StatusCodes.Status101SwitchingProtocols)
                        SetHeaders(response.Headers, NoPagePolicy);
                    return Task.CompletedTask;
                }, http.Response);
                return next(http);
            }
            var nonce = http.CspNonce();
            http.Response.OnStarting(() =>
            {
                SetHeaders(http.Response.Headers, PolicyHead + $"style-src 'self' 'nonce-{nonce}'; " + PolicyTail);
                return Task.CompletedTask;
            });
            return next(http);
        });

    private static void SetHeaders(IHeaderDictionary h, string policy)
    {
        // An endpoint that set its own (stricter) policy keeps it: attachments are sandboxed.
        if (string.IsNullOrEmpty(h.ContentSecurityPolicy))
            h.ContentSecurityPolicy = policy;
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "same-origin";
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
    }
}
