using ChatterWeb.Data;
using ChatterWeb.Notifications;
using ChatterWeb.Rooms;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.People;

/// <summary>
/// Unread counts read at most the newest <see cref="ReadState.CountWindow"/> messages of a room, so
/// someone far behind in a long room costs a bounded seek, not a count of the whole history.
/// </summary>
public class UnreadCountWindowTests(ChatterServer server) : IClassFixture<ChatterServer>
{
    [Fact]
    public async Task Someone_far_behind_is_counted_up_to_the_window_and_shown_99_plus()
    {
        var alice = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var total = ReadState.CountWindow + 150;
        var room = await server.WithDbAsync(async db =>
        {
            var created = await new RoomDirectory(db, TimeProvider.System).CreateOpenAsync("Long " + Guid.NewGuid().ToString("N")[..6], alice.Id);
            db.Memberships.Add(new Membership { RoomId = created.Id, UserId = bob.Id, JoinedAt = DateTimeOffset.UtcNow, LastReadSeq = 0 });
            for (var seq = 1; seq <= total; seq++)
            {
                db.Messages.Add(new Message
                {
                    RoomId = created.Id, Seq = seq, AuthorId = alice.Id, Body = $"m{seq}", ClientMessageId = Guid.NewGuid().ToString(),
                    CreatedAt = DateTimeOffset.UtcNow, Mentions = seq % 2 == 0 ? bob.Id : null,
                });
            }
            await db.SaveChangesAsync();
            await db.Rooms.Where(r => r.Id == created.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.LastSeq, total));
            return created;
        });

        await using var scope = server.Services.CreateAsyncScope();
        var reads = scope.ServiceProvider.GetRequiredService<ReadState>();
        var unread = await reads.ForRoomAsync(room.Id, bob.Id);
        Assert.Equal(new UnreadCount(ReadState.CountWindow, ReadState.CountWindow / 2), unread);
        Assert.Equal(unread, (await reads.ForUserAsync(bob.Id))[room.Id]);
        Assert.Equal(unread.Count, (await reads.MembersAsync(room.Id)).Single(m => m.UserId == bob.Id).Count);

        // within the window the count is exact
        await reads.MarkReadAsync(room.Id, bob.Id, total - 7);
        Assert.Equal(new UnreadCount(7, 4), await reads.ForRoomAsync(room.Id, bob.Id)); // 1144..1150, the even ones mention Bob

        using var sw = new StringWriter();
        UnreadMarkup.WriteBadge(sw, room.Id, new UnreadCount(ReadState.CountWindow, 0));
        Assert.Contains(">99+<", sw.ToString());
    }
}
