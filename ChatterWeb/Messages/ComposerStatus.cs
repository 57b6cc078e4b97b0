using System.Text;
using System.Text.Encodings.Web;

namespace ChatterWeb.Messages;

/// <summary>Frames for the sender only: the acknowledgement that clears the composer, or an error under it.</summary>
public static class ComposerStatus
{
    /// <summary>"Stored": the page clears the composer if it still holds what was sent with this id.</summary>
    public static byte[] Ack(string clientMessageId) => Encoding.UTF8.GetBytes(
        $"<div id=\"composer-status\" class=\"composer-status\" hx-swap-oob=\"true\" data-ack=\"{HtmlEncoder.Default.Encode(clientMessageId)}\"></div>");

    public static byte[] Error(string text) => Encoding.UTF8.GetBytes(
        $"<div id=\"composer-status\" class=\"composer-status error\" hx-swap-oob=\"true\" role=\"alert\" hx-disable>{HtmlEncoder.Default.Encode(text)}</div>");

    /// <summary>
    /// An <c>@here</c>/<c>@room</c> that reaches many was not sent: the question, with the button that
    /// sends it again confirmed (room-wide.mjs) and one that drops the question. Answers the send like an error.
    /// </summary>
    public static byte[] Confirm(Data.RoomMention kind, int people) => Encoding.UTF8.GetBytes(
        "<div id=\"composer-status\" class=\"composer-status confirm\" hx-swap-oob=\"true\" role=\"alert\" data-confirm=\"true\"><span>"
        + HtmlEncoder.Default.Encode(RoomWide.Confirmation(kind, people))
        + "</span> <button type=\"button\" class=\"primary confirm-send\">Send to " + RoomWide.People(people)
        + "</button> <button type=\"button\" class=\"confirm-cancel\">Cancel</button></div>");

    /// <summary>The page is too far behind to catch up message by message: it reloads the room.</summary>
    public static byte[] Reload() => Encoding.UTF8.GetBytes(
        "<div id=\"composer-status\" class=\"composer-status\" hx-swap-oob=\"true\" data-reload=\"true\">Catching up…</div>");
}
