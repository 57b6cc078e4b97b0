using Microsoft.Extensions.Options;

namespace ChatterWeb.Mail;

/// <summary>Absolute links for mails: under <see cref="MailOptions.PublicUrl"/>, or the request's own scheme and host.</summary>
public sealed class MailLinks(IOptions<MailOptions> options)
{
    public bool Enabled => options.Value.Enabled;

    /// <summary><paramref name="pathAndQuery"/> starts with '/'.</summary>
    public string To(HttpRequest request, string pathAndQuery) =>
        (options.Value.PublicUrl is { Length: > 0 } configured ? configured.TrimEnd('/') : $"{request.Scheme}://{request.Host}") + pathAndQuery;
}
