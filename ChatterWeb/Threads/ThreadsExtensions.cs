using ChatterWeb.Messages;

namespace ChatterWeb.Threads;

public static class ThreadsExtensions
{
    /// <summary>
    /// The thread's own URL, a second route of the room page (which shows the thread beside the room).
    /// Added with the other Razor Pages conventions in <c>AddChatterWeb</c>: a convention configured
    /// from here, before <c>AddRazorPages</c>, never reached the page's routes.
    /// </summary>
    public const string ThreadRoute = "rooms/{slug}/@{thread:long}/thread";

    /// <summary>Threads: the summary on a thread's first message, kept by a listener and its worker. Replies themselves are messages (Messages).</summary>
    public static WebApplicationBuilder AddChatterThreads(this WebApplicationBuilder builder)
    {
        builder.Services.AddMessageListener<ThreadSummaries>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ThreadSummaries>());
        return builder;
    }
}
