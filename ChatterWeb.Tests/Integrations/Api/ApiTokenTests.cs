using System.Net;
using ChatterWeb.Data;
using ChatterWeb.Integrations;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ChatterWeb.Tests.Integrations.Api.ApiCalls;

namespace ChatterWeb.Tests.Integrations.Api;

/// <summary>
/// Personal API tokens on <c>/Account/Tokens</c>: made with a name, scopes and an expiry, shown once,
/// stored as a hash, listed, revoked at once; expired ones refused; the API and the pages never accept
/// each other's credentials.
/// </summary>
public abstract class ApiTokenTests(ApiServer server)
{
    [Fact]
    public async Task A_token_is_shown_once_stored_hashed_and_works_at_once()
    {
        var ada = await server.SignUpAsync("Ada Tokens");
        var before = DateTimeOffset.UtcNow;
        var response = await CreateTokenAsync(ada, "deploy script", ["read", "post"], "30");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        var token = Revealed(await response.Content.ReadAsStringAsync());
        Assert.StartsWith(SecretToken.ApiPrefix, token);

        var row = await server.WithDbAsync(db => db.ApiTokens.SingleAsync(t => t.UserId == ada.Id));
        Assert.Equal("deploy script", row.Name);
        Assert.Equal("read post", row.Scopes);
        Assert.Equal(SecretToken.Hash(token), row.TokenHash);
        Assert.DoesNotContain(token, row.TokenHash);
        Assert.InRange(row.ExpiresAt!.Value, before.AddDays(30).AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(30).AddMinutes(1));
        Assert.Null(row.LastUsedAt);

        // the list names it and never shows it again
        var page = await ada.Http.GetStringAsync("/Account/Tokens");
        Assert.Contains("deploy script", page);
        Assert.Contains("may read and post", page);
        Assert.DoesNotContain(token, page);
        Assert.DoesNotContain("id=\"new-token\"", page);

        var me = await GetJsonAsync(ApiClient(server, token), "/api/v1/me");
        Assert.Equal(ada.Id, me.GetProperty("id").GetString());
        Assert.NotNull(await server.WithDbAsync(db => db.ApiTokens.Where(t => t.Id == row.Id).Select(t => t.LastUsedAt).SingleAsync()));
        Assert.Contains("last used", await ada.Http.GetStringAsync("/Account/Tokens"));
    }

    [Fact]
    public async Task A_token_may_never_expire_and_may_hold_one_scope()
    {
        var ada = await server.SignUpAsync();
        Assert.Equal(HttpStatusCode.OK, (await CreateTokenAsync(ada, "forever", ["post"], "0")).StatusCode);
        var row = await server.WithDbAsync(db => db.ApiTokens.SingleAsync(t => t.UserId == ada.Id));
        Assert.Null(row.ExpiresAt);
        Assert.Equal("post", row.Scopes);
        Assert.Contains("never expires", await ada.Http.GetStringAsync("/Account/Tokens"));
    }

    [Theory]
    [InlineData("   ", "read", "30", "Give the token a name")]
    [InlineData("no scope", null, "30", "Choose what the token may do")]
    [InlineData("unknown scope", "admin", "30", "Choose what the token may do")]
    [InlineData("odd expiry", "read", "7", "Choose when the token expires")]
    [InlineData("no expiry", "read", "", "Choose when the token expires")]
    public async Task Bad_input_is_a_message_on_the_page_and_makes_nothing(string name, string? scope, string days, string error)
    {
        var ada = await server.SignUpAsync();
        var response = await CreateTokenAsync(ada, name, scope is null ? [] : [scope], days);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains(error, page);
        Assert.DoesNotContain("id=\"new-token\"", page);
        Assert.False(await server.WithDbAsync(db => db.ApiTokens.AnyAsync(t => t.UserId == ada.Id)));
    }

    [Fact]
    public async Task Revoking_stops_the_token_at_once_and_only_its_owner_may()
    {
        var ada = await server.SignUpAsync();
        var eve = await server.SignUpAsync();
        var token = await TokenAsync(ada, "read");
        var api = ApiClient(server, token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/me")).StatusCode);
        var id = await server.WithDbAsync(db => db.ApiTokens.Where(t => t.UserId == ada.Id).Select(t => t.Id).SingleAsync());

        // someone else cannot revoke it (or learn that it exists)
        var sneaky = await ChatterServer.PostFormAsync(eve.Http, $"/Account/Tokens?handler=Revoke&id={id}", [], "/Account/Tokens");
        Assert.Equal(HttpStatusCode.NotFound, sneaky.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/me")).StatusCode);

        var revoke = await ChatterServer.PostFormAsync(ada.Http, $"/Account/Tokens?handler=Revoke&id={id}", [], "/Account/Tokens");
        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        Assert.Equal("/Account/Tokens?done=revoked", revoke.Headers.Location!.ToString());
        Assert.Contains("Revoked", await ada.Http.GetStringAsync(revoke.Headers.Location));
        var refused = await api.GetAsync("/api/v1/me");
        Assert.Contains("revoked", await AssertProblemAsync(refused, HttpStatusCode.Unauthorized));
        Assert.Contains("invalid_token", refused.Headers.WwwAuthenticate.ToString());
        Assert.False(await server.WithDbAsync(db => db.ApiTokens.AnyAsync(t => t.Id == id)));
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var ada = await server.SignUpAsync();
        var token = await TokenAsync(ada);
        var api = ApiClient(server, token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/me")).StatusCode);
        var hash = SecretToken.Hash(token);
        await server.WithDbAsync(db => db.ApiTokens.Where(t => t.TokenHash == hash).ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1))));

        Assert.Contains("expired", await AssertProblemAsync(await api.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized));
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostTextAsync(api, "general", "after expiry")).StatusCode);
        Assert.Contains("expires", await ada.Http.GetStringAsync("/Account/Tokens"));
    }

    [Fact]
    public async Task A_deactivated_accounts_tokens_open_nothing_until_it_is_reactivated()
    {
        var ada = await server.SignUpAsync();
        var api = ApiClient(server, await TokenAsync(ada));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/me")).StatusCode);

        await server.WithDbAsync(db => db.Users.Where(u => u.Id == ada.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.DeactivatedAt, DateTimeOffset.UtcNow)));
        await AssertProblemAsync(await api.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostTextAsync(api, "general", "while deactivated")).StatusCode);

        await server.WithDbAsync(db => db.Users.Where(u => u.Id == ada.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.DeactivatedAt, (DateTimeOffset?)null)));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task The_session_cookie_never_authenticates_the_API()
    {
        var ada = await server.SignUpAsync();
        var text = "cookie " + Guid.NewGuid().ToString("N")[..8];
        // ada.Http carries her signed-in cookie (and would carry any antiforgery cookie): the API does not care
        Assert.Equal(HttpStatusCode.OK, (await ada.Http.GetAsync("/rooms")).StatusCode);
        await AssertProblemAsync(await ada.Http.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await ada.Http.GetAsync("/api/v1/rooms"), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await PostTextAsync(ada.Http, "general", text), HttpStatusCode.Unauthorized);
        Assert.False(await server.WithDbAsync(db => db.Messages.AnyAsync(m => m.Body == text)));
    }

    [Fact]
    public async Task A_token_never_opens_a_page()
    {
        var ada = await server.SignUpAsync();
        var token = await TokenAsync(ada);
        var api = ApiClient(server, token);
        foreach (var page in new[] { "/rooms", "/rooms/general", "/Account/Tokens", "/search?q=x", "/rooms/general/integrations" })
        {
            var response = await api.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/Account/Login", new Uri(server.BaseUri, response.Headers.Location!.ToString()).PathAndQuery);
        }
        // nor posts a form: making a room with only the token makes none
        var roomName = "Token room " + Guid.NewGuid().ToString("N")[..6];
        var form = await api.PostAsync("/rooms", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = roomName }));
        Assert.NotEqual(HttpStatusCode.OK, form.StatusCode);
        Assert.False(await server.WithDbAsync(db => db.Rooms.AnyAsync(r => r.Name == roomName)));
    }

    [Fact]
    public async Task The_tokens_page_is_for_signed_in_people()
    {
        var anonymous = server.NewBrowser();
        var response = await anonymous.GetAsync("/Account/Tokens");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", new Uri(server.BaseUri, response.Headers.Location!.ToString()).PathAndQuery);
    }

    public sealed class OnSqlite(ApiServer server) : ApiTokenTests(server), IClassFixture<ApiServer>;

    public sealed class OnPostgreSql(PostgreSqlApiServer server) : ApiTokenTests(server), IClassFixture<PostgreSqlApiServer>;
}
