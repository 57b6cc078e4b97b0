namespace ChatterWeb.Messages;

/// <summary>
/// Formats one message of every kind in the background at start-up, so the first formatted message
/// a person sends does not pay for loading and compiling Markdig, the sanitizer and its HTML parser
/// (seconds on a busy machine, and the sender's acknowledgement waits for the render).
/// </summary>
internal sealed partial class FormattingWarmUp(ILogger<FormattingWarmUp> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(() =>
        {
            try
            {
                Formatting.Format("**warm** _up_ `code` https://example.com/x\n> quote\n- item\n```\nblock\n```");
            }
            catch (Exception e)
            {
                LogWarmUpFailed(e);
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warming up the message formatter failed")]
    private partial void LogWarmUpFailed(Exception e);
}
