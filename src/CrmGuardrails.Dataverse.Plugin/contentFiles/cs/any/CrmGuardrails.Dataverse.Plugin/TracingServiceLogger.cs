// CrmGuardrails.Dataverse.Plugin (source package): compiled into your plug-in assembly.
#nullable enable
using System;
using System.Threading;
using Microsoft.Xrm.Sdk;

// Microsoft.Xrm.Sdk.PluginTelemetry.ILogger (Application Insights telemetry of the platform) is a different type with the
// same simple name: this file means Microsoft.Extensions.Logging's, which the CrmGuardrails core logs through.
using MelILogger = Microsoft.Extensions.Logging.ILogger;
using MelILoggerFactory = Microsoft.Extensions.Logging.ILoggerFactory;
using MelILoggerProvider = Microsoft.Extensions.Logging.ILoggerProvider;
using MelLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace CrmGuardrails.Dataverse.Plugin;

/// <summary>
/// Bridges <c>Microsoft.Extensions.Logging.ILogger</c> (what the core logs through) to the <see cref="ITracingService"/> of
/// the execution in progress, so the core's log lines land in the Plug-in Trace Log.
/// </summary>
/// <remarks>
/// The pipeline is built once per plug-in instance and keeps its logger, but each execution has its own tracing service.
/// The factory therefore writes to the tracing service held in an <see cref="AsyncLocal{T}"/> owned by the plug-in instance
/// (no static state): <see cref="Use"/> sets it for the current execution only, so concurrent executions on other
/// threads never see each other's trace.
/// </remarks>
public sealed class TracingServiceLoggerFactory : MelILoggerFactory
{
    private readonly AsyncLocal<ITracingService?> _current = new();

    /// <summary>Gets or sets the lowest level traced. The default value is Information.</summary>
    public MelLogLevel MinimumLevel { get; set; } = MelLogLevel.Information;

    /// <summary>Routes log lines to <paramref name="tracing"/> until the returned scope is disposed.</summary>
    /// <param name="tracing">The tracing service of the execution in progress.</param>
    /// <returns>A scope that restores the previous tracing service.</returns>
    public IDisposable Use(ITracingService? tracing)
    {
        var previous = _current.Value;
        _current.Value = tracing;
        return new Restore(this, previous);
    }

    /// <inheritdoc />
    public MelILogger CreateLogger(string categoryName) => new TracingServiceLogger(this, categoryName);

    /// <inheritdoc />
    public void AddProvider(MelILoggerProvider provider)
    {
        // Tracing is the only sink inside the sandbox.
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    internal ITracingService? Current => _current.Value;

    private sealed class Restore : IDisposable
    {
        private readonly TracingServiceLoggerFactory _owner;
        private readonly ITracingService? _previous;

        public Restore(TracingServiceLoggerFactory owner, ITracingService? previous)
        {
            _owner = owner;
            _previous = previous;
        }

        public void Dispose() => _owner._current.Value = _previous;
    }
}

/// <summary>A <c>Microsoft.Extensions.Logging.ILogger</c> that writes one trace line per log entry.</summary>
internal sealed class TracingServiceLogger : MelILogger
{
    private readonly TracingServiceLoggerFactory _factory;
    private readonly string _category;

    public TracingServiceLogger(TracingServiceLoggerFactory factory, string category)
    {
        _factory = factory;
        _category = category;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(MelLogLevel logLevel) => logLevel != MelLogLevel.None && logLevel >= _factory.MinimumLevel && _factory.Current is not null;

    public void Log<TState>(MelLogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel) || formatter is null)
            return;
        var tracing = _factory.Current!;
        var message = formatter(state, exception);
        // Trace(format, args) formats its first argument: pass the text as an argument so braces in it are not read as placeholders.
        tracing.Trace("{0} {1}: {2}{3}", logLevel, _category, message, exception is null ? string.Empty : " " + exception.GetType().Name + ": " + exception.Message);
    }
}
