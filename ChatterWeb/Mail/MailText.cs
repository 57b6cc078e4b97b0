using System.Net;
using System.Text;

namespace ChatterWeb.Mail;

/// <summary>
/// The one shape of every mail ChatterWeb sends: a few sentences and one link, as plain text and as
/// HTML (every piece HTML-encoded: a display name is the sender's choice).
/// </summary>
public static class MailText
{
    public static OutgoingMail WithLink(string to, string subject, IReadOnlyList<string> before, string linkText, string url, IReadOnlyList<string> after)
    {
        var text = new StringBuilder();
        foreach (var p in before)
            text.Append(p).Append("\r\n\r\n");
        text.Append(linkText).Append(":\r\n").Append(url).Append("\r\n\r\n");
        foreach (var p in after)
            text.Append(p).Append("\r\n\r\n");

        var html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        foreach (var p in before)
            html.Append("<p>").Append(WebUtility.HtmlEncode(p)).Append("</p>");
        html.Append("<p><a href=\"").Append(WebUtility.HtmlEncode(url)).Append("\">").Append(WebUtility.HtmlEncode(linkText)).Append("</a></p>");
        foreach (var p in after)
            html.Append("<p>").Append(WebUtility.HtmlEncode(p)).Append("</p>");
        html.Append("</body></html>");
        return new OutgoingMail(to, subject, text.ToString().TrimEnd() + "\r\n", html.ToString());
    }
}
