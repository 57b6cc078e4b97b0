namespace ChatterWeb.Testing;

/// <summary>How to start an <see cref="AppProcess"/>. Every property has a default: <c>new()</c> is ChatterWeb as the tests run it.</summary>
public sealed record AppProcessOptions
{
    public const string ChatterWeb = "ChatterWeb";

    /// <summary>
    /// The project whose built assembly runs. ChatterWeb gets its test settings (environment Testing, its
    /// database and attachments in <see cref="DataDirectory"/>, quiet logs, a sign-in budget every test
    /// user fits in); another project (the bench's raw Kestrel peer) gets only its URL and <see cref="Settings"/>.
    /// </summary>
    public string Project { get; init; } = ChatterWeb;

    /// <summary>The repository whose build runs; default: the one above the running binaries.</summary>
    public string? Root { get; init; }

    /// <summary>Debug or Release; default: the running binaries' own.</summary>
    public string? Configuration { get; init; }

    /// <summary>The loopback port; default: a free one. Give the same port to start it again at the same address.</summary>
    public int? Port { get; init; }

    /// <summary>
    /// The folder of its database (<c>chatter.db</c>) and attachments, shared by several instances or
    /// restarts and left to the caller. Default: a private temporary folder, deleted when the process is disposed.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>Environment variables for the process, applied last (configuration keys with <c>__</c>); a null value removes one it would inherit.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>What must answer with a success code before the process counts as started: <c>/healthz</c> (live), or <c>/readyz</c> (ready for traffic).</summary>
    public string ReadyPath { get; init; } = "/healthz";

    /// <summary>How often <see cref="ReadyPath"/> is asked while the process starts.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long <see cref="ReadyPath"/> may take to answer.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// On dispose, how long the process has to exit after SIGTERM (sockets get 1012) before it is killed.
    /// Zero (the default): killed at once, like a crash.
    /// </summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.Zero;
}
