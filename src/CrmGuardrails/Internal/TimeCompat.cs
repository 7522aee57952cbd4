namespace CrmGuardrails;

/// <summary>TimeProvider-based timeouts on every target framework.</summary>
internal static class TimeCompat
{
    public static CancellationTokenSource CreateCancellationTokenSource(TimeProvider time, TimeSpan delay) =>
#if NET8_0_OR_GREATER
        new(delay, time);
#else
        time.CreateCancellationTokenSource(delay);
#endif

    public static TimeSpan GetElapsed(TimeProvider time, long startingTimestamp) => time.GetElapsedTime(startingTimestamp);

    public static Task<T> WaitAsync<T>(Task<T> task, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        task.WaitAsync(timeout, time, cancellationToken);
}
