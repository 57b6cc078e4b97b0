using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Admin;

/// <summary>An <see cref="AdminServer"/> with mail on, sending to a real SMTP server of its own (<see cref="Smtp"/>).</summary>
public class MailServer : AdminServer
{
    // A field initializer: the SMTP server runs before the base constructor starts the app with its port.
    private readonly SmtpServer _smtp = new();

    public MailServer() : this(null)
    {
    }

    protected MailServer(TestDatabase? database) : base(database)
    {
    }

    public SmtpServer Smtp => _smtp;

    /// <summary>More settings for a subclass (the registration policy, the public address).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> MailSettings() => [];

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), .. _smtp.Settings(), .. MailSettings()];

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _smtp.Dispose();
    }
}

public sealed class PostgreSqlMailServer() : MailServer(TestDatabase.PostgreSql());

/// <summary>Sign-up by invitation only, with mail.</summary>
public class InviteOnlyMailServer : MailServer
{
    public InviteOnlyMailServer() : this(null)
    {
    }

    protected InviteOnlyMailServer(TestDatabase? database) : base(database)
    {
    }

    protected override IEnumerable<KeyValuePair<string, string?>> MailSettings() => [new("Chatter:Accounts:Registration", "InviteOnly")];
}

public sealed class PostgreSqlInviteOnlyMailServer() : InviteOnlyMailServer(TestDatabase.PostgreSql());

/// <summary>Links under a configured public address, and reset links that live two seconds.</summary>
public sealed class PublicUrlMailServer : MailServer
{
    public const string PublicUrl = "https://chat.example.test";

    protected override IEnumerable<KeyValuePair<string, string?>> MailSettings() =>
    [
        new("Chatter:Mail:PublicUrl", PublicUrl),
        new("Chatter:Mail:ResetLinkLifetime", "00:00:02"),
    ];
}
