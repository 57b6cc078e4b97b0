using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Deployment;

/// <summary>
/// The Dockerfile's essentials, read as text (no Docker here): SDK build stage, ASP.NET runtime
/// stage with only the published app, a non-root user, and a health check that really works
/// (it is run against a live server).
/// </summary>
public class DockerfileTests(ChatterServer server) : IClassFixture<ChatterServer>
{
    public sealed record Instruction(string Keyword, string Arguments);

    /// <summary>Instructions in order, continuation lines joined, comments and parser directives dropped.</summary>
    public static List<Instruction> Parse(string dockerfile)
    {
        var result = new List<Instruction>();
        var current = new StringBuilder();
        foreach (var raw in dockerfile.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            if (current.Length == 0 && (line.TrimStart().StartsWith('#') || line.Trim().Length == 0))
                continue;
            if (line.EndsWith('\\'))
            {
                current.Append(line[..^1]).Append(' ');
                continue;
            }
            current.Append(line);
            var text = current.ToString().Trim();
            current.Clear();
            var space = text.IndexOf(' ');
            result.Add(new Instruction(text[..space].ToUpperInvariant(), text[(space + 1)..].Trim()));
        }
        return result;
    }

    private static List<Instruction> Instructions => Parse(RepositoryRoot.Read("Dockerfile"));

    /// <summary>The instructions after the last FROM.</summary>
    private static List<Instruction> FinalStage
    {
        get
        {
            var all = Instructions;
            return all.Skip(all.FindLastIndex(i => i.Keyword == "FROM") + 1).ToList();
        }
    }

    private static List<Instruction> BuildStage
    {
        get
        {
            var all = Instructions;
            return all.Take(all.FindLastIndex(i => i.Keyword == "FROM")).ToList();
        }
    }

    [Fact]
    public void It_builds_on_the_SDK_image_and_runs_on_the_ASP_NET_runtime_image()
    {
        var froms = Instructions.Where(i => i.Keyword == "FROM").Select(i => i.Arguments).ToList();
        Assert.Equal(2, froms.Count);
        Assert.Matches(@"^mcr\.microsoft\.com/dotnet/sdk:10\.0 AS build$", froms[0]);
        Assert.Matches(@"^mcr\.microsoft\.com/dotnet/aspnet:10\.0( AS \w+)?$", froms[1]);
    }

    [Fact]
    public void Restore_runs_on_the_project_file_and_build_settings_before_the_sources_are_copied()
    {
        var build = BuildStage;
        var restore = build.FindIndex(i => i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet restore ChatterWeb/ChatterWeb.csproj", StringComparison.Ordinal));
        var sources = build.FindIndex(i => i.Keyword == "COPY" && i.Arguments == "ChatterWeb/ ChatterWeb/");
        Assert.True(restore >= 0, "no `RUN dotnet restore ChatterWeb/ChatterWeb.csproj`");
        Assert.True(sources > restore, "the sources must be copied after the restore, or every code change re-downloads the packages");

        var copiedBeforeRestore = build.Take(restore).Where(i => i.Keyword == "COPY")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1)).ToHashSet();
        Assert.Contains("ChatterWeb/ChatterWeb.csproj", copiedBeforeRestore);
        // Every file at the root that changes how the project restores or builds goes in with it.
        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "NuGet.config", "nuget.config", ".editorconfig" })
        {
            if (File.Exists(RepositoryRoot.PathOf(file)))
                Assert.True(copiedBeforeRestore.Contains(file), $"{file} exists at the repository root but is not copied before `dotnet restore`");
        }
    }

    [Fact]
    public void Only_ChatterWeb_is_published_from_the_restored_project()
    {
        var publishes = BuildStage.Where(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish")).ToList();
        var publish = Assert.Single(publishes).Arguments;
        Assert.StartsWith("dotnet publish ChatterWeb/ChatterWeb.csproj ", publish);
        Assert.Contains("--no-restore", publish);
        Assert.Matches(@"-c Release\b", publish);
    }

    [Fact]
    public void The_runtime_stage_holds_only_the_published_app_and_runs_as_a_non_root_user()
    {
        var final = FinalStage;
        Assert.DoesNotContain(final, i => i.Keyword == "ADD");
        Assert.All(final.Where(i => i.Keyword == "COPY"), i => Assert.StartsWith("--from=build ", i.Arguments));

        var users = final.Select((i, n) => (i, n)).Where(x => x.i.Keyword == "USER").ToList();
        Assert.NotEmpty(users);
        var user = users[^1].i.Arguments.Split(':')[0].Trim();
        Assert.DoesNotContain(user, new[] { "root", "0" });
        Assert.Equal("$APP_UID", user); // the aspnet image's own non-root 'app' user
        var entrypoint = final.FindIndex(i => i.Keyword == "ENTRYPOINT");
        Assert.True(users[^1].n < entrypoint, "USER must come before ENTRYPOINT");
        Assert.Equal("[\"dotnet\", \"ChatterWeb.dll\"]", final[entrypoint].Arguments);
    }

    [Fact]
    public void The_runtime_stage_listens_on_8080_and_keeps_SQLite_data_in_a_volume()
    {
        var final = FinalStage;
        Assert.Contains(final, i => i.Keyword == "ENV" && i.Arguments == "ASPNETCORE_HTTP_PORTS=8080");
        Assert.Contains(final, i => i.Keyword == "EXPOSE" && i.Arguments == "8080");
        // appsettings.json's default connection is data/chatter.db under the content root, /app.
        Assert.Contains(final, i => i.Keyword == "WORKDIR" && i.Arguments == "/app");
        Assert.Contains(final, i => i.Keyword == "VOLUME" && i.Arguments == "/app/data");
        Assert.Contains("Data Source=data/chatter.db", RepositoryRoot.Read("ChatterWeb/appsettings.json"));
    }

    [Fact]
    public void The_runtime_stage_installs_the_OpenLDAP_client_library_before_dropping_root()
    {
        var final = FinalStage;
        var install = final.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("apt-get install", StringComparison.Ordinal)
                                            && i.Arguments.Contains("libldap", StringComparison.Ordinal));
        Assert.True(install >= 0, "the runtime stage must install libldap: LDAP sign-in (System.DirectoryServices.Protocols) loads it");
        Assert.Contains("--no-install-recommends", final[install].Arguments);
        Assert.Contains("rm -rf /var/lib/apt/lists", final[install].Arguments);
        Assert.True(install < final.FindLastIndex(i => i.Keyword == "USER"), "apt-get needs root: install before USER");
    }

    private static string[] HealthCheckCommand()
    {
        var check = Assert.Single(FinalStage, i => i.Keyword == "HEALTHCHECK").Arguments;
        var cmd = Regex.Match(check, @"\bCMD (\[.*\])$");
        Assert.True(cmd.Success, "HEALTHCHECK should use the exec form: CMD [\"bash\", \"-c\", \"...\"]");
        var argv = JsonSerializer.Deserialize<string[]>(cmd.Groups[1].Value)!;
        Assert.Equal("bash", argv[0]); // the runtime image has bash, and no curl or wget
        Assert.Contains("/healthz", argv[^1]);
        return argv;
    }

    private static async Task<int> RunHealthCheckAsync(int port)
    {
        var argv = HealthCheckCommand();
        var psi = new ProcessStartInfo(argv[0], argv[1..]) { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.Environment["ASPNETCORE_HTTP_PORTS"] = $"{port};{port + 1}"; // a list: the probe takes the first
        using var process = Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)); // Docker's --timeout, generously
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    [Fact]
    public async Task The_health_check_passes_against_a_running_app()
    {
        Assert.Equal(0, await RunHealthCheckAsync(server.BaseUri.Port));
    }

    [Fact]
    public async Task The_health_check_fails_when_nothing_listens_or_the_answer_is_not_200()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var closedPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        Assert.NotEqual(0, await RunHealthCheckAsync(closedPort));

        using var unhealthy = new TcpListener(IPAddress.Loopback, 0);
        unhealthy.Start();
        var answer = Task.Run(async () =>
        {
            using var client = await unhealthy.AcceptTcpClientAsync();
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, leaveOpen: true);
            while (await reader.ReadLineAsync() is { Length: > 0 }) { } // the request, up to its blank line
            await stream.WriteAsync("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 9\r\nConnection: close\r\n\r\nUnhealthy"u8.ToArray());
        });
        Assert.NotEqual(0, await RunHealthCheckAsync(((IPEndPoint)unhealthy.LocalEndpoint).Port));
        await answer;
    }

    [Fact]
    public void The_build_context_leaves_out_build_output_tests_and_git()
    {
        var ignored = RepositoryRoot.Read(".dockerignore").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet();
        foreach (var entry in new[] { "**/bin/", "**/obj/", ".git/", "ChatterWeb.Tests/" })
            Assert.Contains(entry, ignored);
        // ...but not what the Dockerfile copies.
        foreach (var needed in new[] { "ChatterWeb/", "global.json", "Directory.Build.props", "Directory.Packages.props" })
            Assert.DoesNotContain(needed, ignored);
    }
}
