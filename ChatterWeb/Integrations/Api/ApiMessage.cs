using ChatterWeb.Messages;

namespace ChatterWeb.Integrations.Api;

/// <summary>
/// A message as the API shows it: <paramref name="Text"/> is the Markdown source as stored (empty
/// once deleted); <paramref name="Permalink"/> is the page path of the message.
/// </summary>
public sealed record ApiMessage(long Seq, ApiAuthor Author, string Text, DateTimeOffset CreatedAt, DateTimeOffset? EditedAt, bool Deleted, string Permalink)
{
    public static ApiMessage From(MessageView m, string slug) =>
        new(m.Seq, new ApiAuthor(m.AuthorId, m.AuthorName, m.AuthorIsBot), m.DeletedAt is null ? m.Body : "", m.CreatedAt, m.EditedAt,
            m.DeletedAt is not null, $"/rooms/{slug}/@{m.Seq}");
}
