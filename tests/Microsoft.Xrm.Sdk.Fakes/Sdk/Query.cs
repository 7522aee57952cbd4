#nullable enable
namespace Microsoft.Xrm.Sdk.Query;

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.Query.QueryBase</c>.</summary>
public abstract class QueryBase
{
}

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.Query.FetchExpression</c>: a FetchXML query.</summary>
public sealed class FetchExpression : QueryBase
{
    public FetchExpression()
    {
    }

    public FetchExpression(string query) => Query = query;

    public string Query { get; set; } = string.Empty;
}

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.Query.ColumnSet</c>.</summary>
public sealed class ColumnSet
{
    public ColumnSet()
    {
    }

    public ColumnSet(bool allColumns) => AllColumns = allColumns;

    public ColumnSet(params string[] columns) => Columns.AddRange(columns);

    public bool AllColumns { get; set; }

    public DataCollection<string> Columns { get; } = new();

    public void AddColumns(params string[] columns) => Columns.AddRange(columns);
}
