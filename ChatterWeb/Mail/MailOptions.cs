using System.ComponentModel.DataAnnotations;

namespace ChatterWeb.Mail;

/// <summary>
/// Bound from <c>Chatter:Mail</c>. Without a <see cref="Host"/> mail is off, and nothing that needs it
/// is offered (no "forgot password", no verification, invitations as links to pass on by hand).
/// </summary>
public sealed class MailOptions
{
    public const string Section = "Chatter:Mail";

    /// <summary>The SMTP server; empty: no mail.</summary>
    public string? Host { get; set; }

    /// <summary>Null: 25 with <see cref="MailSecurity.None"/>, 587 with StartTls, 465 with Tls.</summary>
    [Range(1, 65535)]
    public int? Port { get; set; }

    /// <summary>The sender, <c>chat@example.com</c> or <c>ChatterWeb &lt;chat@example.com&gt;</c>; required with a host.</summary>
    public string? From { get; set; }

    [EnumDataType(typeof(MailSecurity))]
    public MailSecurity Security { get; set; } = MailSecurity.StartTls;

    /// <summary>Optional: with a user name the client authenticates (after TLS, when there is TLS).</summary>
    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary>
    /// The address people reach ChatterWeb at (<c>https://chat.example.com</c>), for the links in mails.
    /// Unset: the scheme and host the request came in with. Set it in production: a forged Host header
    /// would otherwise put another site's address in a reset link (unless AllowedHosts is narrowed).
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>How long a password-reset link works (it also stops working once used).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ResetLinkLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one connection, authentication or send may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public int EffectivePort => Port ?? Security switch
    {
        MailSecurity.None => 25,
        MailSecurity.Tls => 465,
        _ => 587,
    };

    internal static bool Validate(MailOptions o) =>
        !o.Enabled ||
        (o.From is not null && MimeKit.MailboxAddress.TryParse(o.From, out _) &&
         (o.PublicUrl is null || Uri.TryCreate(o.PublicUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"));
}
