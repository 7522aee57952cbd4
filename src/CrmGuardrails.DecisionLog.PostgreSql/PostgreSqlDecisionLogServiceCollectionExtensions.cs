using CrmGuardrails;
using CrmGuardrails.DecisionLog.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL decision log.</summary>
public static class PostgreSqlDecisionLogServiceCollectionExtensions
{
    /// <summary>
    /// Logs every decision of the pipeline to a PostgreSQL table shared by several hosts, off the save's path (see
    /// <c>AddDecisionLog</c>). The options are validated at start and when the log is created.
    /// </summary>
    /// <param name="builder">The builder of <c>AddCrmGuardrails</c>.</param>
    /// <param name="configure">Sets the options (at least <see cref="PostgreSqlDecisionLogOptions.ConnectionString"/>).</param>
    /// <returns>The builder.</returns>
    public static ICrmGuardrailsBuilder AddPostgreSqlDecisionLog(this ICrmGuardrailsBuilder builder, Action<PostgreSqlDecisionLogOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<PostgreSqlDecisionLogOptions>().ValidateOnStart();
        if (configure is not null)
            options.Configure(configure);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlDecisionLogOptions>, OptionsValidator<PostgreSqlDecisionLogOptions>>());
        return builder.AddDecisionLog(
            provider => new PostgreSqlDecisionLog(provider.GetRequiredService<IOptions<PostgreSqlDecisionLogOptions>>().Value),
            provider => provider.GetRequiredService<IOptions<PostgreSqlDecisionLogOptions>>().Value);
    }

    /// <summary>Logs every decision to PostgreSQL, with the options bound from a configuration section (for example <c>CrmGuardrails:DecisionLog</c>).</summary>
    /// <param name="builder">The builder of <c>AddCrmGuardrails</c>.</param>
    /// <param name="section">The section.</param>
    /// <returns>The builder.</returns>
    public static ICrmGuardrailsBuilder AddPostgreSqlDecisionLog(this ICrmGuardrailsBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var result = builder.AddPostgreSqlDecisionLog();
        builder.Services.Configure<PostgreSqlDecisionLogOptions>(section);
        return result;
    }
}
