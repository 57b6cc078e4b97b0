using System.Net;
using System.Text.RegularExpressions;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Rooms;

public abstract class RoomPageTests(ChatterServer server)
{
    [Fact]
    public async Task A_fresh_database_has_general_and_the_root_sends_a_signed_in_user_to_rooms()
    {
        var user = await server.SignUpAsync();
        var root = await user.Http.GetAsync("/");
        Assert.Equal("/rooms", root.Headers.Location!.ToString());
        var rooms = await user.Http.GetStringAsync("/rooms");
        Assert.Contains("href=\"/rooms/general\"", rooms);
        Assert.Equal(HttpStatusCode.Redirect, (await server.NewBrowser().GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Creating_a_room_derives_a_unique_slug_and_lands_in_it()
    {
        var user = await server.SignUpAsync();
        var first = await ChatterServer.PostFormAsync(user.Http, "/rooms", new() { ["name"] = "Design Review!" });
        var second = await ChatterServer.PostFormAsync(user.Http, "/rooms", new() { ["name"] = "Design review?" });
        Assert.Equal("/rooms/design-review", first.Headers.Location!.ToString());
        Assert.Equal("/rooms/design-review-2", second.Headers.Location!.ToString());

        var page = await user.Http.GetStringAsync("/rooms/design-review-2");
        Assert.Contains("ws-connect=\"/rooms/design-review-2/ws\"", page);
        Assert.Contains("This is the beginning of the room.", page);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_room_needs_a_name(string name)
    {
        var user = await server.SignUpAsync();
        var response = await ChatterServer.PostFormAsync(user.Http, "/rooms", new() { ["name"] = name });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Give the room a name.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_room_is_a_404()
    {
        var user = await server.SignUpAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await user.Http.GetAsync("/rooms/nope-not-here")).StatusCode);
    }

    [Fact]
    public async Task Without_javascript_the_composer_posts_and_the_page_shows_the_message()
    {
        var user = await server.SignUpAsync();
        var page = await user.Http.GetStringAsync("/rooms/general");
        var clientMessageId = Regex.Match(page, "name=\"clientMessageId\" value=\"([^\"]+)\"").Groups[1].Value;
        var fields = new Dictionary<string, string> { ["body"] = "posted without js", ["clientMessageId"] = clientMessageId, ["type"] = "message" };

        var response = await ChatterServer.PostFormAsync(user.Http, "/rooms/general/messages", fields, "/rooms/general");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Matches("^/rooms/general#m-\\d+$", response.Headers.Location!.ToString());
        // the same form submitted twice (double click, refresh) is stored once
        await ChatterServer.PostFormAsync(user.Http, "/rooms/general/messages", new(fields), "/rooms/general");

        var after = await user.Http.GetStringAsync("/rooms/general");
        Assert.Single(Regex.Matches(after, "posted without js"));

        var empty = await ChatterServer.PostFormAsync(user.Http, "/rooms/general/messages", new() { ["body"] = " " }, "/rooms/general");
        Assert.Equal(HttpStatusCode.Redirect, empty.StatusCode);
        Assert.Contains("Type a message first.", await user.Http.GetStringAsync("/rooms/general"));
    }

    [Fact]
    public async Task A_refused_post_without_javascript_shows_its_error_once_and_plain_visits_set_no_cookie()
    {
        var user = await server.SignUpAsync();
        var plain = await user.Http.GetAsync("/rooms/general");
        Assert.False(plain.Headers.Contains("Set-Cookie"), $"a plain visit set cookies: {string.Join("; ", plain.Headers.TryGetValues("Set-Cookie", out var c) ? c : [])}");
        Assert.Contains("<div id=\"composer-status\" class=\"composer-status\">", await plain.Content.ReadAsStringAsync());

        var refused = await ChatterServer.PostFormAsync(user.Http, "/rooms/general/messages", new() { ["body"] = " " }, "/rooms/general");
        Assert.Equal("/rooms/general#composer", refused.Headers.Location!.ToString());

        var shown = await user.Http.GetStringAsync("/rooms/general");
        Assert.Contains("<div id=\"composer-status\" class=\"composer-status error\" role=\"alert\">Type a message first.</div>", shown);
        var again = await user.Http.GetAsync("/rooms/general");
        Assert.DoesNotContain("Type a message first.", await again.Content.ReadAsStringAsync());
        Assert.False(again.Headers.Contains("Set-Cookie"), "the TempData cookie was not cleared when the error was shown");
    }

    [Fact]
    public async Task Every_page_sends_a_strict_content_security_policy_and_security_headers()
    {
        var user = await server.SignUpAsync();
        foreach (var path in new[] { "/Account/Login", "/rooms", "/rooms/general" })
        {
            var response = await (path.StartsWith("/Account") ? server.NewBrowser() : user.Http).GetAsync(path);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.DoesNotContain("unsafe-inline", csp);
            Assert.DoesNotContain("unsafe-eval", csp);
            Assert.Contains("script-src 'self'", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());

            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", html); // no inline script
            Assert.DoesNotContain(" hx-on", html);
            Assert.DoesNotContain(" onclick=", html);
            Assert.Contains("\"allowEval\":false", html);
            Assert.Contains("\"allowScriptTags\":false", html);
            Assert.Contains("\"historyCacheSize\":0", html);
            // the one inline style carries this response's nonce
            foreach (Match style in Regex.Matches(html, "<style([^>]*)>"))
                Assert.Contains($"nonce=\"{Regex.Match(csp, "'nonce-([^']+)'").Groups[1].Value}\"", style.Value);
        }
    }

    [Fact]
    public async Task Healthz_answers_200()
    {
        var response = await server.NewBrowser().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public sealed class OnSqlite(ChatterServer server) : RoomPageTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : RoomPageTests(server), IClassFixture<PostgreSqlChatterServer>;
}
