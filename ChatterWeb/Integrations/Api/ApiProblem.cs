using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatterWeb.Integrations.Api;

/// <summary>RFC 9457 problem details, as every error of <c>/api</c> answers (<c>application/problem+json</c>).</summary>
public static class ApiProblem
{
    public const string ContentType = "application/problem+json";

    public static IResult Of(int status, string title, string? detail = null) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail, Type = TypeOf(status) });

    public static IResult NotFound(string detail = "There is no such room, or you may not read it.") => Of(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult BadRequest(string detail) => Of(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static IResult Forbidden(string detail) => Of(StatusCodes.Status403Forbidden, "Forbidden", detail);

    /// <summary>429 with <c>Retry-After</c> in whole seconds (at least 1).</summary>
    public static IResult TooManyRequests(HttpContext http, TimeSpan wait)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Of(StatusCodes.Status429TooManyRequests, "Too many requests", "You are sending messages too fast: wait for Retry-After seconds, then try again.");
    }

    /// <summary>Writes a problem straight to the response (for the authentication handler and errors raised before an endpoint runs).</summary>
    public static Task WriteAsync(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new ProblemDetails { Status = status, Title = title, Detail = detail, Type = TypeOf(status) },
            (JsonSerializerOptions?)null, ContentType, http.RequestAborted);
    }

    /// <summary>
    /// The body for an error answered without one under <c>/api</c>: no such route (404), a method the
    /// route does not take (405), a query or route value that does not bind (400).
    /// </summary>
    public static Task WriteBodilessAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        var detail = status switch
        {
            StatusCodes.Status400BadRequest => "A value in the path or the query is not valid: before, after and limit are whole numbers.",
            StatusCodes.Status404NotFound => "There is no such API call: see /openapi/v1.json.",
            StatusCodes.Status405MethodNotAllowed => "This API call does not take that method: see /openapi/v1.json.",
            _ => ReasonPhrases.GetReasonPhrase(status),
        };
        return WriteAsync(http, status, ReasonPhrases.GetReasonPhrase(status), detail);
    }

    /// <summary>The RFC 9110 section of the status, as ASP.NET Core's own problem details name it.</summary>
    public static string TypeOf(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        405 => "https://tools.ietf.org/html/rfc9110#section-15.5.6",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        422 => "https://tools.ietf.org/html/rfc9110#section-15.5.21",
        429 => "https://tools.ietf.org/html/rfc6585#section-4",
        _ => "about:blank",
    };
}
