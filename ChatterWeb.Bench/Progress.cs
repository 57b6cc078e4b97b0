using System.Diagnostics;

namespace ChatterWeb.Bench;

/// <summary>
/// A status line on stderr for long phases: redrawn in place every second on a terminal, printed as
/// a plain line every five seconds when stderr is redirected (CI logs). Dispose prints the final state.
/// </summary>
public sealed class Progress : IDisposable
{
    private readonly string _label;
    private readonly Func<string> _status;
    private readonly Timer _timer;
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly bool _inPlace = !Console.IsErrorRedirected;
    private readonly Lock _gate = new();
    private int _ticks;
    private bool _done;

    private Progress(string label, Func<string> status)
    {
        _label = label;
        _status = status;
        _timer = new Timer(_ => Tick(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public static Progress Start(string label, Func<string> status) => new(label, status);

    private void Tick()
    {
        lock (_gate)
        {
            if (_done)
                return;
            _ticks++;
            if (_inPlace)
                Console.Error.Write($"\r\x1b[K{Line()}");
            else if (_ticks % 5 == 0)
                Console.Error.WriteLine(Line());
        }
    }

    private string Line() => $"[{_elapsed.Elapsed:mm\\:ss}] {_label}: {_status()}";

    public void Dispose()
    {
        _timer.Dispose();
        lock (_gate)
        {
            if (_done)
                return;
            _done = true;
            Console.Error.WriteLine(_inPlace ? $"\r\x1b[K{Line()}" : Line());
        }
    }
}
