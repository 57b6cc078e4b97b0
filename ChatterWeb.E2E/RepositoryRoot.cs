namespace ChatterWeb.E2E;

/// <summary>The folder holding ChatterWeb.sln, found upwards from the test binaries.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ChatterWeb.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"ChatterWeb.sln not found above {AppContext.BaseDirectory}.");
    }
}
