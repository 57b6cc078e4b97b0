namespace ChatterWeb.Integrations;

public static class IntegrationsExtensions
{
    /// <summary>Incoming webhooks (<c>/hooks/{token}</c>, a room's <c>/rooms/{slug}/integrations</c>) and the accounts machines post as.</summary>
    public static WebApplicationBuilder AddChatterIntegrations(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IntegrationsOptions>().BindConfiguration(IntegrationsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<BotAccounts>();
        builder.Services.AddScoped<IncomingWebhooks>();
        builder.Services.AddScoped<RoomManagers>();
        builder.Services.AddSingleton<HookLimiter>();
        return builder;
    }

    public static IEndpointRouteBuilder MapChatterIntegrations(this IEndpointRouteBuilder endpoints)
    {
        // No cookie, no antiforgery: the token in the path is the credential.
        endpoints.MapPost("/hooks/{token}", IncomingWebhookEndpoint.HandleAsync).AllowAnonymous().DisableAntiforgery();
        return endpoints;
    }
}
