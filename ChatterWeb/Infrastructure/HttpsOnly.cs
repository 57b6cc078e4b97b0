using Microsoft.AspNetCore.Http.Extensions;

namespace ChatterWeb.Infrastructure;

/// <summary>
/// With <c>Chatter:Security:RequireHttps</c>, a request that arrived over plain HTTP (as the app sees it,
/// after believing a trusted proxy's <c>X-Forwarded-Proto</c>) never reaches a page: a GET or HEAD is
/// redirected (307) to the same URL over https on the same host (port 443, or
/// <c>Chatter:Security:HttpsPort</c>); any other method is refused with 400, since its body has
/// already crossed the network in the clear. The probes (<c>/healthz</c>, <c>/readyz</c>,
/// <c>/metrics</c>) answer over plain HTTP: balancers and scrapers call them directly.
/// ASP.NET Core's own HTTPS redirection is not used: it needs to know an https port, and without one it
/// let the request through to pages whose Secure-only antiforgery cookie then failed with a 500.
/// </summary>
public static partial class HttpsOnly
{
    public const string RefusalText = "This site is served over HTTPS only.";

    private static readonly PathString[] Probes = ["/healthz", "/readyz", "/metrics"];
    private static int _warned;

    public static IApplicationBuilder UseHttpsOnly(this IApplicationBuilder app, int? httpsPort) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (request.IsHttps || Probes.Contains(request.Path))
        {
            await next(context);
            return;
        }
        if (Interlocked.Exchange(ref _warned, 1) == 0)
            LogPlainHttp(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HttpsOnly)), request.Host.Value ?? "");
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.Host.HasValue)
        {
            var host = httpsPort is null or 443 ? new HostString(request.Host.Host) : new HostString(request.Host.Host, httpsPort.Value);
            response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            response.Headers.Location = UriHelper.BuildAbsolute("https", host, request.PathBase, request.Path, request.QueryString);
            return;
        }
        response.StatusCode = StatusCodes.Status400BadRequest;
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(RefusalText, context.RequestAborted);
    });

    [LoggerMessage(Level = LogLevel.Warning, Message = "A plain-HTTP request for {Host} was redirected to https or refused (Chatter:Security:RequireHttps). Behind a TLS-terminating proxy, have it send X-Forwarded-Proto: https and list it in Chatter:Security:KnownProxies or KnownNetworks, or it loops.")]
    private static partial void LogPlainHttp(ILogger logger, string host);
}
