namespace ChatterWeb.Tests.Infrastructure;

/// <summary>Files of the repository the tests run from (found by walking up to ChatterWeb.sln).</summary>
public static class RepoFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ChatterWeb.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("ChatterWeb.sln not found above " + AppContext.BaseDirectory);
    });

    public static string RootDirectory => Root.Value;

    /// <summary>An absolute path from a repository-relative one written with '/'.</summary>
    public static string PathOf(string relative) => Path.Combine([Root.Value, .. relative.Split('/')]);

    /// <summary>The file's text; a clear failure when it does not exist.</summary>
    public static string Read(string relative)
    {
        var path = PathOf(relative);
        Assert.True(File.Exists(path), $"{relative} is missing at the repository root ({Root.Value})");
        return File.ReadAllText(path);
    }
}
