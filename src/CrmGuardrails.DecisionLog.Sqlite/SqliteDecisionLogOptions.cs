using System.ComponentModel.DataAnnotations;
using CrmGuardrails.Decisions;

namespace CrmGuardrails.DecisionLog.Sqlite;

/// <summary>Options of the SQLite decision log: the file, and the queue and retention of every decision log.</summary>
public sealed class SqliteDecisionLogOptions : DecisionLogOptions
{
    /// <summary>Gets or sets the path of the SQLite file; created with its folder when missing.</summary>
    /// <value>The default value is <c>crmguardrails-decisions.db</c> (in the working directory).</value>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Path is required: the SQLite file of the decision log.")]
    public string Path { get; set; } = "crmguardrails-decisions.db";
}
