using System.Diagnostics;

namespace CrmGuardrails.Cli;

/// <summary>A progress bar on standard error, drawn only when it is a terminal and the run is long enough to need one.</summary>
internal sealed class ProgressBar : IProgress<int>, IDisposable
{
    private readonly TextWriter _error;
    private readonly int _total;
    private readonly string _doing;
    private readonly string _items;
    private readonly Stopwatch _since = Stopwatch.StartNew();
    private int _drawn = -1;

    private ProgressBar(TextWriter error, int total, string doing, string items)
    {
        _error = error;
        _total = total;
        _doing = doing;
        _items = items;
    }

    /// <summary>A bar when <paramref name="error"/> is the console's standard error, a terminal, and there are enough items; else null (nothing is drawn when redirected).</summary>
    public static ProgressBar? Create(TextWriter error, int total, string doing, string items) =>
        total >= 10_000 && ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected ? new ProgressBar(error, total, doing, items) : null;

    public void Report(int value)
    {
        var percent = (int)(100L * Math.Min(value, _total) / Math.Max(1, _total));
        if (percent == Volatile.Read(ref _drawn) || _since.ElapsedMilliseconds < 200)
            return;
        Volatile.Write(ref _drawn, percent);
        lock (_error)
            _error.Write($"\r  {_doing} [{new string('#', percent / 5),-20}] {percent,3}%  {value:N0}/{_total:N0} {_items}");
    }

    public void Dispose()
    {
        if (_drawn >= 0)
        {
            lock (_error)
                _error.Write("\r" + new string(' ', 78) + "\r");
            _drawn = -1;
        }
    }
}
