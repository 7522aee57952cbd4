using CrmGuardrails;
using CrmGuardrails.DecisionLog.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SQLite decision log.</summary>
public static class SqliteDecisionLogServiceCollectionExtensions
{
    /// <summary>
    /// Logs every decision of the pipeline to a SQLite file, off the save's path (see <c>AddDecisionLog</c>). The options
    /// are validated at start and when the log is first used.
    /// </summary>
    /// <param name="builder">The builder of <c>AddCrmGuardrails</c>.</param>
    /// <param name="configure">Sets the options (the file's <see cref="SqliteDecisionLogOptions.Path"/>, retention, queue).</param>
    /// <returns>The builder.</returns>
    public static ICrmGuardrailsBuilder AddSqliteDecisionLog(this ICrmGuardrailsBuilder builder, Action<SqliteDecisionLogOptions>? configure = null)
    {
        if (builder is null)
            throw new ArgumentNullException(nameof(builder));
        var options = builder.Services.AddOptions<SqliteDecisionLogOptions>().ValidateOnStart();
        if (configure is not null)
            options.Configure(configure);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteDecisionLogOptions>, OptionsValidator<SqliteDecisionLogOptions>>());
        return builder.AddDecisionLog(
            provider => new SqliteDecisionLog(provider.GetRequiredService<IOptions<SqliteDecisionLogOptions>>().Value.Path),
            provider => provider.GetRequiredService<IOptions<SqliteDecisionLogOptions>>().Value);
    }

    /// <summary>Logs every decision to a SQLite file, with the options bound from a configuration section (for example <c>CrmGuardrails:DecisionLog</c>).</summary>
    /// <param name="builder">The builder of <c>AddCrmGuardrails</c>.</param>
    /// <param name="section">The section.</param>
    /// <returns>The builder.</returns>
    public static ICrmGuardrailsBuilder AddSqliteDecisionLog(this ICrmGuardrailsBuilder builder, IConfiguration section)
    {
        if (section is null)
            throw new ArgumentNullException(nameof(section));
        var result = builder.AddSqliteDecisionLog();
        builder.Services.Configure<SqliteDecisionLogOptions>(section);
        return result;
    }
}
