using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Accounts;

/// <summary>A directory setting that cannot work stops the app at start, naming the option, instead of failing at someone's sign-in.</summary>
public class DirectoryOptionsTests
{
    [Theory]
    [InlineData("Chatter:Auth:Oidc:Authority", "http://idp.example.com", "Chatter:Auth:Oidc")] // http with RequireHttpsMetadata on
    [InlineData("Chatter:Auth:Oidc:Authority", "https://idp.example.com", "Chatter:Auth:Oidc")] // no ClientId
    [InlineData("Chatter:Auth:Ldap:Url", "http://dc.example.com", "Chatter:Auth:Ldap")]
    [InlineData("Chatter:Auth:Ldap:Url", "ldaps://dc.example.com", "Chatter:Auth:Ldap")] // no SearchBase
    public void A_directory_setting_that_cannot_work_stops_the_start(string key, string value, string named)
    {
        var e = Assert.ThrowsAny<Exception>(() => new ConfiguredServer([new(key, value)]).Dispose());
        Assert.Contains(named, e.ToString());
    }

    [Fact]
    public async Task Without_a_directory_the_login_page_offers_neither_and_asks_for_an_email()
    {
        using var server = new ChatterServer();
        var login = await server.NewBrowser().GetStringAsync("/Account/Login");
        Assert.DoesNotContain("Sign in with", login);
        Assert.Contains("type=\"email\"", login);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await server.NewBrowser().GetAsync("/Account/Login?handler=Oidc")).StatusCode);
    }
}
