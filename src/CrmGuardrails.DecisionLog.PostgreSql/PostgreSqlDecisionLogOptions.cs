using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using CrmGuardrails.Decisions;

namespace CrmGuardrails.DecisionLog.PostgreSql;

/// <summary>Options of the PostgreSQL decision log: the server, the table, and the queue and retention of every decision log.</summary>
public sealed partial class PostgreSqlDecisionLogOptions : DecisionLogOptions, IValidatableObject
{
    /// <summary>Gets or sets the Npgsql connection string (<c>Host=db;Database=crmguardrails;Username=…;Password=…</c>). Required.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Gets or sets the schema of the decision table; created when missing.</summary>
    /// <value>The default value is <c>public</c>. It must be a plain identifier (letters, digits, underscores).</value>
    public string Schema { get; set; } = "public";

    /// <inheritdoc />
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        foreach (var error in Validate(validationContext))
            yield return error;
        if (string.IsNullOrWhiteSpace(ConnectionString))
            yield return new ValidationResult("ConnectionString is required: the PostgreSQL server every webhook host logs to.", [nameof(ConnectionString)]);
        if (Schema is null || !Identifier().IsMatch(Schema))
            yield return new ValidationResult($"Schema must be a plain identifier (a letter or underscore, then letters, digits or underscores; at most 63), not '{Schema}'.", [nameof(Schema)]);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
