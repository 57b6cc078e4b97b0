using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using ChatterWeb.Data;
using ChatterWeb.Integrations;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Integrations;

/// <summary>
/// Incoming webhooks over real HTTP: made on the room's integrations page, posted to with Slack-format
/// JSON, seen live on a member's socket through the one post path (unread counts, search), and every
/// refusal a sender can meet.
/// </summary>
public abstract partial class IncomingWebhookTests(HookServer server)
{
    private HttpClient Anonymous() => new() { BaseAddress = server.BaseUri };

    private async Task<string> CreateRoomAsync(TestUser owner, bool membersOnly = false)
    {
        var fields = new Dictionary<string, string> { ["name"] = "Hooks " + Guid.NewGuid().ToString("N")[..6] };
        if (membersOnly)
            fields["membersOnly"] = "true";
        var response = await ChatterServer.PostFormAsync(owner.Http, "/rooms", fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.ToString().Split('/').Last();
    }

    /// <summary>Makes a hook on the page, as a person does; returns the URL the page shows once.</summary>
    private async Task<string> CreateHookAsync(TestUser manager, string slug, string name)
    {
        var response = await ChatterServer.PostFormAsync(manager.Http, $"/rooms/{slug}/integrations?handler=Create", new() { ["name"] = name }, $"/rooms/{slug}/integrations");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return RevealedUrl(await response.Content.ReadAsStringAsync());
    }

    private static string RevealedUrl(string page)
    {
        var m = HookUrl().Match(page);
        Assert.True(m.Success, "the page shows no webhook URL");
        return WebUtility.HtmlDecode(m.Groups[1].Value);
    }

    private static Task<HttpResponseMessage> PostJsonAsync(HttpClient http, string url, string json, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        return http.SendAsync(request);
    }

    private Task<int> CountAsync(string text) => server.WithDbAsync(db => db.Messages.CountAsync(m => m.Body.Contains(text)));

    [Fact]
    public async Task A_hook_post_arrives_live_on_a_members_socket_with_the_hooks_name_and_a_bot_badge()
    {
        var owner = await server.SignUpAsync();
        var slug = await CreateRoomAsync(owner);
        var url = await CreateHookAsync(owner, slug, "Alertmanager");
        Assert.StartsWith(server.BaseUri.ToString().TrimEnd('/') + "/hooks/" + SecretToken.HookPrefix, url);

        await using var socket = await owner.JoinAsync(slug);
        var response = await PostJsonAsync(Anonymous(), url, SlackPayloadTests.Fixture("alertmanager.json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);

        var frame = await socket.WaitForAsync(f => f.Contains("<article") && f.Contains("InstanceDown"));
        Assert.Contains("<span class=\"author\" hx-disable>Alertmanager</span> <span class=\"bot-badge\">bot</span>", frame);
        Assert.Contains("<strong>Alert:</strong>", frame);
        Assert.Contains("<blockquote>", frame);
        // the same article on the page (read back from the database), badge included
        var page = await owner.Http.GetStringAsync($"/rooms/{slug}");
        Assert.Contains("Alertmanager</span> <span class=\"bot-badge\">bot</span>", page);
        // the author is the hook's own account, a bot that cannot sign in
        var author = await server.WithDbAsync(db => db.Messages.Where(m => m.Body.Contains("InstanceDown")).Select(m => m.Author!).SingleAsync());
        Assert.True(author.IsBot);
        Assert.Null(author.PasswordHash);
        Assert.Equal("Alertmanager", author.DisplayName);
    }

    [Fact]
    public async Task Hook_posts_count_as_unread_notify_and_are_found_by_search_as_any_post()
    {
        var owner = await server.SignUpAsync();
        var member = await server.SignUpAsync();
        var slug = await CreateRoomAsync(owner, membersOnly: true);
        var add = await ChatterServer.PostFormAsync(owner.Http, $"/rooms/{slug}/members?handler=Add", new() { ["email"] = member.Email }, $"/rooms/{slug}/members");
        Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
        var url = await CreateHookAsync(owner, slug, "CI");
        var roomId = await server.RoomIdAsync(slug);

        await using var stream = await TestSocket.ConnectPathAsync(server.BaseUri, "/me/ws", member.Cookies, server.Origin);
        await server.UntilStreamHasAsync(member.Id);
        var word = "quokka" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(Anonymous(), url, $$"""{"text":"build {{word}} passed, @{{member.DisplayName}}"}""")).StatusCode);

        // a closed room's hook posts as a member; the member's sidebar counts it (a mention) and search finds it
        await stream.WaitForAsync(f => f.Contains($"id=\"unread-{roomId}\"") && f.Contains("data-count=\"1\"") && f.Contains("data-mentions=\"1\""));
        Assert.Contains("passed", await member.Http.GetStringAsync($"/search?q={word}"));
        var outsider = await server.SignUpAsync();
        Assert.DoesNotContain("passed", await outsider.Http.GetStringAsync($"/search?q={word}"));
    }

    [Fact]
    public async Task The_token_is_stored_hashed_and_shown_only_once()
    {
        var owner = await server.SignUpAsync();
        var slug = await CreateRoomAsync(owner);
        var url = await CreateHookAsync(owner, slug, "Deploys");
        var token = url.Split('/').Last();

        var stored = await server.WithDbAsync(db => db.IncomingWebhooks.SingleAsync(h => h.Name == "Deploys"));
        Assert.Equal(SecretToken.Hash(token), stored.TokenHash);
        Assert.NotEqual(token, stored.TokenHash);
        var page = await owner.Http.GetStringAsync($"/rooms/{slug}/integrations");
        Assert.Contains("Deploys", page);
        Assert.DoesNotContain(token, page);
        Assert.DoesNotContain("hook-url", page);
    }

    [Fact]
    public async Task Refusals_404_400_413_429_answer_as_Slack_does()
    {
        var owner = await server.SignUpAsync();
        var slug = await CreateRoomAsync(owner);
        var url = await CreateHookAsync(owner, slug, "Noisy");
        var http = Anonymous();

        var wrong = await PostJsonAsync(http, "/hooks/" + SecretToken.New(SecretToken.HookPrefix), """{"text":"x"}""");
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Equal("no_service", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await PostJsonAsync(http, "/hooks/garbage'%20or%201=1", """{"text":"x"}""")).StatusCode);

        var bad = await PostJsonAsync(http, url, """{"text": "unterminated""");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("invalid_payload", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await PostJsonAsync(http, url, """{"username":"only a name"}""")).StatusCode);

        var huge = await PostJsonAsync(http, url, $$"""{"text":"{{new string('a', HookServer.MaxBody)}}"}""");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        // chunked: no Content-Length to refuse by, still 413 once the body passes the limit
        var chunked = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"text":"{{new string('b', HookServer.MaxBody)}}"}"""))) };
        chunked.Headers.TransferEncodingChunked = true;
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await http.SendAsync(chunked)).StatusCode);

        // the refusals above spent the burst or not; fill it, then the next is 429 with Retry-After
        HttpResponseMessage response;
        var sent = 0;
        do
        {
            response = await PostJsonAsync(http, url, $$"""{"text":"burst {{sent++}}"}""");
        }
        while (response.StatusCode == HttpStatusCode.OK && sent <= HookServer.Burst + 1);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("rate_limited", await response.Content.ReadAsStringAsync());
        var retryAfter = response.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter.TotalSeconds, 1, 60);
        Assert.Equal(0, await CountAsync($"burst {sent - 1}"));
        Assert.Equal(0, await CountAsync("unterminated"));
        Assert.Empty(server.Errors.Entries);
    }

    [Fact]
    public async Task The_same_Idempotency_Key_posts_once_and_answers_the_same()
    {
        var owner = await server.SignUpAsync();
        var slug = await CreateRoomAsync(owner);
        var url = await CreateHookAsync(owner, slug, "Retrying sender");
        var http = Anonymous();
        var text = "once " + Guid.NewGuid().ToString("N")[..8];

        var first = await PostJsonAsync(http, url, $$"""{"text":"{{text}}"}""", "alert-7/firing");
        var second = await PostJsonAsync(http, url, $$"""{"text":"{{text}}"}""", "alert-7/firing");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("ok", await second.Content.ReadAsStringAsync());
        Assert.Equal(1, await CountAsync(text));

        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(http, url, $$"""{"text":"{{text}}"}""", "alert-7/resolved")).StatusCode);
        Assert.Equal(2, await CountAsync(text));
        Assert.Equal(HttpStatusCode.BadRequest, (await PostJsonAsync(http, url, """{"text":"x"}""", new string('k', 300))).StatusCode);
    }

    [Fact]
    public async Task Slacks_form_encoding_is_accepted_too()
    {
        var owner = await server.SignUpAsync();
        var slug = await CreateRoomAsync(owner);
        var url = await CreateHookAsync(owner, slug, "Legacy");
        var text = "form " + Guid.NewGuid().ToString("N")[..8];
        var response = await Anonymous().PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["payload"] = $$"""{"text":"*{{text}}*"}""" }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("**" + text + "**", await server.WithDbAsync(db => db.Messages.Where(m => m.Body.Contains(text)).Select(m => m.Body).SingleAsync()));
    }

    [Fact]
    public async Task Rename_regenerate_and_delete()
    {
        var owner = await server.SignUpAsync();
        var slug = await CreateRoomAsync(owner);
        var url = await CreateHookAsync(owner, slug, "Old name");
        var id = await server.WithDbAsync(db => db.IncomingWebhooks.Where(h => h.Name == "Old name").Select(h => h.Id).SingleAsync());
        var http = Anonymous();
        var page = $"/rooms/{slug}/integrations";

        var rename = await ChatterServer.PostFormAsync(owner.Http, $"{page}?handler=Rename&id={id}", new() { ["name"] = "New name" }, page);
        Assert.Equal(HttpStatusCode.Redirect, rename.StatusCode);
        await using (var socket = await owner.JoinAsync(slug))
        {
            Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(http, url, """{"text":"after the rename"}""")).StatusCode);
            Assert.Contains(">New name</span> <span class=\"bot-badge\">", await socket.WaitForMessageAsync("after the rename"));
        }

        var regenerate = await ChatterServer.PostFormAsync(owner.Http, $"{page}?handler=Regenerate&id={id}", [], page);
        Assert.Equal(HttpStatusCode.OK, regenerate.StatusCode);
        var newUrl = RevealedUrl(await regenerate.Content.ReadAsStringAsync());
        Assert.NotEqual(url, newUrl);
        Assert.Equal(HttpStatusCode.NotFound, (await PostJsonAsync(http, url, """{"text":"old url"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(http, newUrl, """{"text":"new url"}""")).StatusCode);

        var delete = await ChatterServer.PostFormAsync(owner.Http, $"{page}?handler=Delete&id={id}", [], page);
        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostJsonAsync(http, newUrl, """{"text":"after delete"}""")).StatusCode);
        // what it posted keeps its author
        Assert.Contains("new url", await owner.Http.GetStringAsync($"/rooms/{slug}"));
        Assert.DoesNotContain("New name", await owner.Http.GetStringAsync(page));
    }

    [Fact]
    public async Task Only_the_rooms_creator_and_administrators_manage_its_hooks()
    {
        var owner = await server.SignUpAsync();
        var member = await server.SignUpAsync();
        var slug = await CreateRoomAsync(owner);
        var page = $"/rooms/{slug}/integrations";
        await CreateHookAsync(owner, slug, "Owned");
        var id = await server.WithDbAsync(db => db.IncomingWebhooks.Where(h => h.Name == "Owned").OrderByDescending(h => h.Id).Select(h => h.Id).FirstAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await member.Http.GetAsync(page)).StatusCode);
        var sneaky = await ChatterServer.PostFormAsync(member.Http, $"{page}?handler=Delete&id={id}", [], "/rooms");
        Assert.Equal(HttpStatusCode.NotFound, sneaky.StatusCode);
        Assert.True(await server.WithDbAsync(db => db.IncomingWebhooks.AnyAsync(h => h.Id == id)));
        // signed out: the sign-in page, not the hooks
        Assert.Equal(HttpStatusCode.Redirect, (await server.NewBrowser().GetAsync(page)).StatusCode);

        Assert.Contains("Owned", await server.Admin.Http.GetStringAsync(page));
        await CreateHookAsync(server.Admin, slug, "Made by an administrator");

        // a hook of another room cannot be reached through this room's page
        var otherSlug = await CreateRoomAsync(member);
        Assert.Equal(HttpStatusCode.NotFound, (await ChatterServer.PostFormAsync(member.Http, $"/rooms/{otherSlug}/integrations?handler=Delete&id={id}", [], $"/rooms/{otherSlug}/integrations")).StatusCode);
        Assert.True(await server.WithDbAsync(db => db.IncomingWebhooks.AnyAsync(h => h.Id == id)));
    }

    [Fact]
    public async Task A_blank_name_is_a_message_on_the_page()
    {
        var owner = await server.SignUpAsync();
        var slug = await CreateRoomAsync(owner);
        var response = await ChatterServer.PostFormAsync(owner.Http, $"/rooms/{slug}/integrations?handler=Create", new() { ["name"] = "   " }, $"/rooms/{slug}/integrations");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Give the webhook a name", await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("id=\"hook-url\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex HookUrl();

    public sealed class OnSqlite(HookServer server) : IncomingWebhookTests(server), IClassFixture<HookServer>;

    public sealed class OnPostgreSql(PostgreSqlHookServer server) : IncomingWebhookTests(server), IClassFixture<PostgreSqlHookServer>;
}
