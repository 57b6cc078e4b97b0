using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Bots;

/// <summary>
/// A bot's and a webhook's avatar over real HTTP: chosen from the fixed emoji set on the admin and
/// integrations pages, worn by what they post on every path (a bot's reply, the API, a hook), changed
/// later for old messages too, and anything outside the set refused with the form's error.
/// </summary>
public abstract partial class BotAvatarTests(BotServer server)
{
    private const string Robot = "🤖";
    private const string Rocket = "🚀";
    private const string Chart = "📈";

    /// <summary>The message's avatar tile as the markup writes it, decoded: its classes and what it shows.</summary>
    private static (string Classes, string Face) Tile(string html, string text)
    {
        var article = Regex.Match(html, "<article[^>]*>(?:(?!</article>).)*?" + Regex.Escape(text), RegexOptions.Singleline).Value;
        Assert.False(article.Length == 0, $"no message with \"{text}\"");
        var tile = Regex.Match(article, "<span class=\"(avatar [^\"]*)\" aria-hidden=\"true\" hx-disable>([^<]*)</span>");
        Assert.True(tile.Success, "the message has no avatar tile");
        return (tile.Groups[1].Value, WebUtility.HtmlDecode(tile.Groups[2].Value));
    }

    private static async Task<HttpResponseMessage> CreateBotAsync(ChatterServer server, TestUser admin, string name, string avatar, string url, string commands, string slug)
    {
        var page = await admin.Http.GetStringAsync("/admin/bots");
        return await admin.Http.PostAsync("/admin/bots?handler=Create", new FormUrlEncodedContent(new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", ChatterServer.AntiforgeryToken(page)),
            new("BotName", name), new("BotAvatar", avatar), new("BotUrl", url), new("BotSecret", ""), new("BotCommands", commands),
            new("BotRooms", (await server.RoomIdAsync(slug)).ToString()),
        }));
    }

    [Fact]
    public async Task A_bots_avatar_is_worn_by_its_replies_and_its_api_posts_and_a_change_reaches_old_messages()
    {
        await using var receiver = await Receiver.StartAsync((_, http) => Receiver.Reply(http, "beep from the bot"));
        var person = await server.SignUpAsync("Ava Person");
        var slug = await BotPages.CreateRoomAsync(person, membersOnly: true);
        var created = await CreateBotAsync(server, server.Admin, "Beeper", Robot, receiver.BaseUri + "hook", "beep", slug);
        var html = await created.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var botId = long.Parse(Regex.Match(html, "href=\"/admin/bots/(\\d+)\">its page").Groups[1].Value);
        var userId = await server.WithDbAsync(db => db.Bots.Where(b => b.Id == botId).Select(b => b.UserId).SingleAsync());
        Assert.Equal(Robot, await server.WithDbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.Avatar).SingleAsync()));
        // the list shows the tile with the emoji, the person's initials nowhere near it
        Assert.Matches($"<span class=\"avatar small av-\\d face\" aria-hidden=\"true\">(?:{Robot}|{Regex.Escape(WebUtility.HtmlEncode(Robot))}|&#x1F916;)</span>\\s*<a href=\"/admin/bots/{botId}\">",
            await server.Admin.Http.GetStringAsync("/admin/bots"));

        // a reply through the outgoing webhook wears it, live and on the page
        await using var socket = await person.JoinAsync(slug);
        await socket.SendMessageAsync("/beep please");
        var reply = await socket.WaitForMessageAsync("beep from the bot");
        var (classes, face) = Tile(reply, "beep from the bot");
        Assert.EndsWith(" face", classes);
        Assert.Equal(Robot, face);
        // a person's message beside it keeps the initials
        var (personClasses, personFace) = Tile(await person.Http.GetStringAsync($"/rooms/{slug}"), "/beep please");
        Assert.Equal("AP", personFace);
        Assert.DoesNotContain("face", personClasses);

        // so does a post through the API with the bot's token
        var tokenPage = await BotPages.PostBotFormAsync(server.Admin, botId, "Token", [new("name", "poster"), new("scopes", "post")]);
        var token = WebUtility.HtmlDecode(Regex.Match(await tokenPage.Content.ReadAsStringAsync(), "id=\"revealed-value\"[^>]*value=\"([^\"]+)\"").Groups[1].Value);
        using var api = new HttpClient { BaseAddress = server.BaseUri };
        api.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var posted = await api.PostAsync($"/api/v1/rooms/{slug}/messages", new StringContent("""{"text":"through the api"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.Equal(Robot, Tile(await socket.WaitForMessageAsync("through the api"), "through the api").Face);

        // a new avatar on the bot's page: old messages show it on the next read
        var saved = await BotPages.PostBotFormAsync(server.Admin, botId, "Update",
            [new("avatar", Rocket), new("url", receiver.BaseUri + "hook"), new("commands", "beep"), new("rooms", (await server.RoomIdAsync(slug)).ToString())]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var room = await person.Http.GetStringAsync($"/rooms/{slug}");
        Assert.Equal(Rocket, Tile(room, "beep from the bot").Face);
        Assert.Equal(Rocket, Tile(room, "through the api").Face);
        // a form without the field keeps it; "initials" (empty) goes back to the initials
        await BotPages.PostBotFormAsync(server.Admin, botId, "Update", [new("url", receiver.BaseUri + "hook"), new("commands", "beep")]);
        Assert.Equal(Rocket, await server.WithDbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.Avatar).SingleAsync()));
        await BotPages.PostBotFormAsync(server.Admin, botId, "Update", [new("avatar", ""), new("url", receiver.BaseUri + "hook"), new("commands", "beep")]);
        var (initialsClasses, initials) = Tile(await person.Http.GetStringAsync($"/rooms/{slug}"), "beep from the bot");
        Assert.Equal("B", initials);
        Assert.DoesNotContain("face", initialsClasses);
        Assert.True(server.Errors.Entries.Count == 0, string.Join("\n", server.Errors.Entries));
    }

    [Fact]
    public async Task An_avatar_outside_the_set_is_refused_with_the_forms_error_and_nothing_is_made()
    {
        var owner = await server.SignUpAsync();
        var slug = await BotPages.CreateRoomAsync(owner);
        foreach (var bad in new[] { "<img src=x onerror=alert(1)>", "x", "👍👍", "https://example.test/me.png" })
        {
            var response = await CreateBotAsync(server, server.Admin, "Refused bot", bad, "http://127.0.0.1:9/hook", "", slug);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("Choose the avatar from the list (or initials).", html);
            Assert.DoesNotContain("<img src=x", html);
            // the rest of the form is kept for the next try
            Assert.Contains("value=\"Refused bot\"", html);

            var hook = await ChatterServer.PostFormAsync(owner.Http, $"/rooms/{slug}/integrations?handler=Create", new() { ["name"] = "Refused hook", ["avatar"] = bad }, $"/rooms/{slug}/integrations");
            Assert.Equal(HttpStatusCode.BadRequest, hook.StatusCode);
            Assert.Contains("Choose the avatar from the list (or initials).", await hook.Content.ReadAsStringAsync());
        }
        Assert.False(await server.WithDbAsync(db => db.Users.AnyAsync(u => u.DisplayName == "Refused bot" || u.DisplayName == "Refused hook")));
    }

    [Fact]
    public async Task A_webhooks_avatar_is_chosen_when_it_is_made_worn_by_its_posts_and_changed_with_its_name()
    {
        var owner = await server.SignUpAsync();
        var slug = await BotPages.CreateRoomAsync(owner);
        var page = $"/rooms/{slug}/integrations";
        var made = await ChatterServer.PostFormAsync(owner.Http, $"{page}?handler=Create", new() { ["name"] = "Grafana", ["avatar"] = Chart }, page);
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var url = WebUtility.HtmlDecode(Regex.Match(await made.Content.ReadAsStringAsync(), "id=\"hook-url\"[^>]*value=\"([^\"]+)\"").Groups[1].Value);
        var roomId = await server.RoomIdAsync(slug);
        var id = await server.WithDbAsync(db => db.IncomingWebhooks.Where(h => h.Name == "Grafana" && h.RoomId == roomId).Select(h => h.Id).SingleAsync());

        await using var socket = await owner.JoinAsync(slug);
        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsync(url, new StringContent("""{"text":"panel is red"}""", Encoding.UTF8, "application/json"))).StatusCode);
        var (classes, face) = Tile(await socket.WaitForMessageAsync("panel is red"), "panel is red");
        Assert.Equal(Chart, face);
        Assert.EndsWith(" face", classes);
        // the integrations page shows it, with the choice set to it
        var listed = WebUtility.HtmlDecode(await owner.Http.GetStringAsync(page));
        Assert.Contains($"face\" aria-hidden=\"true\">{Chart}</span>", listed);
        Assert.Matches($"<option value=\"{Chart}\" selected=\"selected\">", listed);

        // renamed without the avatar field: the avatar stays; with it: it changes, old posts too
        await ChatterServer.PostFormAsync(owner.Http, $"{page}?handler=Rename&id={id}", new() { ["name"] = "Grafana alerts" }, page);
        Assert.Equal(Chart, Tile(await owner.Http.GetStringAsync($"/rooms/{slug}"), "panel is red").Face);
        await ChatterServer.PostFormAsync(owner.Http, $"{page}?handler=Rename&id={id}", new() { ["name"] = "Grafana alerts", ["avatar"] = "" }, page);
        Assert.Equal("GA", Tile(await owner.Http.GetStringAsync($"/rooms/{slug}"), "panel is red").Face);
    }

    public sealed class OnSqlite(BotServer server) : BotAvatarTests(server), IClassFixture<BotServer>;

    public sealed class OnPostgreSql(PostgreSqlBotServer server) : BotAvatarTests(server), IClassFixture<PostgreSqlBotServer>;
}
