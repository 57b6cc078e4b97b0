using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Admin;

/// <summary>
/// /admin/rooms: rename (the slug stays), delete with every message and file (its sockets close, its
/// files are gone from the store and from their address), and a closed room's members, each in the
/// audit trail.
/// </summary>
public abstract class AdminRoomsTests(AdminServer server)
{
    [Fact]
    public async Task A_rename_keeps_the_slug_and_is_audited_and_a_blank_name_is_refused()
    {
        var admin = await server.AdminAsync();
        var owner = await server.SignUpAsync("Room Owner");
        var slug = await NewRoomAsync(owner, "Old Name");
        var id = await server.RoomIdAsync(slug);

        var renamed = await ChatterServer.PostFormAsync(admin.Http, "/admin/rooms?handler=Rename", new() { ["id"] = $"{id}", ["name"] = "  Shiny New Name " }, "/admin/rooms");
        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        Assert.Contains("</span> Shiny New Name</h1>", await owner.Http.GetStringAsync($"/rooms/{slug}"));
        Assert.Contains("data-action=\"room-renamed\"", await admin.Http.GetStringAsync("/admin/audit?action=room-renamed"));

        var blank = await ChatterServer.PostFormAsync(admin.Http, "/admin/rooms?handler=Rename", new() { ["id"] = $"{id}", ["name"] = "   " }, "/admin/rooms");
        Assert.Contains("done=invalid", blank.Headers.Location!.ToString());
        var missing = await ChatterServer.PostFormAsync(admin.Http, "/admin/rooms?handler=Rename", new() { ["id"] = "987654321", ["name"] = "Whatever" }, "/admin/rooms");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("Shiny New Name", await server.WithDbAsync(db => db.Rooms.Where(r => r.Id == id).Select(r => r.Name).SingleAsync()));
    }

    [Fact]
    public async Task Deleting_a_room_removes_its_messages_and_files_and_closes_its_sockets()
    {
        var admin = await server.AdminAsync();
        var owner = await server.SignUpAsync("Doomed Owner");
        var slug = await NewRoomAsync(owner, "Doomed");
        var id = await server.RoomIdAsync(slug);
        await using var inRoom = await owner.JoinAsync(slug);
        await using var elsewhere = await owner.JoinAsync("general");
        using (var form = new MultipartFormDataContent
        {
            { new StringContent(ChatterServer.AntiforgeryToken(await owner.Http.GetStringAsync($"/rooms/{slug}"))), "__RequestVerificationToken" },
            { new StringContent(Guid.NewGuid().ToString()), "clientMessageId" },
            { new ByteArrayContent(ChatterWeb.Tests.Attachments.TestImages.Png(20, 10)), "file", "plan.png" },
        })
            Assert.Equal(HttpStatusCode.Redirect, (await owner.Http.PostAsync($"/rooms/{slug}/attachments", form)).StatusCode);
        var attachment = await server.WithDbAsync(db => db.Attachments.AsNoTracking().SingleAsync(a => a.RoomId == id));
        var file = Directory.GetFiles(server.AttachmentsPath, attachment.StorageKey, SearchOption.AllDirectories).Single();
        Assert.Equal(HttpStatusCode.OK, (await owner.Http.GetAsync($"/attachments/{attachment.Id}")).StatusCode);

        // without the box ticked nothing happens
        var unconfirmed = await ChatterServer.PostFormAsync(admin.Http, "/admin/rooms?handler=Delete", new() { ["id"] = $"{id}" }, "/admin/rooms");
        Assert.Contains("done=confirm", unconfirmed.Headers.Location!.ToString());
        Assert.True(await server.WithDbAsync(db => db.Rooms.AnyAsync(r => r.Id == id)));

        var deleted = await ChatterServer.PostFormAsync(admin.Http, "/admin/rooms?handler=Delete", new() { ["id"] = $"{id}", ["confirm"] = "true" }, "/admin/rooms");
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await inRoom.WaitForCloseAsync());
        Assert.Equal(WebSocketState.Open, elsewhere.State);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Http.GetAsync($"/rooms/{slug}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Http.GetAsync($"/attachments/{attachment.Id}")).StatusCode);
        Assert.False(File.Exists(file));
        Assert.Equal(0, await server.WithDbAsync(db => db.Messages.CountAsync(m => m.RoomId == id)));
        Assert.Equal(0, await server.WithDbAsync(db => db.Memberships.CountAsync(m => m.RoomId == id)));
        var audit = await admin.Http.GetStringAsync("/admin/audit?action=room-deleted");
        Assert.Contains("Doomed", audit);
        Assert.Contains("1 file(s)", audit);
        Assert.DoesNotContain($"data-room-id=\"{id}\"", await admin.Http.GetStringAsync("/admin/rooms"));
    }

    [Fact]
    public async Task An_administrator_adds_and_removes_members_of_a_closed_room_they_are_not_in()
    {
        var admin = await server.AdminAsync();
        var owner = await server.SignUpAsync("Closed Owner");
        var newcomer = await server.SignUpAsync("New Member");
        var slug = await NewRoomAsync(owner, "Private Plans", membersOnly: true);
        var id = await server.RoomIdAsync(slug);
        var members = $"/admin/rooms/{id}/members";
        Assert.Contains($"href=\"{members}\"", await admin.Http.GetStringAsync("/admin/rooms"));

        var added = await ChatterServer.PostFormAsync(admin.Http, members + "?handler=Add", new() { ["email"] = newcomer.Email }, members);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await newcomer.Http.GetAsync($"/rooms/{slug}")).StatusCode);
        await using var socket = await newcomer.JoinAsync(slug);

        var nobody = await ChatterServer.PostFormAsync(admin.Http, members + "?handler=Add", new() { ["email"] = "no-such-person@example.test" }, members);
        Assert.Contains("done=nobody", nobody.Headers.Location!.ToString());

        var removed = await ChatterServer.PostFormAsync(admin.Http, members + "?handler=Remove", new() { ["userId"] = newcomer.Id }, members);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await socket.WaitForCloseAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await newcomer.Http.GetAsync($"/rooms/{slug}")).StatusCode);

        var audit = await admin.Http.GetStringAsync("/admin/audit?action=room-members-changed&person=" + Uri.EscapeDataString(newcomer.Email));
        Assert.Equal(2, Regex.Matches(audit, "data-action=\"room-members-changed\"").Count);

        // an open room has no such page
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync($"/admin/rooms/{await server.RoomIdAsync("general")}/members")).StatusCode);
    }

    private static async Task<string> NewRoomAsync(TestUser owner, string name, bool membersOnly = false)
    {
        var fields = new Dictionary<string, string> { ["name"] = $"{name} {Guid.NewGuid().ToString("N")[..6]}" };
        if (membersOnly)
            fields["membersOnly"] = "true";
        var response = await ChatterServer.PostFormAsync(owner.Http, "/rooms", fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.ToString().Split('/').Last();
    }

    public sealed class OnSqlite(AdminServer server) : AdminRoomsTests(server), IClassFixture<AdminServer>;

    public sealed class OnPostgreSql(PostgreSqlAdminServer server) : AdminRoomsTests(server), IClassFixture<PostgreSqlAdminServer>;
}
