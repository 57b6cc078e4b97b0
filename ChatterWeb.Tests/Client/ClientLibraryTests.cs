using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;

namespace ChatterWeb.Tests.Client;

/// <summary>
/// libman.json declares the client libraries; the files under wwwroot/lib are committed so a build
/// needs no network. This proves the committed files are byte-for-byte the versions libman.json
/// names, by fetching those exact packages from the npm registry (npm pack).
/// </summary>
public class ClientLibraryTests
{
    [Fact]
    public async Task Committed_htmx_files_are_exactly_the_versions_libman_json_names()
    {
        var root = RepositoryRoot.Path;
        using var libman = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(root, "libman.json")));
        var libraries = libman.RootElement.GetProperty("libraries").EnumerateArray().ToList();
        Assert.Contains(libraries, l => l.GetProperty("library").GetString() == "htmx.org@2.0.11");
        Assert.Contains(libraries, l => l.GetProperty("library").GetString() == "htmx-ext-ws@2.0.4");

        var work = Directory.CreateTempSubdirectory("libman-check");
        try
        {
            foreach (var lib in libraries)
            {
                var spec = lib.GetProperty("library").GetString()!;
                var destination = Path.Combine(root, lib.GetProperty("destination").GetString()!);
                var package = await NpmPackAsync(spec, work.FullName);
                foreach (var file in lib.GetProperty("files").EnumerateArray().Select(f => f.GetString()!))
                {
                    var committed = Path.Combine(destination, file);
                    Assert.True(File.Exists(committed), $"{committed} is declared in libman.json but not committed");
                    Assert.True(package.TryGetValue(file, out var expected), $"{spec} has no {file}");
                    var actual = await File.ReadAllBytesAsync(committed);
                    Assert.True(expected.SequenceEqual(actual),
                        $"{committed} differs from {file} in {spec}");
                }
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<Dictionary<string, byte[]>> NpmPackAsync(string spec, string dir)
    {
        var psi = new ProcessStartInfo("npm", ["pack", spec, "--silent"]) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("npm is needed to check the committed client libraries (apt-get install npm)", e);
        }
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"npm pack {spec} failed: {error}");
        var tgz = Path.Combine(dir, output.Trim().Split('\n').Last().Trim());

        var files = new Dictionary<string, byte[]>();
        await using var gzip = new GZipStream(File.OpenRead(tgz), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null)
                continue;
            using var ms = new MemoryStream();
            await entry.DataStream.CopyToAsync(ms);
            files[entry.Name.StartsWith("package/", StringComparison.Ordinal) ? entry.Name["package/".Length..] : entry.Name] = ms.ToArray();
        }
        return files;
    }

    [Fact]
    public void The_layout_loads_the_committed_files()
    {
        var layout = File.ReadAllText(RepositoryRoot.PathOf("ChatterWeb/Shared/_Layout.cshtml"));
        Assert.Contains("~/lib/htmx.org/dist/htmx.min.js", layout);
        Assert.Contains("~/lib/htmx-ext-ws/dist/ws.min.js", layout);
    }
}
