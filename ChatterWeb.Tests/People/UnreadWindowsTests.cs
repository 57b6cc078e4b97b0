using System.Net;
using ChatterWeb.Data;
using ChatterWeb.Messages;
using ChatterWeb.Notifications;
using ChatterWeb.Rooms;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.People;

/// <summary>
/// A room's count window kept between gatherings (<see cref="UnreadWindows"/>) is always the window the
/// database holds: brought up to date by reading only the rows that are new or changed since, through
/// posts, edits, deletes and a room longer than the window. Each test keeps its own instance, so the
/// server's unread worker, which keeps the server's, does not read rows in between.
/// </summary>
public abstract class UnreadWindowsTests(ChatterServer server)
{
    private sealed record Row(long Seq, string AuthorId, string? Mentions, RoomMention RoomMention, long? ParentSeq, bool AlsoInRoom, string? ThreadPeople);

    private static Row Of(Message m) => new(m.Seq, m.AuthorId, m.Mentions, m.RoomMention, m.ParentSeq, m.AlsoInRoom, m.ThreadPeople);

    /// <summary>The window as kept, after asking for it as the unread worker does (the room's row first).</summary>
    private Task<List<Row>> KeptAsync(UnreadWindows windows, long roomId) =>
        server.WithDbAsync(async db =>
        {
            var mark = await db.Rooms.Where(r => r.Id == roomId).Select(r => new UnreadWindows.RoomMark(r.LastSeq, r.LastChangeSeq, r.CreatedAt)).SingleAsync();
            return (await windows.ReadAsync(db, roomId, mark, CancellationToken.None)).Select(Of).ToList();
        });

    /// <summary>The window by definition, from the database: the undeleted messages among the room's newest CountWindow seqs.</summary>
    private Task<List<Row>> TruthAsync(long roomId) =>
        server.WithDbAsync(async db =>
        {
            var lastSeq = await db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastSeq).SingleAsync();
            return (await db.Messages.AsNoTracking().Where(m => m.RoomId == roomId && m.Seq > lastSeq - UnreadRule.CountWindow && m.DeletedAt == null)
                .OrderBy(m => m.Seq).ToListAsync()).Select(Of).ToList();
        });

    private async Task<RoomInfo> NewRoomAsync(TestUser owner, params TestUser[] members)
    {
        var room = await server.WithDbAsync(db => new RoomDirectory(db, TimeProvider.System).CreateOpenAsync("Kept " + Guid.NewGuid().ToString("N")[..6], owner.Id));
        foreach (var member in members)
            await member.Http.GetStringAsync($"/rooms/{room.Slug}"); // an open room: a member from the first visit
        return room;
    }

    [Fact]
    public async Task A_kept_window_reads_only_new_and_changed_rows_and_is_always_the_stored_window()
    {
        var alice = await server.SignUpAsync("Alice Keeper");
        var bob = await server.SignUpAsync("Bob Kept");
        var room = await NewRoomAsync(alice, bob);
        var windows = new UnreadWindows();
        var seqs = new List<long>();
        for (var i = 1; i <= 4; i++)
            seqs.Add(await ChatterServer.PostViaFormAsync(alice, room.Slug, $"note {i}"));

        Assert.Equal(await TruthAsync(room.Id), await KeptAsync(windows, room.Id));
        Assert.Equal(4, windows.RowsRead);
        Assert.Equal(await TruthAsync(room.Id), await KeptAsync(windows, room.Id));
        Assert.Equal(4, windows.RowsRead); // nothing new, nothing read

        seqs.Add(await ChatterServer.PostViaFormAsync(alice, room.Slug, "@bob kept have a look"));
        Assert.Equal(await TruthAsync(room.Id), await KeptAsync(windows, room.Id));
        Assert.Equal(5, windows.RowsRead); // only the new one
        Assert.Equal(bob.Id, (await KeptAsync(windows, room.Id)).Single(r => r.Seq == seqs[4]).Mentions);

        // an edit takes the room's next change number: the edited message is read again, and only it
        var edit = await ChatterServer.PostFormAsync(alice.Http, MessageActions.EditPath(room.Slug, seqs[1]), new() { ["body"] = "note 2, rewritten" });
        Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);
        var kept = await KeptAsync(windows, room.Id);
        Assert.Equal(await TruthAsync(room.Id), kept);
        Assert.Equal(6, windows.RowsRead);

        // a delete takes the message out of the window
        var delete = await ChatterServer.PostFormAsync(alice.Http, $"/rooms/{room.Slug}/messages/{seqs[2]}/delete", []);
        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        kept = await KeptAsync(windows, room.Id);
        Assert.Equal(await TruthAsync(room.Id), kept);
        Assert.DoesNotContain(kept, r => r.Seq == seqs[2]);
        Assert.Equal(7, windows.RowsRead);

        // the counts made from it are the rule's, message for message
        await using var scope = server.Services.CreateAsyncScope();
        var reads = scope.ServiceProvider.GetRequiredService<ReadState>();
        var members = await reads.MembersAsync(room.Id);
        foreach (var person in new[] { alice, bob })
        {
            var member = members.Single(m => m.UserId == person.Id);
            Assert.Equal(await reads.ForRoomAsync(room.Id, person.Id), new UnreadCount(member.Count, member.Mentions));
        }
        Assert.Equal(new UnreadCount(4, 1), await reads.ForRoomAsync(room.Id, bob.Id)); // notes 1, 2 and 4, and the fifth, which names him
    }

    [Fact]
    public async Task A_kept_window_slides_with_a_room_longer_than_the_window()
    {
        var alice = await server.SignUpAsync();
        var room = await NewRoomAsync(alice);
        var windows = new UnreadWindows();
        await ChatterServer.PostViaFormAsync(alice, room.Slug, "the first");
        await KeptAsync(windows, room.Id);

        // a long history arrives at once (written straight into the database, as an import would)
        var added = UnreadRule.CountWindow + 25;
        await server.WithDbAsync(async db =>
        {
            for (var seq = 2; seq <= added + 1; seq++)
            {
                db.Messages.Add(new Message
                {
                    RoomId = room.Id, Seq = seq, AuthorId = alice.Id, Body = $"m{seq}", ClientMessageId = Guid.NewGuid().ToString(), CreatedAt = DateTimeOffset.UtcNow,
                });
            }
            await db.SaveChangesAsync();
            await db.Rooms.Where(r => r.Id == room.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.LastSeq, added + 1));
            return 0;
        });

        var kept = await KeptAsync(windows, room.Id);
        Assert.Equal(await TruthAsync(room.Id), kept);
        Assert.Equal(UnreadRule.CountWindow, kept.Count);
        Assert.Equal(added + 1 - UnreadRule.CountWindow + 1, kept[0].Seq); // the oldest ones fell out
        Assert.Equal(1 + UnreadRule.CountWindow, windows.RowsRead); // the first, then only the newest window's rows

        await ChatterServer.PostViaFormAsync(alice, room.Slug, "one more");
        kept = await KeptAsync(windows, room.Id);
        Assert.Equal(await TruthAsync(room.Id), kept);
        Assert.Equal(UnreadRule.CountWindow, kept.Count);
    }

    [Fact]
    public async Task Beyond_the_most_rows_kept_the_least_recently_counted_room_is_dropped_and_read_whole_again()
    {
        var alice = await server.SignUpAsync();
        var quiet = await NewRoomAsync(alice);
        var busy = await NewRoomAsync(alice);
        for (var i = 0; i < 4; i++)
            await ChatterServer.PostViaFormAsync(alice, quiet.Slug, $"quiet {i}");
        for (var i = 0; i < 3; i++)
            await ChatterServer.PostViaFormAsync(alice, busy.Slug, $"busy {i}");
        var windows = new UnreadWindows(maxRows: 5);

        await KeptAsync(windows, quiet.Id);
        await KeptAsync(windows, busy.Id); // 7 rows: the quiet room, counted longer ago, goes
        Assert.Equal(1, windows.KeptRooms);
        Assert.Equal(7, windows.RowsRead);

        await KeptAsync(windows, busy.Id);
        Assert.Equal(7, windows.RowsRead); // the busy one is still kept
        Assert.Equal(await TruthAsync(quiet.Id), await KeptAsync(windows, quiet.Id));
        Assert.Equal(11, windows.RowsRead); // the quiet one read whole again
    }

    [Fact]
    public async Task A_delete_and_a_post_between_two_gatherings_are_both_read_in_one_refresh()
    {
        var alice = await server.SignUpAsync();
        var room = await NewRoomAsync(alice);
        var windows = new UnreadWindows();
        var first = await ChatterServer.PostViaFormAsync(alice, room.Slug, "to be deleted");
        await ChatterServer.PostViaFormAsync(alice, room.Slug, "stays");
        await KeptAsync(windows, room.Id);

        // as the unread worker sees it: a post arrives, and a change happened since the last gathering
        var delete = await ChatterServer.PostFormAsync(alice.Http, $"/rooms/{room.Slug}/messages/{first}/delete", []);
        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        await ChatterServer.PostViaFormAsync(alice, room.Slug, "new");
        var kept = await KeptAsync(windows, room.Id);
        Assert.Equal(await TruthAsync(room.Id), kept);
        Assert.DoesNotContain(kept, r => r.Seq == first);
        Assert.Equal(2 + 2, windows.RowsRead); // the two, then the deleted one and the new one
    }

    [Fact]
    public async Task A_kept_window_is_read_whole_again_for_another_room_of_the_same_id_or_a_room_that_went_back()
    {
        var alice = await server.SignUpAsync();
        var room = await NewRoomAsync(alice);
        for (var i = 0; i < 3; i++)
            await ChatterServer.PostViaFormAsync(alice, room.Slug, $"m {i}");
        var windows = new UnreadWindows();
        var mark = await server.WithDbAsync(db => db.Rooms.Where(r => r.Id == room.Id).Select(r => new UnreadWindows.RoomMark(r.LastSeq, r.LastChangeSeq, r.CreatedAt)).SingleAsync());
        Task<IReadOnlyList<Message>> ReadAsync(UnreadWindows.RoomMark m) => server.WithDbAsync(db => windows.ReadAsync(db, room.Id, m, CancellationToken.None));

        await ReadAsync(mark);
        await ReadAsync(mark);
        Assert.Equal(3, windows.RowsRead);
        await ReadAsync(mark with { CreatedAt = mark.CreatedAt.AddSeconds(1) }); // a room created anew under the same id
        Assert.Equal(6, windows.RowsRead);
        await ReadAsync(mark with { CreatedAt = mark.CreatedAt.AddSeconds(1), LastSeq = 2 }); // its LastSeq went back (a restored database)
        Assert.Equal(8, windows.RowsRead);
        Assert.Equal([1L, 2L], (await ReadAsync(mark with { CreatedAt = mark.CreatedAt.AddSeconds(1), LastSeq = 2 })).Select(m => m.Seq));
        Assert.Equal(8, windows.RowsRead);
    }

    [Fact]
    public async Task The_room_dropped_beyond_the_most_rows_is_the_one_counted_longest_ago()
    {
        var alice = await server.SignUpAsync();
        var a = await NewRoomAsync(alice);
        var b = await NewRoomAsync(alice);
        var c = await NewRoomAsync(alice);
        foreach (var (room, count) in new[] { (a, 3), (b, 3), (c, 5) })
        {
            for (var i = 0; i < count; i++)
                await ChatterServer.PostViaFormAsync(alice, room.Slug, $"m {i}");
        }
        var windows = new UnreadWindows(maxRows: 10);
        await KeptAsync(windows, a.Id);
        await KeptAsync(windows, b.Id);
        await KeptAsync(windows, a.Id); // a counted again: b is now the one counted longest ago
        await KeptAsync(windows, c.Id); // 11 rows: b goes
        Assert.Equal(11, windows.RowsRead);
        Assert.Equal(2, windows.KeptRooms);

        await KeptAsync(windows, a.Id);
        await KeptAsync(windows, c.Id);
        Assert.Equal(11, windows.RowsRead); // a and c still kept
        await KeptAsync(windows, b.Id);
        Assert.Equal(14, windows.RowsRead); // b read whole again
    }

    public sealed class OnSqlite(ChatterServer server) : UnreadWindowsTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : UnreadWindowsTests(server), IClassFixture<PostgreSqlChatterServer>;
}
