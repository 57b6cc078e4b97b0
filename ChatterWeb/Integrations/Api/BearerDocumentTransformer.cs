using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ChatterWeb.Integrations.Api;

/// <summary>The OpenAPI document says how to authenticate: an HTTP Bearer token, on every operation.</summary>
public sealed class BearerDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string SchemeName = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "ChatterWeb API";
        document.Info.Description = "Personal API tokens and bots' tokens (Authorization: Bearer <token>); errors are RFC 9457 problem details.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A personal API token (cwt_…) made on /Account/Tokens, or a bot's.",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] }];
        return Task.CompletedTask;
    }
}
