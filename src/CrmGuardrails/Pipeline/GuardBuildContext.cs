using CrmGuardrails.Matching;
using Microsoft.Extensions.Logging;

namespace CrmGuardrails;

/// <summary>The services a guard receives when its pipeline is built. Guards never resolve services themselves.</summary>
public sealed class GuardBuildContext
{
    internal GuardBuildContext(TimeProvider timeProvider, ILoggerFactory loggerFactory, IRecordMatcher matcher, GuardPipelineOptions pipelineOptions)
    {
        TimeProvider = timeProvider;
        LoggerFactory = loggerFactory;
        Matcher = matcher;
        PipelineOptions = pipelineOptions;
    }

    /// <summary>Gets the clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the logger factory.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Gets the record matcher.</summary>
    public IRecordMatcher Matcher { get; }

    /// <summary>Gets the options of the whole pipeline.</summary>
    public GuardPipelineOptions PipelineOptions { get; }
}
