namespace ChatterWeb.Data;

/// <summary>
/// The messages whose body holds every term (whole words by prefix, case ignored where the
/// database can), as a query the caller narrows further. One implementation per provider, chosen once.
/// </summary>
public interface IMessageMatches
{
    IQueryable<Message> Matching(IReadOnlyList<string> terms);
}
