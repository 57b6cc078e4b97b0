using Microsoft.Extensions.Caching.Memory;

namespace ChatterWeb.Accounts.SignIn;

/// <summary>
/// Slows password guessing without handing anyone a lock on someone else's account. Two counts of
/// failed sign-ins, both keyed by the name as typed (so an unknown account is throttled exactly like a
/// real one, and the answers tell nothing):
/// <list type="bullet">
/// <item>per source and account (a source is a browser that signed in to that account before, else the
///   client's address): <see cref="FreeFailures"/> free, then each attempt waits twice as long as the last
///   (<see cref="FirstDelay"/>, 30 s, 1 min … at most <see cref="MaxDelay"/>) until a success or
///   <see cref="Forget"/> of quiet;</item>
/// <item>per account from browsers it has never been signed in from: after <see cref="AccountFailures"/>
///   within <see cref="Forget"/>, they wait until the failures age out. A browser the account signed in
///   from before (<see cref="KnownBrowsers"/>) is not held by this one, so the owner's right password
///   from their own browser still passes while strangers guess.</item>
/// </list>
/// A throttled attempt is not checked at all. The counts live in this instance's memory (bounded;
/// with several instances each keeps its own, so a guesser gets a budget per instance).
/// </summary>
public sealed class SignInThrottle(TimeProvider time) : IDisposable
{
    public const int FreeFailures = 5;
    public const int AccountFailures = 20;
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan Forget = TimeSpan.FromMinutes(15);

    private readonly MemoryCache _counts = new(new MemoryCacheOptions { SizeLimit = 200_000 });

    private sealed class Count
    {
        public int Failures;
        public DateTimeOffset Last;
    }

    /// <summary>The account part of a key: the typed name, trimmed and upper-cased.</summary>
    public static string AccountKey(string typed) => typed.Trim().ToUpperInvariant();

    /// <summary>How long this attempt must wait (null: it may go ahead).</summary>
    public TimeSpan? WaitBefore(string source, string account, bool knownBrowser)
    {
        var now = time.GetUtcNow();
        TimeSpan? wait = null;
        if (Read("s|" + source + "|" + account) is { } mine && mine.Failures >= FreeFailures)
        {
            var delay = TimeSpan.FromSeconds(Math.Min(MaxDelay.TotalSeconds, FirstDelay.TotalSeconds * Math.Pow(2, mine.Failures - FreeFailures)));
            if (mine.Last + delay > now)
                wait = mine.Last + delay - now;
        }
        if (!knownBrowser && Read("a|" + account) is { } all && all.Failures >= AccountFailures && all.Last + Forget > now)
            wait = Max(wait, all.Last + Forget - now);
        return wait;
    }

    public void Failed(string source, string account, bool knownBrowser)
    {
        Add("s|" + source + "|" + account);
        if (!knownBrowser)
            Add("a|" + account);
    }

    /// <summary>The right password: this source starts afresh (the account-wide count stays; it ages out).</summary>
    public void Succeeded(string source, string account) => _counts.Remove("s|" + source + "|" + account);

    private Count? Read(string key) => _counts.TryGetValue(key, out Count? c) ? c : null;

    private void Add(string key)
    {
        var now = time.GetUtcNow();
        var c = _counts.GetOrCreate(key, e =>
        {
            e.Size = 1;
            e.SlidingExpiration = Forget;
            return new Count();
        })!;
        lock (c)
        {
            c.Failures++;
            c.Last = now;
        }
    }

    private static TimeSpan? Max(TimeSpan? a, TimeSpan b) => a is { } x && x > b ? x : b;

    public void Dispose() => _counts.Dispose();
}
