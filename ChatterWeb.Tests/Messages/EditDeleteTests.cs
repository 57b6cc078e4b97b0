using System.Net;
using ChatterWeb.Data;
using ChatterWeb.Messages;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Messages;

/// <summary>Edit and delete through the real pages: who may, what every open socket sees, and what resume replays.</summary>
public abstract class EditDeleteTests(ChatterServer server)
{
    private async Task<string> NewRoomAsync(TestUser owner, RoomKind kind = RoomKind.Open) =>
        (await server.WithDbAsync(db => new ChatterWeb.Rooms.RoomDirectory(db, TimeProvider.System).CreateAsync("Edits " + Guid.NewGuid().ToString("N")[..6], owner.Id, kind))).Slug;

    private async Task<long> PostAsync(TestUser who, string slug, string body)
    {
        await using var s = await who.JoinAsync(slug);
        var id = Guid.NewGuid().ToString();
        await s.SendMessageAsync(body, id);
        await s.WaitForAsync(f => f.Contains($"data-ack=\"{id}\""));
        return await server.WithDbAsync(db => db.Messages.Where(m => m.Body == body).Select(m => m.Seq).SingleAsync());
    }

    private static Task<HttpResponseMessage> EditAsync(TestUser who, string slug, long seq, string body, bool htmx = false) =>
        SendAsync(who, MessageActions.EditPath(slug, seq), new() { ["body"] = body }, htmx);

    private static Task<HttpResponseMessage> DeleteAsync(TestUser who, string slug, long seq, bool htmx = false) =>
        SendAsync(who, MessageActions.DeletePath(slug, seq), [], htmx);

    private static async Task<HttpResponseMessage> SendAsync(TestUser who, string path, Dictionary<string, string> fields, bool htmx)
    {
        // the antiforgery token belongs to the person, not the page: take it from the rooms page
        fields["__RequestVerificationToken"] = ChatterServer.AntiforgeryToken(await who.Http.GetStringAsync("/rooms"));
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        if (htmx)
            request.Headers.Add("HX-Request", "true");
        return await who.Http.SendAsync(request);
    }

    private Task<Message> StoredAsync(string slug, long seq) =>
        server.WithDbAsync(db => db.Messages.Where(m => m.Seq == seq && db.Rooms.Any(r => r.Id == m.RoomId && r.Slug == slug)).SingleAsync());

    [Fact]
    public async Task An_edit_reaches_every_open_socket_as_a_replacement_marked_edited()
    {
        var alice = await server.SignUpAsync("Alice");
        var bob = await server.SignUpAsync("Bob");
        var slug = await NewRoomAsync(alice);
        var seq = await PostAsync(alice, slug, "the meeting is at 3");
        await using var watching = await bob.JoinAsync(slug);

        var response = await EditAsync(alice, slug, seq, "the meeting is at **4**", htmx: true);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<strong>4</strong>", await response.Content.ReadAsStringAsync());

        var frame = await watching.WaitForAsync(f => f.Contains($"id=\"m-{seq}\""));
        Assert.StartsWith("<article", frame);
        Assert.Contains("hx-swap-oob=\"outerHTML\"", frame);
        Assert.Contains("hx-disable", frame);
        Assert.Contains("<strong>4</strong>", frame);
        Assert.Contains("(edited)", frame);
        Assert.DoesNotContain("id=\"messages\"", frame); // a replacement, not an append

        var stored = await StoredAsync(slug, seq);
        Assert.Equal("the meeting is at **4**", stored.Body); // the source is stored, not the HTML
        Assert.NotNull(stored.EditedAt);
        Assert.True(stored.ChangeSeq > 0);
        var page = await bob.Http.GetStringAsync($"/rooms/{slug}");
        Assert.Contains("(edited)", page);
    }

    [Fact]
    public async Task Only_the_author_edits_and_only_the_author_or_the_room_creator_deletes()
    {
        var owner = await server.SignUpAsync("Owner");
        var alice = await server.SignUpAsync("Alice");
        var mallory = await server.SignUpAsync("Mallory");
        var slug = await NewRoomAsync(owner);
        var seq = await PostAsync(alice, slug, "alice wrote this");

        Assert.Equal(HttpStatusCode.Forbidden, (await EditAsync(mallory, slug, seq, "mallory was here")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await EditAsync(owner, slug, seq, "the owner cannot edit words")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await mallory.Http.GetAsync(MessageActions.EditPath(slug, seq))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await DeleteAsync(mallory, slug, seq)).StatusCode);
        // the confirmation pages ask the same as the actions
        Assert.Equal(HttpStatusCode.Forbidden, (await mallory.Http.GetAsync(MessageActions.DeletePath(slug, seq))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.Http.GetAsync(MessageActions.DeletePath(slug, seq))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.GetAsync(MessageActions.EditPath(slug, seq))).StatusCode);

        // saving the same text again changes nothing: no change number taken, nothing broadcast
        var before = (await StoredAsync(slug, seq)).ChangeSeq;
        Assert.Equal(HttpStatusCode.NoContent, (await EditAsync(alice, slug, seq, "alice wrote this", htmx: true)).StatusCode);
        Assert.Equal(before, (await StoredAsync(slug, seq)).ChangeSeq);
        Assert.Equal("alice wrote this", (await StoredAsync(slug, seq)).Body);
        Assert.Null((await StoredAsync(slug, seq)).DeletedAt);

        // without the antiforgery token nothing happens
        var bare = await alice.Http.PostAsync(MessageActions.DeletePath(slug, seq), new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        // bad input is refused, the text stays
        Assert.Equal(HttpStatusCode.BadRequest, (await EditAsync(alice, slug, seq, "   ", htmx: true)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await EditAsync(alice, slug, seq, new string('x', Message.BodyMaxLength + 1))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await EditAsync(alice, slug, 999_999, "no such message")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await EditAsync(alice, "no-such-room", seq, "no such room")).StatusCode);

        // the author edits (a plain form lands on the permalink)
        var edit = await EditAsync(alice, slug, seq, "alice fixed this");
        Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);
        Assert.Equal(MessageActions.PermalinkPath(slug, seq), edit.Headers.Location!.ToString());
        Assert.Equal("alice fixed this", (await StoredAsync(slug, seq)).Body);

        // the room's creator deletes someone else's message; its text is gone
        Assert.Equal(HttpStatusCode.Redirect, (await DeleteAsync(owner, slug, seq)).StatusCode);
        var deleted = await StoredAsync(slug, seq);
        Assert.NotNull(deleted.DeletedAt);
        Assert.Equal("", deleted.Body);
        // a deleted message can be neither edited nor deleted again
        Assert.Equal(HttpStatusCode.NotFound, (await EditAsync(alice, slug, seq, "back from the dead")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await DeleteAsync(alice, slug, seq)).StatusCode);

        // and the author deletes their own
        var own = await PostAsync(mallory, slug, "mallory regrets this");
        Assert.Equal(HttpStatusCode.Redirect, (await DeleteAsync(mallory, slug, own)).StatusCode);
        Assert.NotNull((await StoredAsync(slug, own)).DeletedAt);
    }

    [Fact]
    public async Task The_plain_edit_and_delete_pages_work_without_javascript()
    {
        var alice = await server.SignUpAsync();
        var slug = await NewRoomAsync(alice);
        var seq = await PostAsync(alice, slug, "plain <page> & *form*");

        var form = await alice.Http.GetStringAsync(MessageActions.EditPath(slug, seq));
        Assert.Contains("plain &lt;page&gt; &amp; *form*</textarea>", form); // the source, encoded
        Assert.DoesNotContain("hx-post", form); // on its own page the form posts the plain way, even with JavaScript
        var edit = await ChatterServer.PostFormAsync(alice.Http, MessageActions.EditPath(slug, seq), new() { ["body"] = "edited on the plain page" });
        Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);
        Assert.Equal("edited on the plain page", (await StoredAsync(slug, seq)).Body);
        var invalid = await ChatterServer.PostFormAsync(alice.Http, MessageActions.EditPath(slug, seq), new() { ["body"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains(PostMessage.EmptyError, await invalid.Content.ReadAsStringAsync());

        Assert.Contains("edited on the plain page", await alice.Http.GetStringAsync(MessageActions.DeletePath(slug, seq)));
        var delete = await ChatterServer.PostFormAsync(alice.Http, MessageActions.DeletePath(slug, seq), []);
        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        Assert.Contains("This message was deleted.", await alice.Http.GetStringAsync(delete.Headers.Location!.ToString()));
    }

    [Fact]
    public async Task The_edit_form_fetched_into_a_message_saves_with_htmx_into_the_message_by_its_id()
    {
        var alice = await server.SignUpAsync();
        var slug = await NewRoomAsync(alice);
        var seq = await PostAsync(alice, slug, "fetched in place");

        using var request = new HttpRequestMessage(HttpMethod.Get, MessageActions.EditPath(slug, seq));
        request.Headers.Add("HX-Request", "true");
        var form = await (await alice.Http.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.StartsWith("<form class=\"msg-edit-form\"", form.TrimStart()); // the fragment alone, no layout
        Assert.Contains($"hx-post=\"{MessageActions.EditPath(slug, seq)}\"", form);
        Assert.Contains("hx-swap=\"none\"", form);
        Assert.Contains($"hx-select-oob=\"#m-{seq}\"", form);
        Assert.Contains("name=\"__RequestVerificationToken\"", form); // its own token
    }

    [Fact]
    public async Task Someone_who_cannot_read_the_room_gets_404_even_for_their_own_old_message()
    {
        var owner = await server.SignUpAsync();
        var guest = await server.SignUpAsync();
        var slug = await NewRoomAsync(owner, RoomKind.Closed);
        var roomId = await server.RoomIdAsync(slug);
        await server.WithDbAsync(async db =>
        {
            db.Memberships.Add(new Membership { RoomId = roomId, UserId = guest.Id, JoinedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        var seq = await PostAsync(guest, slug, "said while a member");
        await server.WithDbAsync(db => db.Memberships.Where(m => m.UserId == guest.Id && m.RoomId == roomId).ExecuteDeleteAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await EditAsync(guest, slug, seq, "edited after removal")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await DeleteAsync(guest, slug, seq)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await guest.Http.GetAsync(MessageActions.EditPath(slug, seq))).StatusCode);
        Assert.Equal("said while a member", (await StoredAsync(slug, seq)).Body);
    }

    [Fact]
    public async Task A_delete_leaves_a_tombstone_on_every_socket_and_page()
    {
        var alice = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var slug = await NewRoomAsync(alice);
        var seq = await PostAsync(alice, slug, "oops, wrong room: secret plans");
        await using var watching = await bob.JoinAsync(slug);

        var response = await DeleteAsync(alice, slug, seq, htmx: true);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var frame = await watching.WaitForAsync(f => f.Contains($"id=\"m-{seq}\""));
        Assert.Contains("This message was deleted.", frame);
        Assert.Contains("msg deleted", frame);
        Assert.DoesNotContain("secret plans", frame);
        Assert.DoesNotContain("msg-edit", frame);

        var page = await bob.Http.GetStringAsync($"/rooms/{slug}");
        Assert.DoesNotContain("secret plans", page);
        Assert.Contains("This message was deleted.", page);
    }

    [Fact]
    public async Task A_socket_that_was_away_during_an_edit_and_a_delete_sees_both_after_resume()
    {
        var alice = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var slug = await NewRoomAsync(alice);
        var kept = await PostAsync(alice, slug, "first version");
        var doomed = await PostAsync(alice, slug, "soon gone");
        var roomId = await server.RoomIdAsync(slug);
        var mark = await server.WithDbAsync(db => db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastChangeSeq).SingleAsync());

        // bob's page showed both messages (and change mark), then lost its socket
        await (await bob.JoinAsync(slug)).DisposeAsync();
        Assert.Equal(HttpStatusCode.OK, (await EditAsync(alice, slug, kept, "second version", htmx: true)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await EditAsync(alice, slug, kept, "third version", htmx: true)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await DeleteAsync(alice, slug, doomed, htmx: true)).StatusCode);

        await using var back = await bob.JoinAsync(slug);
        await back.SendJsonAsync(new { type = "resume", afterSeq = doomed, afterChange = mark });
        var markFrame = await back.WaitForAsync(f => f.Contains("id=\"change-mark\""));
        Assert.Contains($"data-change=\"{mark + 3}\" hidden", markFrame); // three changes, one overwritten: the mark closes the hole
        var replay = back.Seen.Where(f => f.Contains("hx-swap-oob=\"outerHTML\"")).ToList();
        Assert.Equal(2, replay.Count); // each changed message once, as it is now
        var keptFrame = Assert.Single(replay, f => f.Contains($"id=\"m-{kept}\""));
        Assert.Contains("third version", keptFrame);
        Assert.Contains("(edited)", keptFrame);
        var doomedFrame = Assert.Single(replay, f => f.Contains($"id=\"m-{doomed}\""));
        Assert.Contains("This message was deleted.", doomedFrame);
        Assert.DoesNotContain(back.Seen, f => f.Contains("second version") || f.Contains("soon gone"));

        // up to date: only the mark comes back; an old client without afterChange gets no change frames at all
        await back.SendJsonAsync(new { type = "resume", afterSeq = doomed, afterChange = mark + 3 });
        await back.WaitForAsync(f => f.Contains("id=\"change-mark\""));
        await back.SendJsonAsync(new { type = "resume", afterSeq = 0 });
        await back.WaitForAsync(f => f.Contains("id=\"messages\"") && f.Contains($"id=\"m-{kept}\""));
        // A barrier: frames are handled in order, so a message sent now is acknowledged after anything that resume sent.
        var barrier = Guid.NewGuid().ToString();
        await back.SendMessageAsync("sent after the resumes", barrier);
        await back.WaitForAsync(f => f.Contains($"data-ack=\"{barrier}\""));
        Assert.Equal(2, back.Seen.Count(f => f.Contains("hx-swap-oob=\"outerHTML\"")));
        Assert.Equal(2, back.Seen.Count(f => f.Contains("id=\"change-mark\"")));
    }

    public sealed class OnSqlite(ChatterServer server) : EditDeleteTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : EditDeleteTests(server), IClassFixture<PostgreSqlChatterServer>;
}
