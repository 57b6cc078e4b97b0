using Microsoft.Extensions.Options;

namespace ChatterWeb.Attachments;

/// <summary>Runs <see cref="AttachmentSweeper"/> every <see cref="AttachmentOptions.SweepMinutes"/> (the first one after one interval).</summary>
public sealed partial class AttachmentSweepService(IServiceScopeFactory scopes, IOptions<AttachmentOptions> options, TimeProvider time, ILogger<AttachmentSweepService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.SweepMinutes == 0)
            return;
        var interval = TimeSpan.FromMinutes(options.Value.SweepMinutes);
        try
        {
            while (true)
            {
                await Task.Delay(interval, time, stoppingToken);
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<AttachmentSweeper>().SweepOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attachment sweep failed; the next one will try again")]
    private partial void LogFailed(Exception e);
}
