using System.Net.Http.Json;

namespace ChatterWeb.Testing;

/// <summary>A person of the test IdP (see ChatterWeb.TestIdentityProvider). <paramref name="Deny"/>: the IdP answers error=access_denied for them.</summary>
public sealed record OidcPerson(string UserName, string Password, string Subject, string? Email, string? Name, bool EmailVerified = true, string? Groups = null, bool Deny = false);

/// <summary>
/// A real OpenID Connect provider for a test: ChatterWeb.TestIdentityProvider (OpenIddict's server) as a
/// process of its own on a loopback port, with the client <see cref="ClientId"/> and the given people.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    public const string Project = "ChatterWeb.TestIdentityProvider";
    public const string ClientId = "chatterweb";
    public const string ClientSecret = "test client secret";
    public const string AdminGroup = "chatter-admins";
    public const string DisplayName = "Test IdP";

    private readonly AppProcess _process;

    private OidcProvider(AppProcess process) => _process = process;

    /// <summary>http://127.0.0.1:{port}, the issuer.</summary>
    public string Authority => _process.BaseUrl;
    public int Pid => _process.Pid;
    public string Output => _process.Output;

    public static async Task<OidcProvider> StartAsync(params OidcPerson[] people)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Idp__ClientId"] = ClientId,
            ["Idp__ClientSecret"] = ClientSecret,
            ["Logging__LogLevel__Default"] = "Warning",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        for (var i = 0; i < people.Length; i++)
        {
            var p = people[i];
            settings[$"Idp__Users__{i}__UserName"] = p.UserName;
            settings[$"Idp__Users__{i}__Password"] = p.Password;
            settings[$"Idp__Users__{i}__Subject"] = p.Subject;
            settings[$"Idp__Users__{i}__Email"] = p.Email;
            settings[$"Idp__Users__{i}__Name"] = p.Name;
            settings[$"Idp__Users__{i}__EmailVerified"] = p.EmailVerified ? "true" : "false";
            settings[$"Idp__Users__{i}__Groups"] = p.Groups;
            settings[$"Idp__Users__{i}__Deny"] = p.Deny ? "true" : "false";
        }
        return new OidcProvider(await AppProcess.StartAsync(new AppProcessOptions { Project = Project, Settings = settings }));
    }

    /// <summary>The settings that point ChatterWeb at this IdP (configuration keys).</summary>
    public Dictionary<string, string?> AppSettings() => new()
    {
        ["Chatter:Auth:Oidc:Authority"] = Authority,
        ["Chatter:Auth:Oidc:ClientId"] = ClientId,
        ["Chatter:Auth:Oidc:ClientSecret"] = ClientSecret,
        ["Chatter:Auth:Oidc:DisplayName"] = DisplayName,
        ["Chatter:Auth:Oidc:AdminGroups"] = $"some-other-group,{AdminGroup}",
        ["Chatter:Auth:Oidc:RequireHttpsMetadata"] = "false",
        ["Chatter:Auth:Oidc:Timeout"] = "00:00:03",
    };

    /// <summary>The parameters of every authorization request the IdP received, oldest first.</summary>
    public async Task<IReadOnlyList<Dictionary<string, string?>>> AuthorizeRequestsAsync()
    {
        using var http = new HttpClient { BaseAddress = _process.BaseUri };
        return (await http.GetFromJsonAsync<List<Dictionary<string, string?>>>("/test/authorize-requests"))!;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
