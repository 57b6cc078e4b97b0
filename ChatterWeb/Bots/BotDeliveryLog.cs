using ChatterWeb.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Bots;

/// <summary>Writes a line of a bot's delivery log and keeps only its newest <see cref="BotDelivery.KeptPerBot"/>.</summary>
public sealed class BotDeliveryLog(ChatterDbContext db)
{
    public async Task WriteAsync(BotDelivery line, CancellationToken ct = default)
    {
        if (line.Detail is { Length: > BotDelivery.DetailMaxLength } long_)
            line.Detail = long_[..(BotDelivery.DetailMaxLength - 1)] + "…";
        db.BotDeliveries.Add(line);
        await db.SaveChangesAsync(ct);
        var oldestKept = await db.BotDeliveries.Where(d => d.BotId == line.BotId).OrderByDescending(d => d.Id)
            .Skip(BotDelivery.KeptPerBot - 1).Select(d => (long?)d.Id).FirstOrDefaultAsync(ct);
        if (oldestKept is { } keep)
            await db.BotDeliveries.Where(d => d.BotId == line.BotId && d.Id < keep).ExecuteDeleteAsync(ct);
    }
}
