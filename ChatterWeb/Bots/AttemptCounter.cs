using System.Runtime.CompilerServices;

namespace ChatterWeb.Bots;

/// <summary>
/// Counts the attempts of one call for its log line: it sits inside the resilience handler, so it
/// sees every retry, and adds one to the counter the request carries (<see cref="Key"/>).
/// </summary>
public sealed class AttemptCounter : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<StrongBox<int>> Key = new("ChatterWeb.Bots.Attempts");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(Key, out var attempts))
            Interlocked.Increment(ref attempts.Value);
        return base.SendAsync(request, cancellationToken);
    }
}
