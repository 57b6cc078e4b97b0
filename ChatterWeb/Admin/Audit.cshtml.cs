using ChatterWeb.Accounts.Audit;
using ChatterWeb.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Admin;

/// <summary>
/// <c>/admin/audit</c>: the audit trail, newest first, filtered by person (an email address: the
/// account's entries as actor or subject, and entries about that address typed at sign-in), action
/// and dates (whole UTC days, both ends included), a page of <see cref="AuditTrail.PageSize"/> at a
/// time. A GET form: works without JavaScript, and a filtered view is a link.
/// </summary>
public sealed class AuditModel(AuditTrail trail, UserManager<ChatUser> users, ChatterDbContext db) : AdminPage
{
    [BindProperty(SupportsGet = true)]
    public string? Person { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        if (!ModelState.IsValid)
        {
            // A date or a cursor that is not one: say so and show nothing, rather than everything.
            Error = "The dates must be days (YYYY-MM-DD).";
            return Page();
        }
        if (Action is { Length: > 0 } && !AuditActions.All.Contains(Action))
        {
            Error = "There is no such action.";
            return Page();
        }
        string? personId = null, subject = null;
        if (!string.IsNullOrWhiteSpace(Person))
        {
            subject = Person.Trim();
            personId = (await users.FindByEmailAsync(subject))?.Id;
        }
        var from = From is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : (DateTimeOffset?)null;
        var to = To is { } t ? new DateTimeOffset(t.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : (DateTimeOffset?)null;
        Entries = await trail.FindAsync(personId, Action is { Length: > 0 } ? Action : null, from, to, Before, ct, subject);
        var ids = Entries.SelectMany(e => new[] { e.ActorId, e.SubjectId }).OfType<string>().Distinct().ToList();
        Names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return Page();
    }

    public string NameOf(string? userId) => userId is null ? "" : Names.TryGetValue(userId, out var name) ? name : "(account removed)";

    /// <summary>The query string of the next (older) page: the same filters, before the last entry shown.</summary>
    public string OlderLink() => QueryString.Create(new Dictionary<string, string?>
    {
        ["person"] = Person,
        ["action"] = Action,
        ["from"] = From?.ToString("yyyy-MM-dd"),
        ["to"] = To?.ToString("yyyy-MM-dd"),
        ["before"] = Entries[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent();
}
