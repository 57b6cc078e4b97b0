using System.ComponentModel.DataAnnotations;

namespace ChatterWeb.Integrations;

/// <summary>Bound from <c>Chatter:Integrations</c>.</summary>
public sealed class IntegrationsOptions
{
    public const string Section = "Chatter:Integrations";

    /// <summary>Posts one incoming webhook may make at once before it is slowed (a token bucket's size).</summary>
    [Range(1, 100_000)]
    public int HookBurst { get; set; } = 20;

    /// <summary>Posts one incoming webhook may make per minute after its burst (the bucket's refill); then 429 with Retry-After.</summary>
    [Range(1, 1_000_000)]
    public int HookPostsPerMinute { get; set; } = 60;

    /// <summary>Largest webhook body; a bigger one gets 413 before it is parsed.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxHookBodyBytes { get; set; } = 256 * 1024;
}
