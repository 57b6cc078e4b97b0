namespace ChatterWeb.Testing;

/// <summary>The repository this code runs from (the folder holding ChatterWeb.sln), its files and its projects' builds.</summary>
public static class RepositoryRoot
{
    private const string Marker = "ChatterWeb.sln";
    private static readonly Lazy<string> Found = new(() => Find(AppContext.BaseDirectory));

    /// <summary>The root above the running binaries (a test project's or the bench's bin folder).</summary>
    public static string Path => Found.Value;

    /// <summary>The running binaries' build configuration (bin/Debug or bin/Release): the other projects' builds are looked for in the same one.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{System.IO.Path.DirectorySeparatorChar}Release{System.IO.Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    /// <summary>The first folder holding ChatterWeb.sln at or above one of <paramref name="startingPoints"/>, tried in order.</summary>
    public static string Find(params string[] startingPoints)
    {
        foreach (var start in startingPoints)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, Marker)))
                    return dir.FullName;
            }
        }
        throw new InvalidOperationException($"{Marker} not found above {string.Join(" or ", startingPoints)}");
    }

    /// <summary>An absolute path from a repository-relative one written with '/'.</summary>
    public static string PathOf(string relative) => System.IO.Path.Combine([Path, .. relative.Split('/')]);

    /// <summary>A repository file's text; a clear failure when it does not exist.</summary>
    public static string Read(string relative)
    {
        var path = PathOf(relative);
        return File.Exists(path) ? File.ReadAllText(path) : throw new FileNotFoundException($"{relative} is missing at the repository root ({Path})", path);
    }

    /// <summary>
    /// Where a project's build puts its assembly, <c>{root}/{project}/bin/{configuration}/net10.0/{project}.dll</c>,
    /// built or not (<paramref name="configuration"/> and <paramref name="root"/> default to the running binaries').
    /// </summary>
    public static string AssemblyPath(string project, string? configuration = null, string? root = null) =>
        System.IO.Path.Combine(root ?? Path, project, "bin", configuration ?? Configuration, "net10.0", project + ".dll");

    /// <summary>A project's built assembly (see <see cref="AssemblyPath"/>); a clear failure when it is not built.</summary>
    public static string BuiltAssembly(string project, string? configuration = null, string? root = null)
    {
        var dll = AssemblyPath(project, configuration, root);
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build the solution first (./test.sh does)");
    }
}
