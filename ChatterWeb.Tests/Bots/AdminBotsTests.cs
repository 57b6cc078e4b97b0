using System.Net;
using System.Text.RegularExpressions;
using ChatterWeb.Integrations;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.Bots;

/// <summary>
/// <c>/admin/bots</c> over real HTTP: only administrators reach it; a bot is a locked account in the
/// rooms chosen for it, with a secret shown once and stored encrypted; its tokens are API tokens like
/// personal ones; it is changed and deleted; bad input is a 400 with the form kept.
/// </summary>
public abstract partial class AdminBotsTests(BotServer server)
{
    private const string Url = "http://127.0.0.1:9/hook";

    [Fact]
    public async Task Only_administrators_reach_the_bots_pages()
    {
        var (id, _) = await BotPages.CreateBotAsync(server, server.Admin, "Guarded", Url, null, "");
        var member = await server.SignUpAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await member.Http.GetAsync("/admin/bots")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await member.Http.GetAsync($"/admin/bots/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.NewBrowser().GetAsync("/admin/bots")).StatusCode);
        var token = ChatterServer.AntiforgeryToken(await member.Http.GetStringAsync("/rooms"));
        var sneaky = await member.Http.PostAsync($"/admin/bots/{id}?handler=Delete", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.NotFound, sneaky.StatusCode);
        var create = await member.Http.PostAsync("/admin/bots?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["BotName"] = "Mine now", ["BotUrl"] = Url,
        }));
        Assert.Equal(HttpStatusCode.NotFound, create.StatusCode);
        Assert.True(await server.WithDbAsync(db => db.Bots.AnyAsync(b => b.Id == id)));
        Assert.False(await server.WithDbAsync(db => db.Users.AnyAsync(u => u.DisplayName == "Mine now")));
        Assert.Contains("href=\"/admin/bots\"", await server.Admin.Http.GetStringAsync("/admin"));
    }

    [Fact]
    public async Task A_bot_is_a_locked_account_in_its_rooms_and_its_secret_is_shown_once_and_stored_encrypted()
    {
        var owner = await server.SignUpAsync();
        var open = await BotPages.CreateRoomAsync(owner);
        var closed = await BotPages.CreateRoomAsync(owner, membersOnly: true);
        var notChosen = await BotPages.CreateRoomAsync(owner);
        var (id, secret) = await BotPages.CreateBotAsync(server, server.Admin, "Helper", Url, null, "/help, about", open, closed);

        Assert.Matches("^[A-Za-z0-9_-]{43}$", secret);
        var bot = await server.WithDbAsync(db => db.Bots.AsNoTracking().SingleAsync(b => b.Id == id));
        Assert.DoesNotContain(secret, bot.ProtectedSecret);
        Assert.Equal("help about", bot.Commands);
        Assert.Equal(server.Admin.Id, bot.CreatedById);
        var account = await server.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == bot.UserId));
        Assert.True(account.IsBot);
        Assert.Null(account.PasswordHash);
        Assert.True(account.LockoutEnd > DateTimeOffset.UtcNow.AddYears(1000), $"locked until {account.LockoutEnd}"); // for ever (SQLite keeps less precision than the maximum)
        Assert.Equal("Helper", account.DisplayName);
        var rooms = await server.WithDbAsync(db => db.Memberships.Where(m => m.UserId == bot.UserId).Join(db.Rooms, m => m.RoomId, r => r.Id, (m, r) => r.Slug).ToListAsync());
        Assert.Equal(new[] { open, closed }.Order(), rooms.Order());

        // the list and the bot's page show it, never the secret
        var list = await server.Admin.Http.GetStringAsync("/admin/bots");
        Assert.Contains("Helper", list);
        Assert.Contains("/help /about", list);
        Assert.DoesNotContain(secret, list);
        var page = await server.Admin.Http.GetStringAsync($"/admin/bots/{id}");
        Assert.DoesNotContain(secret, page);
        Assert.Contains($"value=\"{await server.RoomIdAsync(open)}\" checked", page);
        Assert.Contains($"value=\"{await server.RoomIdAsync(closed)}\" checked", page);
        Assert.DoesNotContain($"value=\"{await server.RoomIdAsync(notChosen)}\" checked", page);

        // a new secret replaces it, shown once
        var replaced = await BotPages.PostBotFormAsync(server.Admin, id, "Secret", [new("secret", "my-own-secret-of-enough-length")]);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Contains("value=\"my-own-secret-of-enough-length\"", await replaced.Content.ReadAsStringAsync());
        Assert.NotEqual(bot.ProtectedSecret, await server.WithDbAsync(db => db.Bots.Where(b => b.Id == id).Select(b => b.ProtectedSecret).SingleAsync()));
        Assert.DoesNotContain("my-own-secret-of-enough-length", await server.Admin.Http.GetStringAsync($"/admin/bots/{id}"));
    }

    [Theory]
    [InlineData("", Url, "", "Give the bot a name")]
    [InlineData("Nameless URL", "not a url", "", "an absolute http:// or https:// address")]
    [InlineData("Ftp", "ftp://127.0.0.1/hook", "", "an absolute http:// or https:// address")]
    [InlineData("Elsewhere", "https://bots.example.com/hook", "", "bots.example.com is not an allowed host")]
    [InlineData("Bad commands", Url, "de ploy!", "Commands are up to 10 words")]
    public async Task Bad_input_is_a_400_that_keeps_the_form(string name, string url, string commands, string error)
    {
        var response = await BotPages.PostCreateAsync(server, server.Admin, name, url, null, commands);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(error, WebUtility.HtmlDecode(html));
        Assert.Contains($"value=\"{System.Text.Encodings.Web.HtmlEncoder.Default.Encode(url)}\"", html);
        if (name.Length > 0)
            Assert.False(await server.WithDbAsync(db => db.Users.AnyAsync(u => u.DisplayName == name)));
        var shortSecret = await BotPages.PostCreateAsync(server, server.Admin, "Short secret", Url, "too short", "");
        Assert.Equal(HttpStatusCode.BadRequest, shortSecret.StatusCode);
    }

    [Fact]
    public async Task A_bots_tokens_are_API_tokens_shown_once_stored_hashed_and_revoked()
    {
        var (id, _) = await BotPages.CreateBotAsync(server, server.Admin, "Tokened", Url, null, "");
        var made = await BotPages.PostBotFormAsync(server.Admin, id, "Token", [new("name", "ci reader"), new("scopes", "read")]);
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        Assert.Contains("no-store", made.Headers.CacheControl?.ToString());
        var token = WebUtility.HtmlDecode(RevealedValue().Match(await made.Content.ReadAsStringAsync()).Groups[1].Value);
        Assert.StartsWith(SecretToken.ApiPrefix, token);
        Assert.True(SecretToken.IsWellFormed(token, SecretToken.ApiPrefix));

        var botUserId = await server.WithDbAsync(db => db.Bots.Where(b => b.Id == id).Select(b => b.UserId).SingleAsync());
        var row = await server.WithDbAsync(db => db.ApiTokens.AsNoTracking().SingleAsync(t => t.UserId == botUserId));
        Assert.Equal(SecretToken.Hash(token), row.TokenHash);
        Assert.Equal("read", row.Scopes);
        Assert.Equal("ci reader", row.Name);
        Assert.Null(row.ExpiresAt);
        var page = await server.Admin.Http.GetStringAsync($"/admin/bots/{id}");
        Assert.Contains("ci reader", page);
        Assert.DoesNotContain(token, page);

        var noScope = await BotPages.PostBotFormAsync(server.Admin, id, "Token", [new("name", "nothing")]);
        Assert.Equal(HttpStatusCode.BadRequest, noScope.StatusCode);
        Assert.Contains("read, post or both", await noScope.Content.ReadAsStringAsync());

        var revoked = await BotPages.PostBotFormAsync(server.Admin, id, "Revoke", [], $"&tokenId={row.Id}");
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.False(await server.WithDbAsync(db => db.ApiTokens.AnyAsync(t => t.Id == row.Id)));
        // another bot's page cannot reach this bot's tokens
        var (otherId, _) = await BotPages.CreateBotAsync(server, server.Admin, "Other", Url, null, "");
        var again = await BotPages.PostBotFormAsync(server.Admin, id, "Token", [new("name", "second"), new("scopes", "read"), new("scopes", "post")]);
        var second = await server.WithDbAsync(db => db.ApiTokens.AsNoTracking().SingleAsync(t => t.UserId == botUserId));
        Assert.Equal("read post", second.Scopes);
        Assert.Equal(HttpStatusCode.NotFound, (await BotPages.PostBotFormAsync(server.Admin, otherId, "Revoke", [], $"&tokenId={second.Id}")).StatusCode);
        Assert.True(await server.WithDbAsync(db => db.ApiTokens.AnyAsync(t => t.Id == second.Id)));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task A_bot_is_changed_and_deleted_and_what_it_posted_stays()
    {
        var owner = await server.SignUpAsync();
        var first = await BotPages.CreateRoomAsync(owner);
        var second = await BotPages.CreateRoomAsync(owner);
        var (id, _) = await BotPages.CreateBotAsync(server, server.Admin, "Mover", Url, null, "go", first);
        var userId = await server.WithDbAsync(db => db.Bots.Where(b => b.Id == id).Select(b => b.UserId).SingleAsync());

        var saved = await BotPages.PostBotFormAsync(server.Admin, id, "Update",
            [new("url", "http://127.0.0.1:10/other"), new("commands", "stop"), new("rooms", (await server.RoomIdAsync(second)).ToString())]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var bot = await server.WithDbAsync(db => db.Bots.AsNoTracking().SingleAsync(b => b.Id == id));
        Assert.Equal("http://127.0.0.1:10/other", bot.Url);
        Assert.Equal("stop", bot.Commands);
        Assert.Equal(new[] { await server.RoomIdAsync(second) }, await server.WithDbAsync(db => db.Memberships.Where(m => m.UserId == userId).Select(m => m.RoomId).ToListAsync()));
        var refused = await BotPages.PostBotFormAsync(server.Admin, id, "Update", [new("url", "https://elsewhere.example/"), new("commands", "")]);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("http://127.0.0.1:10/other", await server.WithDbAsync(db => db.Bots.Where(b => b.Id == id).Select(b => b.Url).SingleAsync()));

        // a message of its own, then the delete
        var room = new ChatterWeb.Rooms.RoomInfo(await server.RoomIdAsync(second), second, second, ChatterWeb.Data.RoomKind.Open);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var posted = await scope.ServiceProvider.GetRequiredService<ChatterWeb.Messages.PostMessageHandler>()
                .HandleAsync(new ChatterWeb.Messages.PostMessage(room, userId, "Mover", "posted by the mover", null, AuthorIsBot: true));
            Assert.IsType<ChatterWeb.Messages.PostMessageResult.Stored>(posted);
        }
        var deleted = await BotPages.PostBotFormAsync(server.Admin, id, "Delete", []);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal("/admin/bots?done=deleted", deleted.Headers.Location!.ToString());
        Assert.False(await server.WithDbAsync(db => db.Bots.AnyAsync(b => b.Id == id)));
        Assert.False(await server.WithDbAsync(db => db.Memberships.AnyAsync(m => m.UserId == userId)));
        Assert.True(await server.WithDbAsync(db => db.Users.AnyAsync(u => u.Id == userId)));
        Assert.Contains("posted by the mover", await owner.Http.GetStringAsync($"/rooms/{second}"));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.Http.GetAsync($"/admin/bots/{id}")).StatusCode);
    }

    [GeneratedRegex("id=\"revealed-value\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex RevealedValue();

    public sealed class OnSqlite(BotServer server) : AdminBotsTests(server), IClassFixture<BotServer>;

    public sealed class OnPostgreSql(PostgreSqlBotServer server) : AdminBotsTests(server), IClassFixture<PostgreSqlBotServer>;
}
