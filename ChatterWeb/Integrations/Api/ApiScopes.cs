namespace ChatterWeb.Integrations.Api;

/// <summary>What a token may do: <see cref="Read"/> (rooms and messages the account may read), <see cref="Post"/> (post, edit and delete its own messages).</summary>
public static class ApiScopes
{
    public const string Read = "read";
    public const string Post = "post";
    public const string ClaimType = "scope";

    public static readonly string[] All = [Read, Post];

    /// <summary>The scopes as stored ("read post"), known ones only, in a fixed order; empty when none is known.</summary>
    public static string Normalize(IEnumerable<string?> scopes)
    {
        var wanted = scopes.Where(s => s is not null).Select(s => s!.Trim().ToLowerInvariant()).ToHashSet();
        return string.Join(' ', All.Where(wanted.Contains));
    }
}
