using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing.Patterns;

namespace ChatterWeb.Integrations.Api;

/// <summary>
/// <c>/docs/api</c>: the API's reference as a page (no script, so the strict CSP holds), read from the
/// same endpoint metadata the OpenAPI document at <c>/openapi/v1.json</c> is generated from.
/// </summary>
[AllowAnonymous]
public sealed class ApiReferenceModel(EndpointDataSource endpoints) : PageModel
{
    public sealed record Operation(string Method, string Path, string Summary, string Scope, IReadOnlyList<int> Statuses);

    public IReadOnlyList<Operation> Operations { get; private set; } = [];

    public void OnGet()
    {
        Operations = [.. endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .Select(e => new Operation(
                e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? "GET",
                Path(e.RoutePattern),
                e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IEndpointSummaryMetadata>()?.Summary ?? "",
                e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).FirstOrDefault(p => p is not null) switch
                {
                    ApiEndpoints.AnyPolicy => "any",
                    ApiEndpoints.ReadPolicy => ApiScopes.Read,
                    ApiEndpoints.PostPolicy => ApiScopes.Post,
                    _ => "",
                },
                [.. e.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Http.Metadata.IProducesResponseTypeMetadata>().Select(p => p.StatusCode).Distinct().Order()]))];
    }

    /// <summary>The route as a reader writes it: <c>/api/v1/rooms/{slug}/messages/{seq}</c> (constraints dropped).</summary>
    private static string Path(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            _ => "",
        }))));
}
