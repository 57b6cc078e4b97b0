using ChatterWeb.Integrations.Api;
using Microsoft.AspNetCore.Authentication;

namespace ChatterWeb.Integrations;

public static class IntegrationsExtensions
{
    /// <summary>
    /// Incoming webhooks (<c>/hooks/{token}</c>, a room's <c>/rooms/{slug}/integrations</c>), the accounts
    /// machines post as, API tokens (<c>/Account/Tokens</c>) and the HTTP API (<c>/api/v1</c>, its
    /// OpenAPI document and reference page).
    /// </summary>
    public static WebApplicationBuilder AddChatterIntegrations(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<IntegrationsOptions>().BindConfiguration(IntegrationsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<BotAccounts>();
        services.AddScoped<IncomingWebhooks>();
        services.AddScoped<RoomManagers>();
        services.AddSingleton<HookLimiter>();

        services.AddScoped<ApiTokens>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiTokenAuthentication>(ApiTokenAuthentication.SchemeName, null);
        // Each API policy names the token scheme alone: the cookie is never consulted for /api.
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiEndpoints.AnyPolicy, p => p.AddAuthenticationSchemes(ApiTokenAuthentication.SchemeName).RequireAuthenticatedUser())
            .AddPolicy(ApiEndpoints.ReadPolicy, p => p.AddAuthenticationSchemes(ApiTokenAuthentication.SchemeName).RequireAuthenticatedUser().RequireClaim(ApiScopes.ClaimType, ApiScopes.Read))
            .AddPolicy(ApiEndpoints.PostPolicy, p => p.AddAuthenticationSchemes(ApiTokenAuthentication.SchemeName).RequireAuthenticatedUser().RequireClaim(ApiScopes.ClaimType, ApiScopes.Post));
        services.AddOpenApi("v1", o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/v1", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer<BearerDocumentTransformer>();
            o.AddOperationTransformer<IdempotencyKeyOperationTransformer>();
        });
        return builder;
    }

    /// <summary>
    /// Under <c>/api</c>, an error the endpoint or routing answered without a body (no such route, a
    /// method the route does not take, a query value that does not bind) gets a problem details body.
    /// Before routing, so that routing's own 404 and 405 pass through it.
    /// </summary>
    public static WebApplication UseChatterIntegrations(this WebApplication app)
    {
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages(ApiProblem.WriteBodilessAsync));
        return app;
    }

    public static IEndpointRouteBuilder MapChatterIntegrations(this IEndpointRouteBuilder endpoints)
    {
        // No cookie, no antiforgery: the token in the path is the credential.
        endpoints.MapPost("/hooks/{token}", IncomingWebhookEndpoint.HandleAsync).AllowAnonymous().DisableAntiforgery();
        endpoints.MapApiV1();
        endpoints.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        return endpoints;
    }
}
