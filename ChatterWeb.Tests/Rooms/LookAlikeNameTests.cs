using System.Net;
using ChatterWeb.Accounts;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Rooms;

/// <summary>
/// Names that impersonate: invisible and bidi characters are stripped from display and room names (a
/// name of nothing else is refused), a room name that differs from one the creator can see only by
/// case or such characters is refused, and two people of the same name are told apart by their tag.
/// </summary>
public abstract class LookAlikeNameTests(ChatterServer server)
{
    [Fact]
    public async Task A_room_name_of_only_invisible_characters_is_refused_and_one_with_them_is_stored_without()
    {
        var user = await server.SignUpAsync();
        var blank = await ChatterServer.PostFormAsync(user.Http, "/rooms", new() { ["name"] = "\u200B\u200B\u200B" });
        Assert.Equal(HttpStatusCode.OK, blank.StatusCode);
        Assert.Contains("Give the room a name.", await blank.Content.ReadAsStringAsync());

        var suffix = Guid.NewGuid().ToString("N")[..6];
        var created = await ChatterServer.PostFormAsync(user.Http, "/rooms", new() { ["name"] = $"\u202EPay\u200Broll {suffix}" });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var slug = created.Headers.Location!.ToString().Split('/').Last();
        Assert.Equal($"Payroll {suffix}", await server.WithDbAsync(db => db.Rooms.Where(r => r.Slug == slug).Select(r => r.Name).SingleAsync()));
    }

    [Fact]
    public async Task A_room_name_that_differs_only_by_case_or_invisible_characters_is_refused()
    {
        var user = await server.SignUpAsync();
        foreach (var name in new[] { "General", "GENERAL", "gen\u200Beral", " general " })
        {
            var response = await ChatterServer.PostFormAsync(user.Http, "/rooms", new() { ["name"] = name });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("There is already a room called", await response.Content.ReadAsStringAsync());
        }
        Assert.False(await server.WithDbAsync(db => db.Rooms.AnyAsync(r => r.Slug == "general-2")));
    }

    [Fact]
    public async Task A_display_name_is_stored_without_invisible_characters_and_one_of_only_them_is_refused()
    {
        var alice = await server.SignUpAsync("\u202EAlice\u200B Look");
        Assert.Equal("Alice Look", await server.WithDbAsync(db => db.Users.Where(u => u.Id == alice.Id).Select(u => u.DisplayName).SingleAsync()));

        var response = await ChatterServer.PostFormAsync(server.NewBrowser(), "/Account/Register", new()
        {
            ["Input.Email"] = $"invisible-{Guid.NewGuid():N}@example.test",
            ["Input.DisplayName"] = "\u200B\u2066\u2069",
            ["Input.Password"] = "long enough password",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(ChatterWeb.Accounts.RegisterModel.DisplayNameError, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Two_people_of_the_same_name_are_told_apart_on_messages_members_and_the_people_picker()
    {
        var name = "Alice Same " + Guid.NewGuid().ToString("N")[..4];
        var first = await server.SignUpAsync(name);
        var second = await server.SignUpAsync(name);
        var viewer = await server.SignUpAsync();
        var one = await ChatterServer.PostViaFormAsync(first, "general", "from the first");
        var two = await ChatterServer.PostViaFormAsync(second, "general", "from the second");
        Assert.NotEqual(PersonTag.For(first.Id), PersonTag.For(second.Id));

        var room = await viewer.Http.GetStringAsync("/rooms/general");
        Assert.Contains($">{PersonTag.For(first.Id)}</span>", ArticleOf(room, one));
        Assert.Contains($">{PersonTag.For(second.Id)}</span>", ArticleOf(room, two));

        var members = await viewer.Http.GetStringAsync("/rooms/general/members");
        Assert.Contains(PersonTag.For(first.Id), members);
        Assert.Contains(PersonTag.For(second.Id), members);
        var picker = await viewer.Http.GetStringAsync("/direct");
        Assert.Contains(PersonTag.For(first.Id), picker);
        Assert.Contains(PersonTag.For(second.Id), picker);
    }

    private static string ArticleOf(string page, long seq)
    {
        var start = page.IndexOf($"id=\"m-{seq}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"message {seq} is not on the page");
        return page[start..page.IndexOf("</article>", start, StringComparison.Ordinal)];
    }

    public sealed class OnSqlite(ChatterServer server) : LookAlikeNameTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : LookAlikeNameTests(server), IClassFixture<PostgreSqlChatterServer>;
}
