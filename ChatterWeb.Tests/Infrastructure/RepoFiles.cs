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

    /// <summary>The test assembly's own build configuration (bin/Debug or bin/Release): the other projects' builds are looked for in the same one.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    /// <summary>A project's built assembly (<c>{project}/bin/{Configuration}/net10.0/{project}.dll</c>); a clear failure when it is not built.</summary>
    public static string BuiltAssembly(string project)
    {
        var dll = Path.Combine(Root.Value, project, "bin", Configuration, "net10.0", project + ".dll");
        if (!File.Exists(dll))
            throw new InvalidOperationException($"{dll} is missing: build the solution first (./test.sh does)");
        return dll;
    }

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
