using System.Net;
using System.Net.WebSockets;
using ChatterWeb.Data;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Rooms;

/// <summary>Members-only rooms: invisible, unreadable and unjoinable for everyone else.</summary>
public abstract class ClosedRoomTests(ChatterServer server)
{
    private async Task<string> CreateClosedAsync(TestUser owner)
    {
        var response = await ChatterServer.PostFormAsync(owner.Http, "/rooms", new() { ["name"] = "Secret " + Guid.NewGuid().ToString("N")[..6], ["membersOnly"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var slug = response.Headers.Location!.ToString().Split('/').Last();
        Assert.Equal(RoomKind.Closed, await server.WithDbAsync(db => db.Rooms.Where(r => r.Slug == slug).Select(r => r.Kind).SingleAsync()));
        return slug;
    }

    [Fact]
    public async Task Outsiders_cannot_see_read_page_back_or_connect()
    {
        var owner = await server.SignUpAsync();
        var outsider = await server.SignUpAsync();
        var slug = await CreateClosedAsync(owner);
        await using (var s = await owner.JoinAsync(slug))
        {
            await s.SendMessageAsync("members only secret");
            await s.WaitForMessageAsync("members only secret");
        }

        Assert.DoesNotContain(slug, await outsider.Http.GetStringAsync("/rooms"));
        Assert.Contains(slug, await owner.Http.GetStringAsync("/rooms"));
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync($"/rooms/{slug}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync($"/rooms/{slug}/messages?before=100")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync($"/rooms/{slug}/members")).StatusCode);
        var refused = await Assert.ThrowsAsync<UpgradeRefusedException>(() => outsider.ConnectAsync(slug));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        var post = await ChatterServer.PostFormAsync(outsider.Http, $"/rooms/{slug}/messages", new() { ["body"] = "let me in" }, "/rooms");
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(0, await server.WithDbAsync(db => db.Messages.CountAsync(m => m.Body == "let me in")));
    }

    [Fact]
    public async Task A_member_added_can_join_and_a_member_removed_is_disconnected_at_once()
    {
        var owner = await server.SignUpAsync();
        var guest = await server.SignUpAsync("Guest");
        var slug = await CreateClosedAsync(owner);

        var add = await ChatterServer.PostFormAsync(owner.Http, $"/rooms/{slug}/members?handler=Add", new() { ["email"] = guest.Email }, $"/rooms/{slug}/members");
        Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
        await using var g = await guest.JoinAsync(slug);
        await using var o = await owner.JoinAsync(slug);
        await g.SendMessageAsync("thanks for adding me");
        await o.WaitForMessageAsync("thanks for adding me");

        // only the creator manages members
        var sneaky = await ChatterServer.PostFormAsync(guest.Http, $"/rooms/{slug}/members?handler=Remove", new() { ["userId"] = owner.Id }, $"/rooms/{slug}/members");
        Assert.NotEqual(HttpStatusCode.Redirect, sneaky.StatusCode);

        var remove = await ChatterServer.PostFormAsync(owner.Http, $"/rooms/{slug}/members?handler=Remove", new() { ["userId"] = guest.Id }, $"/rooms/{slug}/members");
        Assert.Equal(HttpStatusCode.Redirect, remove.StatusCode);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await g.WaitForCloseAsync());
        Assert.Equal(WebSocketState.Open, o.State);
        Assert.Equal(HttpStatusCode.NotFound, (await guest.Http.GetAsync($"/rooms/{slug}")).StatusCode);
    }

    [Fact]
    public async Task Membership_is_checked_on_every_send_not_only_at_connect()
    {
        var owner = await server.SignUpAsync();
        var guest = await server.SignUpAsync();
        var slug = await CreateClosedAsync(owner);
        await ChatterServer.PostFormAsync(owner.Http, $"/rooms/{slug}/members?handler=Add", new() { ["email"] = guest.Email }, $"/rooms/{slug}/members");
        await using var g = await guest.JoinAsync(slug);

        // removed behind this socket's back (as another instance would): the next send is refused
        await server.WithDbAsync(db => db.Memberships.Where(m => m.UserId == guest.Id).ExecuteDeleteAsync());
        await g.SendMessageAsync("am I still in?");
        Assert.Contains("can no longer post", await g.WaitForAsync(f => f.Contains("composer-status")));
        Assert.Equal(0, await server.WithDbAsync(db => db.Messages.CountAsync(m => m.Body == "am I still in?")));
    }

    public sealed class OnSqlite(ChatterServer server) : ClosedRoomTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : ClosedRoomTests(server), IClassFixture<PostgreSqlChatterServer>;
}
