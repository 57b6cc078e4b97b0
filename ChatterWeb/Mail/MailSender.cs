using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ChatterWeb.Mail;

/// <summary>
/// Sends what is queued (<see cref="MailQueue"/>) with MailKit: one connection for the mails waiting
/// together, each mail tried up to <see cref="Attempts"/> times (a new connection after a failure).
/// A mail that still fails is logged and dropped.
/// </summary>
public sealed partial class MailSender(MailQueue queue, IOptions<MailOptions> options, ILogger<MailSender> logger) : BackgroundService
{
    public const int Attempts = 3;
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled)
            return;
        var from = MailboxAddress.Parse(o.From!);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                using var client = new SmtpClient { Timeout = (int)o.Timeout.TotalMilliseconds };
                while (queue.Reader.TryRead(out var mail))
                    await SendAsync(client, o, Compose(from, mail), mail.To, stoppingToken);
                if (client.IsConnected)
                    await client.DisconnectAsync(quit: true, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(SmtpClient client, MailOptions o, MimeMessage message, string to, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (!client.IsConnected)
                {
                    await client.ConnectAsync(o.Host!, o.EffectivePort, o.Security switch
                    {
                        MailSecurity.None => SecureSocketOptions.None,
                        MailSecurity.Tls => SecureSocketOptions.SslOnConnect,
                        _ => SecureSocketOptions.StartTls,
                    }, ct);
                    if (!string.IsNullOrEmpty(o.UserName))
                        await client.AuthenticateAsync(o.UserName, o.Password ?? "", ct);
                }
                await client.SendAsync(message, ct);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                try { await client.DisconnectAsync(quit: false, CancellationToken.None); } catch (Exception) { }
                if (attempt == Attempts)
                {
                    LogNotSent(e, Redact(to), attempt);
                    return;
                }
                await Task.Delay(Pause * attempt, ct);
            }
        }
    }

    public static MimeMessage Compose(MailboxAddress from, OutgoingMail mail)
    {
        var message = new MimeMessage();
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Body = new BodyBuilder { TextBody = mail.Text, HtmlBody = mail.Html }.ToMessageBody();
        return message;
    }

    /// <summary>Logs name the domain only: <c>…@example.com</c>.</summary>
    private static string Redact(string address) => address.IndexOf('@') is var at and >= 0 ? "…" + address[at..] : "…";

    [LoggerMessage(Level = LogLevel.Error, Message = "A mail to {To} could not be sent after {Attempts} attempts")]
    private partial void LogNotSent(Exception e, string to, int attempts);
}
