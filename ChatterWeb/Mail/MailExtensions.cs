
namespace ChatterWeb.Mail;

/// <summary>Mail: the options, the queue and the sender. Uses no other folder; Accounts, Admin and Rooms use it.</summary>
public static class MailExtensions
{
    public static WebApplicationBuilder AddChatterMail(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section).ValidateDataAnnotations()
            .Validate(MailOptions.Validate, $"{MailOptions.Section}: with a Host, From must be an email address (\"chat@example.com\" or \"Name <chat@example.com>\") and PublicUrl, when set, an http(s) address.")
            .ValidateOnStart();
        builder.Services.AddSingleton<MailQueue>();
        builder.Services.AddHostedService<MailSender>();
        builder.Services.AddSingleton<MailLinks>();
        return builder;
    }
}
