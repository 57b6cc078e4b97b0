namespace ChatterWeb.Tests.Infrastructure;

public static class ServiceScopes
{
    /// <summary>The services a scope has created so far (the DI container's own cache, read by reflection: test-only).</summary>
    public static IReadOnlyList<object> Resolved(IServiceProvider scope)
    {
        var resolved = scope.GetType().GetProperty("ResolvedServices", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!
            .GetValue(scope)!;
        lock (resolved)
            return ((System.Collections.IDictionary)resolved).Values.Cast<object>().ToList();
    }
}
