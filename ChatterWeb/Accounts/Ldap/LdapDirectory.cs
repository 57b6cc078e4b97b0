using System.DirectoryServices.Protocols;
using System.Net;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Accounts.Ldap;

/// <summary>What the directory said about a user name (or email) and password.</summary>
public abstract record LdapResult
{
    public sealed record Authenticated(DirectoryIdentity Identity) : LdapResult;

    /// <summary>Nobody in the directory answers to that name (never there, or removed).</summary>
    public sealed record Unknown : LdapResult;

    /// <summary>Somebody does, but not with that password (or more than one entry matched).</summary>
    public sealed record Refused : LdapResult;

    /// <summary>The directory could not be reached or did not answer in time, or the service account was refused.</summary>
    public sealed record Unavailable : LdapResult;
}

/// <summary>
/// Checks a password against LDAP / Active Directory with System.DirectoryServices.Protocols (the
/// system's OpenLDAP client library on Linux): the service account searches for exactly one entry
/// matching the filter (the typed name escaped), checks the admin group, then a second connection
/// binds as that entry with the typed password. Every step is bounded by <see cref="LdapOptions.Timeout"/>,
/// and the whole by a little more.
/// </summary>
public sealed partial class LdapDirectory
{
    private readonly IOptions<LdapOptions> options;
    private readonly ILogger<LdapDirectory> logger;

    public LdapDirectory(IOptions<LdapOptions> options, ILogger<LdapDirectory> logger)
    {
        this.options = options;
        this.logger = logger;
        // Plain ldap:// carries every password typed on the login form in clear text.
        if (options.Value.Enabled && new Uri(options.Value.Url!) is { Scheme: "ldap" } url && !url.IsLoopback)
            LogCleartext(url.Host);
    }

    public const string Provider = "ldap";
    public const string ProviderName = "the company directory";

    private static readonly string[] Attributes = ["mail", "displayName", "cn", "entryUUID", "objectGUID"];

    public bool Enabled => options.Value.Enabled;

    public async Task<LdapResult> AuthenticateAsync(string login, string password, CancellationToken ct)
    {
        // An empty password is an "unauthenticated bind" (RFC 4513 5.1.2): many servers answer it with
        // success, as anonymous. Never ask.
        if (string.IsNullOrEmpty(password) || string.IsNullOrWhiteSpace(login))
            return new LdapResult.Refused();
        var o = options.Value;
        var work = Task.Run(() => Authenticate(o, login.Trim(), password), CancellationToken.None);
        try
        {
            // Three steps of at most Timeout each, and a margin: a stuck library call cannot hold the request.
            return await work.WaitAsync(o.Timeout * 3 + TimeSpan.FromSeconds(1), ct);
        }
        catch (TimeoutException)
        {
            LogUnavailable(o.Url!, "no answer in time");
            return new LdapResult.Unavailable();
        }
    }

    private LdapResult Authenticate(LdapOptions o, string login, string password)
    {
        string dn;
        DirectoryIdentity identity;
        try
        {
            using var service = Connect(o);
            service.Bind(new NetworkCredential(o.BindDn, o.BindPassword));
            var search = new SearchRequest(o.SearchBase, LdapFilter.Format(o.UserFilter, login), SearchScope.Subtree, Attributes)
            {
                SizeLimit = 2,
                TimeLimit = o.Timeout,
            };
            SearchResponse found;
            try
            {
                found = (SearchResponse)service.SendRequest(search, o.Timeout);
            }
            catch (DirectoryOperationException e) when (e.Response?.ResultCode == ResultCode.SizeLimitExceeded)
            {
                return new LdapResult.Refused(); // more than one entry: the name is ambiguous
            }
            if (found.Entries.Count == 0)
                return new LdapResult.Unknown();
            if (found.Entries.Count > 1)
                return new LdapResult.Refused();
            var entry = found.Entries[0];
            dn = entry.DistinguishedName;
            identity = new DirectoryIdentity(Provider, ProviderName, KeyOf(entry), First(entry, "mail"),
                EmailVerified: true, // the directory's own record, kept by its administrators
                First(entry, "displayName") ?? First(entry, "cn"), IsAdmin(service, o, dn));
        }
        catch (LdapException e)
        {
            LogUnavailable(o.Url!, $"{e.ErrorCode}: {e.Message}");
            return new LdapResult.Unavailable();
        }
        catch (DirectoryOperationException e)
        {
            LogUnavailable(o.Url!, $"{e.Response?.ResultCode}: {e.Message}");
            return new LdapResult.Unavailable();
        }

        try
        {
            using var user = Connect(o);
            user.Bind(new NetworkCredential(dn, password));
            return new LdapResult.Authenticated(identity);
        }
        catch (LdapException e) when (e.ErrorCode == 49) // invalidCredentials
        {
            return new LdapResult.Refused();
        }
        catch (LdapException e)
        {
            LogUnavailable(o.Url!, $"{e.ErrorCode}: {e.Message}");
            return new LdapResult.Unavailable();
        }
    }

    private static LdapConnection Connect(LdapOptions o)
    {
        var url = new Uri(o.Url!);
        var ldaps = url.Scheme == "ldaps";
        var port = url.IsDefaultPort || url.Port <= 0 ? (ldaps ? 636 : 389) : url.Port;
        var connection = new LdapConnection(new LdapDirectoryIdentifier(url.Host, port), null, AuthType.Basic)
        {
            Timeout = o.Timeout,
            AutoBind = false,
        };
        connection.SessionOptions.ProtocolVersion = 3;
        connection.SessionOptions.SecureSocketLayer = ldaps;
        connection.SessionOptions.ReferralChasing = ReferralChasingOptions.None;
        return connection;
    }

    private bool IsAdmin(LdapConnection service, LdapOptions o, string dn)
    {
        if (string.IsNullOrWhiteSpace(o.AdminGroupDn))
            return false;
        var value = LdapFilter.Escape(dn);
        var request = new SearchRequest(o.AdminGroupDn, $"(|(member={value})(uniqueMember={value}))", SearchScope.Base, "cn") { TimeLimit = o.Timeout };
        try
        {
            return ((SearchResponse)service.SendRequest(request, o.Timeout)).Entries.Count == 1;
        }
        catch (DirectoryOperationException e) when (e.Response?.ResultCode == ResultCode.NoSuchObject)
        {
            LogNoAdminGroup(o.AdminGroupDn);
            return false;
        }
    }

    /// <summary>A key that survives renames and moves: entryUUID (OpenLDAP and most servers), objectGUID (Active Directory), else the DN.</summary>
    private static string KeyOf(SearchResultEntry entry)
    {
        if (First(entry, "entryUUID") is { Length: > 0 } uuid)
            return uuid.ToLowerInvariant();
        if (entry.Attributes["objectGUID"] is { Count: > 0 } guid && guid[0] is byte[] { Length: 16 } bytes)
            return new Guid(bytes).ToString();
        return entry.DistinguishedName.ToLowerInvariant();
    }

    private static string? First(SearchResultEntry entry, string attribute) =>
        entry.Attributes[attribute] is { Count: > 0 } values && values.GetValues(typeof(string)) is [string value, ..] && value.Trim().Length > 0
            ? value.Trim()
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The LDAP directory {Url} is unavailable: {Reason}")]
    private partial void LogUnavailable(string url, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chatter:Auth:Ldap:Url is ldap:// to {Host}: passwords cross the network in clear text. Use ldaps://")]
    private partial void LogCleartext(string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The LDAP admin group {Dn} does not exist: nobody is an administrator through it")]
    private partial void LogNoAdminGroup(string dn);
}
