using System.Threading.Channels;

namespace ChatterWeb.Mail;

/// <summary>
/// Mails waiting for <see cref="MailSender"/>. A page only queues: it answers at once whether a mail
/// went out or not (so "forgot password" takes as long for an unknown address as for a real one),
/// and a slow or absent SMTP server never holds a request. Held in memory: mails queued on an
/// instance that stops before sending them are lost (the person asks again).
/// </summary>
public sealed class MailQueue
{
    public const int Capacity = 1000;

    private readonly Channel<OutgoingMail> _channel = Channel.CreateBounded<OutgoingMail>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>False when the queue is full (the SMTP server has been failing for a while).</summary>
    public bool TryQueue(OutgoingMail mail) => _channel.Writer.TryWrite(mail);

    internal ChannelReader<OutgoingMail> Reader => _channel.Reader;
}
