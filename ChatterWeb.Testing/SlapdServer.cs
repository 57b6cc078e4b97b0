using System.Diagnostics;
using System.Net.Sockets;

namespace ChatterWeb.Testing;

/// <summary>
/// A real, private OpenLDAP server (Debian's <c>slapd</c>) for a test: its own configuration and
/// database in a temporary folder (never the system's), on a free loopback port, the suffix
/// <see cref="Suffix"/> with <c>ou=people</c> and <c>ou=groups</c>, a service account that may read,
/// and whatever entries the test adds (with <c>ldapadd</c>/<c>ldapdelete</c> from ldap-utils). Stopped by
/// its PID. ./test.sh installs slapd and ldap-utils.
/// </summary>
public sealed class SlapdServer : IAsyncDisposable
{
    public const string Suffix = "dc=chatter,dc=test";
    public const string People = "ou=people," + Suffix;
    public const string Groups = "ou=groups," + Suffix;
    public const string AdminDn = "cn=admin," + Suffix;
    public const string AdminPassword = "directory-manager-secret";
    public const string ServiceDn = "cn=chatter-service," + Suffix;
    public const string ServicePassword = "service-account-secret";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly string _dir = Directory.CreateTempSubdirectory("chatter-slapd-").FullName;
    private Process? _process;
    private readonly ProcessOutput _output = new();

    private SlapdServer() => Port = LoopbackPort.Free();

    public int Port { get; }
    public string Url => $"ldap://127.0.0.1:{Port}";
    public int? Pid => _process?.Id;
    public string Output => _output.Text;

    /// <summary>The settings that point ChatterWeb at this directory (configuration keys).</summary>
    public Dictionary<string, string?> AppSettings(string? adminGroupDn = null) => new()
    {
        ["Chatter:Auth:Ldap:Url"] = Url,
        ["Chatter:Auth:Ldap:BindDn"] = ServiceDn,
        ["Chatter:Auth:Ldap:BindPassword"] = ServicePassword,
        ["Chatter:Auth:Ldap:SearchBase"] = People,
        ["Chatter:Auth:Ldap:AdminGroupDn"] = adminGroupDn,
        ["Chatter:Auth:Ldap:Timeout"] = "00:00:03",
    };

    public static string Executable(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/sbin").Append("/usr/bin"))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new InvalidOperationException($"{name} is not installed: a real OpenLDAP server is needed (apt-get install slapd ldap-utils; ./test.sh does this).");
    }

    /// <summary>Writes the configuration, starts slapd, and loads the base entries and the service account.</summary>
    public static async Task<SlapdServer> StartAsync()
    {
        var server = new SlapdServer();
        try
        {
            await server.StartProcessAsync();
            await server.AddAsync($"""
                dn: {Suffix}
                objectClass: dcObject
                objectClass: organization
                dc: chatter
                o: ChatterWeb tests

                dn: {People}
                objectClass: organizationalUnit
                ou: people

                dn: {Groups}
                objectClass: organizationalUnit
                ou: groups

                dn: {ServiceDn}
                objectClass: organizationalRole
                objectClass: simpleSecurityObject
                cn: chatter-service
                userPassword: {ServicePassword}
                """);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    private async Task StartProcessAsync()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "data"));
        var config = Path.Combine(_dir, "slapd.conf");
        await File.WriteAllTextAsync(config, $"""
            include /etc/ldap/schema/core.schema
            include /etc/ldap/schema/cosine.schema
            include /etc/ldap/schema/inetorgperson.schema
            include /etc/ldap/schema/nis.schema
            allow bind_anon_dn
            pidfile {_dir}/slapd.pid
            argsfile {_dir}/slapd.args
            modulepath /usr/lib/ldap
            moduleload back_mdb
            database mdb
            maxsize 16777216
            suffix "{Suffix}"
            rootdn "{AdminDn}"
            rootpw {AdminPassword}
            directory {_dir}/data
            access to attrs=userPassword by anonymous auth by * none
            access to * by users read by * none
            """);
        // "allow bind_anon_dn": like the servers that answer a bind with a name and an empty password as
        // anonymous success (RFC 4513 5.1.2), so the tests see that the app never sends one.
        // -d 0: stay in the foreground (so the PID is slapd's own), log nothing but errors.
        var psi = new ProcessStartInfo(Executable("slapd"), ["-f", config, "-h", Url + "/", "-d", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start slapd");
        _output.Attach(_process);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"slapd exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) { }
            if (clock.Elapsed > StartTimeout)
                throw new TimeoutException($"slapd did not listen on {Port} within {StartTimeout.TotalSeconds:0} s:\n{Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>Adds entries (LDIF) as the directory's manager.</summary>
    public Task AddAsync(string ldif) => RunAsync("ldapadd", ldif);

    /// <summary>Changes entries (LDIF with changetype) as the directory's manager.</summary>
    public Task ModifyAsync(string ldif) => RunAsync("ldapmodify", ldif);

    /// <summary>Deletes an entry, as someone leaving the company is removed from the directory.</summary>
    public Task DeleteAsync(string dn) => RunAsync("ldapdelete", dn + "\n");

    /// <summary>A person under <see cref="People"/> (inetOrgPerson); no mail when <paramref name="mail"/> is null.</summary>
    public Task AddPersonAsync(string uid, string password, string? mail, string displayName)
    {
        var lines = new List<string>
        {
            $"dn: uid={uid},{People}", "objectClass: inetOrgPerson", $"uid: {uid}", $"cn: {displayName}",
            $"sn: {displayName.Split(' ')[^1]}", $"displayName: {displayName}", $"userPassword: {password}",
        };
        if (mail is not null)
            lines.Add($"mail: {mail}");
        return AddAsync(string.Join('\n', lines) + "\n");
    }

    /// <summary>A groupOfNames under <see cref="Groups"/> with these members (uids under people); returns its DN.</summary>
    public async Task<string> AddGroupAsync(string cn, params string[] memberUids)
    {
        var dn = $"cn={cn},{Groups}";
        await AddAsync($"dn: {dn}\nobjectClass: groupOfNames\ncn: {cn}\n" + string.Join("\n", memberUids.Select(u => $"member: uid={u},{People}")) + "\n");
        return dn;
    }

    private async Task RunAsync(string tool, string input)
    {
        var psi = new ProcessStartInfo(Executable(tool), ["-x", "-H", Url, "-D", AdminDn, "-w", AdminPassword])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {tool}");
        await process.StandardInput.WriteAsync(string.Join('\n', input.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimStart())));
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {await stderr}{await stdout}\n{input}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
            _process = null;
        }
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
