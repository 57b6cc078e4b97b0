using ChatterWeb.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace ChatterWeb.Admin;

/// <summary>
/// The administrators' pages under <c>/admin</c>: for an administrator (checked in the database on
/// every request, <see cref="Administrators.IsAdministratorAsync"/>) they answer; for everyone else,
/// signed in or not, they are 404, as if they did not exist. Every page model here derives from
/// <see cref="AdminPage"/>, which carries the policy.
/// </summary>
public static class AdminExtensions
{
    public const string Policy = "administrator";

    public static WebApplicationBuilder AddChatterAdmin(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.RequireAuthenticatedUser().AddRequirements(new AdministratorRequirement()));
        builder.Services.AddScoped<IAuthorizationHandler, AdministratorHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, NotFoundForAdminPages>();
        builder.Services.AddScoped<PeopleAdministration>();
        builder.Services.AddScoped<RoomAdministration>();
        builder.Services.AddScoped<Invitations>();
        return builder;
    }

    public static WebApplication MapChatterAdmin(this WebApplication app) => app; // Razor Pages only, for now

    public sealed class AdministratorRequirement : IAuthorizationRequirement;

    private sealed class AdministratorHandler(Administrators admins) : AuthorizationHandler<AdministratorRequirement>
    {
        protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AdministratorRequirement requirement)
        {
            if (await admins.IsAdministratorAsync(Infrastructure.UserClaims.UserId(context.User)))
                context.Succeed(requirement);
        }
    }

    /// <summary>A refused admin page is 404 (not a sign-in redirect, not 403): nobody learns it exists. Everything else as usual.</summary>
    private sealed class NotFoundForAdminPages : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
        {
            if (!result.Succeeded && policy.Requirements.OfType<AdministratorRequirement>().Any())
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            return _default.HandleAsync(next, context, policy, result);
        }
    }
}
