using ChatterWeb.Accounts.Audit;
using ChatterWeb.Accounts.Mailing;
using ChatterWeb.Data;
using ChatterWeb.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Accounts;

/// <summary>
/// What lets administrators control accounts, registered apart from the rest of Accounts: the sign-in
/// manager that refuses deactivated accounts and writes password sign-ins to the audit trail, the
/// audit of failed sign-ins that never reach it (<see cref="SignInAuditFilter"/>), and the account
/// mails (reset tokens of their own lifetime, <see cref="AccountMail"/>).
/// </summary>
public static class AccountControlsExtensions
{
    public static WebApplicationBuilder AddChatterAccountControls(this WebApplicationBuilder builder)
    {
        // Registered after AddIdentity's own: the last registration is the one resolved.
        builder.Services.AddScoped<SignInManager<ChatUser>, ChatterSignInManager>();

        builder.Services.AddTransient<ResetTokenProvider>();
        builder.Services.Configure<IdentityOptions>(o =>
        {
            o.Tokens.ProviderMap[ResetTokenProvider.ProviderName] = new TokenProviderDescriptor(typeof(ResetTokenProvider));
            o.Tokens.PasswordResetTokenProvider = ResetTokenProvider.ProviderName;
        });
        builder.Services.AddOptions<ResetTokenOptions>().Configure<IOptions<MailOptions>>((o, mail) => o.TokenLifespan = mail.Value.ResetLinkLifetime);
        builder.Services.AddScoped<AccountMail>();

        builder.Services.AddScoped<SignInAuditFilter>();
        // A global filter (it returns at once on every page but the sign-in page's POST).
        builder.Services.Configure<MvcOptions>(o => o.Filters.AddService<SignInAuditFilter>());
        return builder;
    }
}
