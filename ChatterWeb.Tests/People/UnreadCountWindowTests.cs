using ChatterWeb.Data;
using ChatterWeb.Notifications;
using ChatterWeb.Rooms;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.People;

/// <summary>
/// Unread counts read at most the newest <see cref="UnreadRule.CountWindow"/> messages of a room, so
/// someone far behind in a long room costs a bounded seek, not a count of the whole history.
/// </summary>
public abstract class UnreadCountWindowTests(ChatterServer server)
{
    /// <summary>A room of <paramref name="total"/> messages written by the rules, its other members at the given read positions.</summary>
    private Task<RoomInfo> SeedRoomAsync(string name, TestUser creator, IEnumerable<(TestUser Who, long ReadUpTo)> members, int total,
        Func<int, TestUser> author, Func<int, string?> mentions, Func<int, bool> deleted) =>
        server.WithDbAsync(async db =>
        {
            var created = await new RoomDirectory(db, TimeProvider.System).CreateOpenAsync(name + " " + Guid.NewGuid().ToString("N")[..6], creator.Id);
            foreach (var (who, readUpTo) in members)
                db.Memberships.Add(new Membership { RoomId = created.Id, UserId = who.Id, JoinedAt = DateTimeOffset.UtcNow, LastReadSeq = readUpTo });
            for (var seq = 1; seq <= total; seq++)
            {
                db.Messages.Add(new Message
                {
                    RoomId = created.Id, Seq = seq, AuthorId = author(seq).Id, Body = $"m{seq}", ClientMessageId = Guid.NewGuid().ToString(),
                    CreatedAt = DateTimeOffset.UtcNow, Mentions = mentions(seq), DeletedAt = deleted(seq) ? DateTimeOffset.UtcNow : null,
                });
            }
            await db.SaveChangesAsync();
            await db.Rooms.Where(r => r.Id == created.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.LastSeq, total));
            return created;
        });

    /// <summary>The count by definition: messages above the read position and the window's start, not their own, not deleted.</summary>
    private static UnreadCount CountedByHand(int total, long readUpTo, TestUser who, Func<int, TestUser> author, Func<int, string?> mentions, Func<int, bool> deleted)
    {
        var unread = Enumerable.Range(1, total)
            .Where(seq => seq > Math.Max(total - UnreadRule.CountWindow, readUpTo) && author(seq) != who && !deleted(seq)).ToList();
        return new UnreadCount(unread.Count, unread.Count(seq => mentions(seq)?.Split(' ').Contains(who.Id) == true));
    }

    [Fact]
    public async Task Someone_far_behind_is_counted_up_to_the_window_and_shown_99_plus()
    {
        var alice = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var total = UnreadRule.CountWindow + 150;
        var room = await SeedRoomAsync("Long", alice, [(bob, 0)], total, _ => alice, seq => seq % 2 == 0 ? bob.Id : null, _ => false);

        await using var scope = server.Services.CreateAsyncScope();
        var reads = scope.ServiceProvider.GetRequiredService<ReadState>();
        var unread = await reads.ForRoomAsync(room.Id, bob.Id);
        Assert.Equal(new UnreadCount(UnreadRule.CountWindow, UnreadRule.CountWindow / 2), unread);
        Assert.Equal(unread, (await reads.ForUserAsync(bob.Id))[room.Id]);
        Assert.Equal(unread.Count, (await reads.MembersAsync(room.Id)).Single(m => m.UserId == bob.Id).Count);

        // within the window the count is exact
        await reads.MarkReadAsync(room.Id, bob.Id, total - 7);
        Assert.Equal(new UnreadCount(7, 4), await reads.ForRoomAsync(room.Id, bob.Id)); // 1144..1150, the even ones mention Bob

        using var sw = new StringWriter();
        UnreadMarkup.WriteBadge(sw, room.Id, new UnreadCount(UnreadRule.CountWindow, 0));
        Assert.Contains(">99+<", sw.ToString());
    }
    [Fact]
    public async Task Every_members_count_from_the_window_matches_their_own_count()
    {
        var alice = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var carol = await server.SignUpAsync();
        var people = new[] { alice, bob, carol };
        const int total = 60;
        TestUser Author(int seq) => people[seq % 3];
        string? Mentioned(int seq) => seq % 4 == 0 ? $"{bob.Id} {carol.Id}" : seq % 5 == 0 ? carol.Id : null;
        static bool Deleted(int seq) => seq % 7 == 0;
        var room = await SeedRoomAsync("Mixed", alice, [(bob, 0), (carol, 0)], total, Author, Mentioned, Deleted);

        await using var scope = server.Services.CreateAsyncScope();
        var reads = scope.ServiceProvider.GetRequiredService<ReadState>();
        await reads.MarkReadAsync(room.Id, bob.Id, 17);
        await reads.MarkReadAsync(room.Id, carol.Id, 41);
        var members = await reads.MembersAsync(room.Id);
        Assert.Equal(3, members.Count);
        foreach (var person in people)
        {
            var expected = CountedByHand(total, person == alice ? 0 : person == bob ? 17 : 41, person, Author, Mentioned, Deleted);
            Assert.Equal(expected, await reads.ForRoomAsync(room.Id, person.Id));
            var member = members.Single(m => m.UserId == person.Id);
            Assert.Equal(expected, new UnreadCount(member.Count, member.Mentions));
        }
    }

    [Fact]
    public async Task In_a_room_longer_than_the_window_members_behind_it_and_within_it_are_each_counted_exactly()
    {
        var alice = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var carol = await server.SignUpAsync();
        var dave = await server.SignUpAsync();
        var authors = new[] { alice, bob, carol };
        var total = UnreadRule.CountWindow + 60;
        long windowStart = total - UnreadRule.CountWindow;
        var readUpTo = new Dictionary<TestUser, long> { [alice] = 0, [bob] = 17, [carol] = windowStart, [dave] = total - 30 };
        TestUser Author(int seq) => authors[seq % 3];
        string? Mentioned(int seq) => seq % 4 == 0 ? $"{bob.Id} {dave.Id}" : seq % 5 == 0 ? alice.Id : null;
        static bool Deleted(int seq) => seq % 7 == 0;
        var room = await SeedRoomAsync("Long mixed", alice, [(bob, readUpTo[bob]), (carol, readUpTo[carol]), (dave, readUpTo[dave])], total, Author, Mentioned, Deleted);

        await using var scope = server.Services.CreateAsyncScope();
        var reads = scope.ServiceProvider.GetRequiredService<ReadState>();
        var members = await reads.MembersAsync(room.Id);
        Assert.Equal(4, members.Count);
        foreach (var (person, upTo) in readUpTo)
        {
            var expected = CountedByHand(total, upTo, person, Author, Mentioned, Deleted);
            var member = members.Single(m => m.UserId == person.Id);
            Assert.Equal(expected, new UnreadCount(member.Count, member.Mentions));
            Assert.Equal(expected, await reads.ForRoomAsync(room.Id, person.Id));
        }
        // the ones behind the window count all of it, the one within it only what is above their mark
        Assert.True(members.Single(m => m.UserId == dave.Id).Count < 30);
        Assert.True(members.Single(m => m.UserId == bob.Id).Count > 500);
    }

    [Fact]
    public async Task Read_marks_of_a_gathering_are_written_together_clamped_and_never_back()
    {
        var alice = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var carol = await server.SignUpAsync();
        var room = await server.WithDbAsync(async db =>
        {
            var created = await new RoomDirectory(db, TimeProvider.System).CreateOpenAsync("Marks " + Guid.NewGuid().ToString("N")[..6], alice.Id);
            foreach (var who in new[] { bob, carol })
                db.Memberships.Add(new Membership { RoomId = created.Id, UserId = who.Id, JoinedAt = DateTimeOffset.UtcNow, LastReadSeq = who == carol ? 8 : 0 });
            await db.SaveChangesAsync();
            await db.Rooms.Where(r => r.Id == created.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.LastSeq, 10));
            return created;
        });

        await using var scope = server.Services.CreateAsyncScope();
        var reads = scope.ServiceProvider.GetRequiredService<ReadState>();
        var moved = await reads.MarkReadAsync([(room, alice.Id, 4L), (room, bob.Id, 99L), (room, carol.Id, 5L)]);

        var positions = await server.WithDbAsync(db => db.Memberships.Where(m => m.RoomId == room.Id).ToDictionaryAsync(m => m.UserId, m => m.LastReadSeq));
        Assert.Equal(4, positions[alice.Id]);
        Assert.Equal(10, positions[bob.Id]); // clamped to the newest
        Assert.Equal(8, positions[carol.Id]); // never back
        Assert.Contains(moved, m => m.UserId == alice.Id);
        Assert.Contains(moved, m => m.UserId == bob.Id);
        Assert.DoesNotContain(moved, m => m.UserId == carol.Id);
    }

    [Fact]
    public async Task A_gathering_with_more_readers_than_one_statement_holds_moves_each_to_their_own_seq_and_returns_exactly_who_moved()
    {
        var alice = await server.SignUpAsync();
        var readers = IReadMarkRows.PerStatement + 37; // two statements in the big room
        var (big, small, ids) = await server.WithDbAsync(async db =>
        {
            var big = await new RoomDirectory(db, TimeProvider.System).CreateOpenAsync("Big " + Guid.NewGuid().ToString("N")[..6], alice.Id);
            var small = await new RoomDirectory(db, TimeProvider.System).CreateOpenAsync("Small " + Guid.NewGuid().ToString("N")[..6], alice.Id);
            var ids = new List<string>();
            for (var i = 0; i < readers; i++)
            {
                var user = new ChatUser { UserName = $"r{i}-{Guid.NewGuid():N}", DisplayName = $"Reader {i}" };
                db.Users.Add(user);
                ids.Add(user.Id);
                db.Memberships.Add(new Membership { RoomId = big.Id, UserId = user.Id, JoinedAt = DateTimeOffset.UtcNow, LastReadSeq = i % 3 == 0 ? 500 : 0 });
            }
            db.Memberships.Add(new Membership { RoomId = small.Id, UserId = ids[0], JoinedAt = DateTimeOffset.UtcNow, LastReadSeq = 0 });
            await db.SaveChangesAsync();
            await db.Rooms.Where(r => r.Id == big.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.LastSeq, 1000));
            await db.Rooms.Where(r => r.Id == small.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.LastSeq, 5));
            return (big, small, ids);
        });

        // Reader i reads up to 100 + i (every third already read to 500: those below it stay); reader 1
        // reports twice in the gathering (the furthest counts); reader 0 also reads the small room past its end.
        var marks = ids.Select((id, i) => (big, id, 100L + i)).Append((big, ids[1], 900L)).Append((small, ids[0], 99L)).ToList();
        await using var scope = server.Services.CreateAsyncScope();
        var moved = await scope.ServiceProvider.GetRequiredService<ReadState>().MarkReadAsync(marks);

        var positions = await server.WithDbAsync(db => db.Memberships.Where(m => m.RoomId == big.Id).ToDictionaryAsync(m => m.UserId, m => m.LastReadSeq));
        var expected = ids.Select((id, i) => (id, Seq: i == 1 ? 900L : i % 3 == 0 ? Math.Max(500L, 100 + i) : 100L + i)).ToList();
        Assert.All(expected, e => Assert.Equal(e.Seq, positions[e.id]));
        var movedInBig = ids.Where((id, i) => i % 3 != 0 || 100 + i > 500).ToHashSet();
        Assert.Equal(movedInBig.Order(), moved.Where(m => m.Room.Id == big.Id).Select(m => m.UserId).Order());
        Assert.Equal(5, await server.WithDbAsync(db => db.Memberships.Where(m => m.RoomId == small.Id && m.UserId == ids[0]).Select(m => m.LastReadSeq).SingleAsync())); // clamped
        Assert.Equal([ids[0]], moved.Where(m => m.Room.Id == small.Id).Select(m => m.UserId));
        Assert.Equal(moved.Count, moved.Distinct().Count());
    }

    public sealed class OnSqlite(ChatterServer server) : UnreadCountWindowTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : UnreadCountWindowTests(server), IClassFixture<PostgreSqlChatterServer>;
}
