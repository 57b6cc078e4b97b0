using ChatterWeb.Data;
using ChatterWeb.Pins;
using ChatterWeb.Tests.Delivery;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Pins;

/// <summary>Pins share the person's bucket with posting and reactions: a burst passes, a flood is told to slow down.</summary>
public class PinLimitTests(TightLimitsServer server) : IClassFixture<TightLimitsServer>
{
    [Fact]
    public async Task Pins_are_rate_limited_like_posts()
    {
        var alice = await server.SignUpAsync();
        var slug = (await server.WithDbAsync(db => new ChatterWeb.Rooms.RoomDirectory(db, TimeProvider.System).CreateAsync("Pin limit " + Guid.NewGuid().ToString("N")[..6], alice.Id, RoomKind.Open))).Slug;
        await using var a = await alice.JoinAsync(slug);
        var id = Guid.NewGuid().ToString();
        await a.SendMessageAsync("limit my pins", id); // one of the five
        await a.WaitForAsync(f => f.Contains($"data-ack=\"{id}\""));
        var seq = await server.WithDbAsync(db => db.Messages.Where(m => m.ClientMessageId == id).Select(m => m.Seq).SingleAsync());

        for (var i = 0; i < 6; i++)
            await a.SendJsonAsync(new { type = "pin", seq, action = i % 2 == 0 ? "pin" : "unpin" });
        await a.WaitForAsync(f => f.Contains("composer-status error") && f.Contains(PinMessage.TooFastError[..20]));
        // told, not closed: a person clicking too fast is not a flood
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, a.State);
    }
}
