using System.Net;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Admin;

/// <summary>
/// Archiving a room on /admin/rooms: its history stays readable, every way of writing to it (the
/// socket, the form without JavaScript, edit and delete) is refused with the same message (409 for
/// the forms), the page shows a notice instead of the composer, the list marks it, the audit trail
/// has both changes, and unarchiving opens it again. Only administrators may do it.
/// </summary>
public abstract class RoomArchiveTests(AdminServer server)
{
    private const string Refusal = "This room is archived";

    [Fact]
    public async Task An_archived_room_is_read_only_for_every_way_in_and_unarchiving_opens_it_again()
    {
        var admin = await server.AdminAsync();
        var owner = await server.SignUpAsync("Archive Owner");
        var slug = await NewRoomAsync(owner, "Old Project");
        var id = await server.RoomIdAsync(slug);
        var before = await ChatterServer.PostFormAsync(owner.Http, $"/rooms/{slug}/messages", new() { ["body"] = "kept for the record" }, $"/rooms/{slug}");
        Assert.Equal(HttpStatusCode.Redirect, before.StatusCode);
        var seq = long.Parse(before.Headers.Location!.ToString().Split("#m-").Last());
        await using var socket = await owner.JoinAsync(slug); // opened before the archive: its room was read then

        var archived = await ChatterServer.PostFormAsync(admin.Http, "/admin/rooms?handler=Archive", new() { ["id"] = $"{id}" }, "/admin/rooms");
        Assert.Equal(HttpStatusCode.Redirect, archived.StatusCode);
        Assert.Contains($"data-room-id=\"{id}\" data-archived=\"true\"", await admin.Http.GetStringAsync("/admin/rooms"));
        Assert.NotNull(await server.WithDbAsync(db => db.Rooms.Where(r => r.Id == id).Select(r => r.ArchivedAt).SingleAsync()));

        // the socket: refused with the message, nothing stored
        await socket.SendMessageAsync("through the socket");
        Assert.Contains(Refusal, await socket.WaitForAsync(f => f.Contains("composer-status") && f.Contains("error")));
        // the form without JavaScript: 409 with the message
        var form = await ChatterServer.PostFormAsync(owner.Http, $"/rooms/{slug}/messages", new() { ["body"] = "through the form" }, "/rooms/general");
        Assert.Equal(HttpStatusCode.Conflict, form.StatusCode);
        Assert.Contains(Refusal, await form.Content.ReadAsStringAsync());
        // edit and delete of one's own message: 409 with the message, the message as it was
        var edit = await ChatterServer.PostFormAsync(owner.Http, $"/rooms/{slug}/messages/{seq}/edit", new() { ["body"] = "rewritten" });
        Assert.Equal(HttpStatusCode.Conflict, edit.StatusCode);
        Assert.Contains(Refusal, await edit.Content.ReadAsStringAsync());
        var delete = await ChatterServer.PostFormAsync(owner.Http, $"/rooms/{slug}/messages/{seq}/delete", []);
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Contains(Refusal, await delete.Content.ReadAsStringAsync());
        var stored = await server.WithDbAsync(db => db.Messages.AsNoTracking().Where(m => m.RoomId == id).ToListAsync());
        Assert.Equal("kept for the record", Assert.Single(stored).Body);
        Assert.Null(stored[0].DeletedAt);

        // still readable, with a notice where the composer was
        var page = await owner.Http.GetStringAsync($"/rooms/{slug}");
        Assert.Contains("kept for the record", page);
        Assert.Contains("id=\"archived\"", page);
        Assert.DoesNotContain("id=\"composer\"", page);
        Assert.Contains("kept for the record", await owner.Http.GetStringAsync($"/rooms/{slug}/messages"));

        var unarchived = await ChatterServer.PostFormAsync(admin.Http, "/admin/rooms?handler=Unarchive", new() { ["id"] = $"{id}" }, "/admin/rooms");
        Assert.Equal(HttpStatusCode.Redirect, unarchived.StatusCode);
        Assert.Contains($"data-room-id=\"{id}\" data-archived=\"false\"", await admin.Http.GetStringAsync("/admin/rooms"));
        Assert.Contains("id=\"composer\"", await owner.Http.GetStringAsync($"/rooms/{slug}"));
        await socket.SendMessageAsync("back in business");
        await socket.WaitForMessageAsync("back in business");
        var again = await ChatterServer.PostFormAsync(owner.Http, $"/rooms/{slug}/messages", new() { ["body"] = "and by form" }, $"/rooms/{slug}");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(3, await server.WithDbAsync(db => db.Messages.CountAsync(m => m.RoomId == id)));

        var audit = await admin.Http.GetStringAsync("/admin/audit?action=room-archived");
        Assert.Contains("data-action=\"room-archived\"", audit);
        Assert.Contains(slug, audit);
        Assert.Contains("data-action=\"room-unarchived\"", await admin.Http.GetStringAsync("/admin/audit?action=room-unarchived"));
    }

    [Fact]
    public async Task Someone_who_is_not_an_administrator_gets_404_and_the_room_stays_open()
    {
        var owner = await server.SignUpAsync("Not An Admin");
        var slug = await NewRoomAsync(owner, "Mine Anyway");
        var id = await server.RoomIdAsync(slug);

        var refused = await ChatterServer.PostFormAsync(owner.Http, "/admin/rooms?handler=Archive", new() { ["id"] = $"{id}" }, $"/rooms/{slug}");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Null(await server.WithDbAsync(db => db.Rooms.Where(r => r.Id == id).Select(r => r.ArchivedAt).SingleAsync()));
        var post = await ChatterServer.PostFormAsync(owner.Http, $"/rooms/{slug}/messages", new() { ["body"] = "still open" }, $"/rooms/{slug}");
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
    }

    private static async Task<string> NewRoomAsync(TestUser owner, string name)
    {
        var response = await ChatterServer.PostFormAsync(owner.Http, "/rooms", new() { ["name"] = $"{name} {Guid.NewGuid().ToString("N")[..6]}" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.ToString().Split('/').Last();
    }

    public sealed class OnSqlite(AdminServer server) : RoomArchiveTests(server), IClassFixture<AdminServer>;

    public sealed class OnPostgreSql(PostgreSqlAdminServer server) : RoomArchiveTests(server), IClassFixture<PostgreSqlAdminServer>;
}
