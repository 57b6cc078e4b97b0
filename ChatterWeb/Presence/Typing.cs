using System.Text;
using System.Text.Encodings.Web;

namespace ChatterWeb.Presence;

/// <summary>
/// "Someone is typing": a room frame (seq 0, never stored) that swaps a hidden signal element; the
/// page keeps who is typing for ~5 s after each signal and until that person's message arrives.
/// The same bytes for every viewer: the page ignores its own user's signal.
/// </summary>
public static class Typing
{
    /// <summary>A person's signals are passed on at most this often (the page sends at most one a second).</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(900);

    public static byte[] Signal(string userId, string displayName) => Encoding.UTF8.GetBytes(
        $"<div id=\"typing-signal\" hx-swap-oob=\"true\" hidden data-user-id=\"{HtmlEncoder.Default.Encode(userId)}\" data-name=\"{HtmlEncoder.Default.Encode(displayName)}\"></div>");
}
