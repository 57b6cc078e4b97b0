using System.Diagnostics;

namespace ChatterWeb.Testing;

/// <summary>
/// What a child process writes to stdout and stderr, line by line as it comes, for failure messages.
/// The last <see cref="Capacity"/> lines are kept: a server under a long bench run cannot grow it without bound.
/// </summary>
internal sealed class ProcessOutput
{
    public const int Capacity = 10_000;

    private readonly Queue<string> _lines = new();

    /// <summary>Starts reading the process's redirected output into this.</summary>
    public void Attach(Process process)
    {
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Every line kept, in arrival order.</summary>
    public string Text
    {
        get { lock (_lines) return string.Join('\n', _lines); }
    }

    /// <summary>The last <paramref name="lines"/> lines.</summary>
    public string Tail(int lines)
    {
        lock (_lines) return string.Join('\n', _lines.Skip(Math.Max(0, _lines.Count - lines)));
    }

    private void Add(string? line)
    {
        if (line is null)
            return;
        lock (_lines)
        {
            if (_lines.Count == Capacity)
                _lines.Dequeue();
            _lines.Enqueue(line);
        }
    }
}
