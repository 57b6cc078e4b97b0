using System.Net;
using ChatterWeb.Accounts.Audit;
using ChatterWeb.Messages;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Messages;

/// <summary>
/// Who deletes: in a direct conversation only the authors (the review found that whoever started it,
/// recorded as the room's creator, could delete the other person's messages); an administrator may
/// delete any message, audited and shown as removed by an administrator.
/// </summary>
public abstract class ModerationTests(ChatterServer server)
{
    [Fact]
    public async Task Whoever_started_a_direct_conversation_cannot_delete_the_other_persons_messages()
    {
        await NotTheFirstAccountAsync();
        var ada = await server.SignUpAsync("Ada Starter");
        var bob = await server.SignUpAsync("Bob Other");
        var created = await ChatterServer.PostFormAsync(ada.Http, "/direct", new() { ["with"] = bob.Id }, $"/direct?with={bob.Id}");
        var dm = created.Headers.Location!.ToString().Split('/').Last();
        var seq = await ChatterServer.PostViaFormAsync(bob, dm, "bob's own words");

        Assert.Equal(HttpStatusCode.Forbidden, (await ada.Http.GetAsync(MessageActions.DeletePath(dm, seq))).StatusCode);
        var delete = await PostAsync(ada, MessageActions.DeletePath(dm, seq));
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal("bob's own words", await BodyAsync(dm, seq));

        // the author still may
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(bob, MessageActions.DeletePath(dm, seq))).StatusCode);
        Assert.Equal("", await BodyAsync(dm, seq));
    }

    [Fact]
    public async Task An_administrator_removes_anyones_message_it_is_shown_as_removed_by_an_administrator_and_audited()
    {
        var author = await server.SignUpAsync("Loud Author");
        var admin = await server.SignUpAsync("Moderating Admin");
        var plain = await server.SignUpAsync("Plain Reader");
        await server.MakeAdministratorAsync(admin.Id);
        var seq = await ChatterServer.PostViaFormAsync(author, "general", "something that must go");
        await using var watching = await plain.JoinAsync("general");

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(plain, MessageActions.DeletePath("general", seq))).StatusCode);
        var confirm = await admin.Http.GetAsync(MessageActions.DeletePath("general", seq));
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Contains("as an administrator", await confirm.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(admin, MessageActions.DeletePath("general", seq))).StatusCode);

        var frame = await watching.WaitForAsync(f => f.Contains($"id=\"m-{seq}\"") && f.Contains("tombstone"));
        Assert.Contains("removed by an administrator", frame);
        Assert.Contains("removed by an administrator", await plain.Http.GetStringAsync(MessageActions.PermalinkPath("general", seq)));
        Assert.Equal("", await BodyAsync("general", seq));

        var entry = await server.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.MessageRemoved && e.SubjectId == author.Id));
        Assert.Equal(admin.Id, entry.ActorId);
        Assert.Contains($"message {seq}", entry.Detail);
    }

    [Fact]
    public async Task An_author_deleting_their_own_message_is_not_moderation()
    {
        var admin = await server.SignUpAsync("Self Deleting Admin");
        await server.MakeAdministratorAsync(admin.Id);
        var seq = await ChatterServer.PostViaFormAsync(admin, "general", "my own slip");

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(admin, MessageActions.DeletePath("general", seq))).StatusCode);

        Assert.Contains("This message was deleted.", await admin.Http.GetStringAsync(MessageActions.PermalinkPath("general", seq)));
        Assert.False(await server.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.MessageRemoved && e.SubjectId == admin.Id)));
    }

    [Fact]
    public async Task Delete_shows_on_every_message_for_an_open_rooms_creator_and_an_administrator_not_for_a_direct_conversations_starter()
    {
        await NotTheFirstAccountAsync();
        var ada = await server.SignUpAsync("Ada Shown");
        var bob = await server.SignUpAsync("Bob Shown");
        var created = await ChatterServer.PostFormAsync(ada.Http, "/direct", new() { ["with"] = bob.Id }, $"/direct?with={bob.Id}");
        var dm = created.Headers.Location!.ToString().Split('/').Last();
        var room = (await ChatterServer.PostFormAsync(ada.Http, "/rooms", new() { ["name"] = "Shown " + Guid.NewGuid().ToString("N")[..6] })).Headers.Location!.ToString();

        Assert.DoesNotContain("can-moderate", await ada.Http.GetStringAsync($"/rooms/{dm}"));
        Assert.Contains("class=\"room can-moderate can-pin\"", await ada.Http.GetStringAsync(room));
        Assert.DoesNotContain("can-moderate", await bob.Http.GetStringAsync(room));

        await server.MakeAdministratorAsync(bob.Id);
        var bobAsAdmin = await server.SignInAgainAsync(bob);
        Assert.Contains("class=\"room can-moderate can-pin\"", await bobAsAdmin.GetStringAsync(room));
    }

    /// <summary>The first account of a database becomes an administrator: the people of a test that must not be one come after it.</summary>
    private Task NotTheFirstAccountAsync() => server.SignUpAsync("Someone First");

    private static async Task<HttpResponseMessage> PostAsync(TestUser who, string path)
    {
        var fields = new Dictionary<string, string> { ["__RequestVerificationToken"] = ChatterServer.AntiforgeryToken(await who.Http.GetStringAsync("/rooms")) };
        return await who.Http.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    private Task<string> BodyAsync(string slug, long seq) =>
        server.WithDbAsync(db => db.Messages.Where(m => m.Seq == seq && db.Rooms.Any(r => r.Id == m.RoomId && r.Slug == slug)).Select(m => m.Body).SingleAsync());

    public sealed class OnSqlite(ChatterServer server) : ModerationTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : ModerationTests(server), IClassFixture<PostgreSqlChatterServer>;
}
