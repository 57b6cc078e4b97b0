using ChatterWeb.Reactions;
using ChatterWeb.Tests.Delivery;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Reactions;

/// <summary>Reactions share the person's bucket with posting: a burst passes, a flood is told to slow down.</summary>
public class ReactionLimitTests(TightLimitsServer server) : IClassFixture<TightLimitsServer>
{
    [Fact]
    public async Task Reactions_are_rate_limited_like_posts()
    {
        var alice = await server.SignUpAsync();
        await using var a = await alice.JoinAsync("general");
        var id = Guid.NewGuid().ToString();
        await a.SendMessageAsync("limit me", id); // one of the five
        await a.WaitForAsync(f => f.Contains($"data-ack=\"{id}\""));
        var seq = await server.WithDbAsync(db => db.Messages.Where(m => m.ClientMessageId == id).Select(m => m.Seq).SingleAsync());

        for (var i = 0; i < 6; i++)
            await a.SendJsonAsync(new { type = "reaction", seq, emoji = "👍", action = i % 2 == 0 ? "add" : "remove" });
        await a.WaitForAsync(f => f.Contains("composer-status error") && f.Contains(ReactionHandler.TooFastError[..20]));
        // told, not closed: a person clicking too fast is not a flood
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, a.State);
    }
}
