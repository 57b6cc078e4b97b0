using System.Diagnostics;
using System.Net.Sockets;
using ChatterWeb.Testing;
using MimeKit;

namespace ChatterWeb.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on a free loopback port: Debian's aiosmtpd (<c>python3-aiosmtpd</c>, which
/// ./test.sh installs) with its Maildir handler, so every mail it accepts is a file the tests read back
/// with MimeKit. Started by the constructor (it must run before the app that is configured with it),
/// stopped by its process id on dispose.
/// </summary>
public sealed class SmtpServer : IDisposable
{
    /// <summary>Debian's interpreter, where the package installs the module (another python3 on the PATH may not have it).</summary>
    public const string Python = "/usr/bin/python3";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("chatter-smtp");
    private readonly Process _process;
    private readonly List<string> _output = [];

    public SmtpServer()
    {
        Port = LoopbackPort.Free();
        var psi = new ProcessStartInfo(Python, ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", MaildirPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start aiosmtpd");
        _process.OutputDataReceived += (_, e) => { lock (_output) if (e.Data is not null) _output.Add(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) if (e.Data is not null) _output.Add(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"aiosmtpd exited with {_process.ExitCode} (is python3-aiosmtpd installed? ./test.sh installs it):\n{Output}");
            try
            {
                using var tcp = new TcpClient();
                tcp.Connect("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (clock.Elapsed < StartTimeout)
            {
                Thread.Sleep(50);
            }
        }
    }

    public int Port { get; }
    public string MaildirPath => Path.Combine(_dir.FullName, "maildir");
    public string Output { get { lock (_output) return string.Join('\n', _output); } }

    /// <summary>The app's settings for this server (plain SMTP, no authentication).</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings(string from = "ChatterWeb <chat@example.test>") =>
    [
        new("Chatter:Mail:Host", "127.0.0.1"),
        new("Chatter:Mail:Port", Port.ToString()),
        new("Chatter:Mail:Security", "None"),
        new("Chatter:Mail:From", from),
    ];

    /// <summary>Every mail received so far.</summary>
    public IReadOnlyList<MimeMessage> Received()
    {
        var found = new List<MimeMessage>();
        foreach (var sub in new[] { "new", "cur" })
        {
            var dir = Path.Combine(MaildirPath, sub);
            if (!Directory.Exists(dir))
                continue;
            foreach (var file in Directory.GetFiles(dir).OrderBy(ArrivalKey))
            {
                try
                {
                    found.Add(MimeMessage.Load(file));
                }
                catch (IOException)
                {
                    // being moved into place right now: the next look sees it
                }
            }
        }
        return found;
    }

    /// <summary>
    /// The order mails arrived in, from Python's Maildir file name ("{seconds}.M{microseconds}P{pid}Q{count}.{host}"):
    /// numbers, since the microseconds are not zero-padded and would sort wrongly as text within a second.
    /// </summary>
    private static (long Seconds, long Micros, string Name) ArrivalKey(string file)
    {
        var name = Path.GetFileName(file);
        var m = System.Text.RegularExpressions.Regex.Match(name, @"^(\d+)\.M(\d+)");
        return m.Success ? (long.Parse(m.Groups[1].Value), long.Parse(m.Groups[2].Value), name) : (long.MaxValue, 0, name);
    }

    /// <summary>Mails to <paramref name="address"/> received so far.</summary>
    public IReadOnlyList<MimeMessage> To(string address) =>
        [.. Received().Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>Waits for the <paramref name="count"/>th mail to <paramref name="address"/> whose subject contains <paramref name="subject"/>.</summary>
    public Task<MimeMessage> WaitForAsync(string address, string subject, int count = 1, TimeSpan? timeout = null) =>
        PollAsync(address, subject, mails => mails.Count >= count ? mails[count - 1] : null, $"#{count}", timeout);

    /// <summary>
    /// Waits for the first mail to <paramref name="address"/> with <paramref name="subject"/> that is
    /// <paramref name="matching"/>: a mail is sent at least once (a send retried after an answer that
    /// never came can arrive twice), so "the next one" is the one that differs, not the second to arrive.
    /// </summary>
    public Task<MimeMessage> WaitForAsync(string address, string subject, Func<MimeMessage, bool> matching, TimeSpan? timeout = null) =>
        PollAsync(address, subject, mails => mails.FirstOrDefault(matching), "the one asked for", timeout);

    /// <summary>Reads the maildir every 50 ms until <paramref name="pick"/> finds the mail among those with the subject, in arrival order.</summary>
    private async Task<MimeMessage> PollAsync(string address, string subject, Func<List<MimeMessage>, MimeMessage?> pick, string which, TimeSpan? timeout)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (pick(To(address).Where(m => (m.Subject ?? "").Contains(subject, StringComparison.Ordinal)).ToList()) is { } found)
                return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no mail \"{subject}\" ({which}) to {address}; received: {string.Join("; ", Received().Select(m => $"{m.To} {m.Subject}"))}\n{Output}");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { _dir.Delete(recursive: true); } catch (IOException) { }
    }
}
