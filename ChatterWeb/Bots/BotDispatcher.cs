using ChatterWeb.Messages;

namespace ChatterWeb.Bots;

/// <summary>
/// Reads <see cref="BotQueue"/> in the background: for each message, the bots that are members of its
/// room (one query), those it calls (an @mention of the bot, or one of its commands at the start), and
/// a call per bot (<see cref="BotCaller"/>), at most <see cref="BotOptions.BotConcurrency"/> in flight,
/// so one slow bot delays neither the poster nor the other bots.
/// </summary>
public sealed partial class BotDispatcher(BotQueue queue, BotCaller caller, IServiceScopeFactory scopes,
    Microsoft.Extensions.Options.IOptions<BotOptions> options, ILogger<BotDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var slots = new SemaphoreSlim(options.Value.BotConcurrency); // not disposed: calls still running at shutdown release it
        var running = new HashSet<Task>();
        try
        {
            await foreach (var trigger in queue.Reader.ReadAllAsync(stoppingToken))
            {
                List<BotTarget> bots;
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    bots = await scope.ServiceProvider.GetRequiredService<BotDirectory>().InRoomAsync(trigger.Room.Id, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogLookupFailed(e, trigger.Room.Id, trigger.Message.Seq);
                    continue;
                }
                foreach (var bot in bots)
                {
                    if (!Calls(bot, trigger.Message, out var command))
                        continue;
                    await slots.WaitAsync(stoppingToken);
                    var call = Task.Run(async () =>
                    {
                        try
                        {
                            await caller.CallAsync(bot, command, trigger, stoppingToken);
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            LogCallFailed(e, bot.BotId);
                        }
                        finally
                        {
                            slots.Release();
                        }
                    }, CancellationToken.None);
                    lock (running)
                        running.Add(call);
                    _ = call.ContinueWith(t => { lock (running) running.Remove(t); }, TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        Task[] left;
        lock (running)
            left = [.. running];
        await Task.WhenAll(left).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>Whether <paramref name="message"/> calls <paramref name="bot"/>: a command at its start (<paramref name="command"/>), or a mention of it.</summary>
    public static bool Calls(BotTarget bot, MessageView message, out string? command)
    {
        command = BotCommands.Match(bot.Commands, message.Body);
        return command is not null || Mentions.Includes(message.Mentions, bot.UserId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not find the bots of room {RoomId} for message {Seq}")]
    private partial void LogLookupFailed(Exception e, long roomId, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The call of bot {BotId} failed")]
    private partial void LogCallFailed(Exception e, long botId);
}
