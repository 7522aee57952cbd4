using System.Text;

namespace CrmGuardrails.Dataverse.Emulator;

/// <summary>A request the emulator refuses as Dataverse would: answered <c>{"error":{"code":"0x...","message":"..."}}</c> with <see cref="Status"/>.</summary>
internal sealed class EmulatorException : Exception
{
    public EmulatorException(int status, string code, string message)
        : base(message)
    {
        Status = status;
        Code = code;
    }

    public EmulatorException()
        : this(500, "0x80040216", "Emulator failure.")
    {
    }

    public EmulatorException(string message)
        : this(500, "0x80040216", message)
    {
    }

    public EmulatorException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 500;
        Code = "0x80040216";
    }

    public int Status { get; }

    public string Code { get; }
}

/// <summary>The errors Dataverse answers, in one place (codes and texts quoted from the sources named at each).</summary>
internal static class EmulatorErrors
{
    /// <summary>The code of OData URI and payload parser errors ("Could not find a property named ...", "Resource not found for the segment ...").</summary>
    public const string QueryCode = "0x80060888";

    /// <summary>
    /// "Could not find a property named 'x' on type 'Microsoft.Dynamics.CRM.account'." — HTTP 400, code 0x80060888 (community
    /// live observations: MicrosoftDocs/dynamics-365-customer-engagement#678, jlattimer/CRMRESTBuilder#3; /tmp/research/dataverse-facts.md §5).
    /// </summary>
    public static EmulatorException UnknownProperty(string name, EmulatorTable table) =>
        new(400, QueryCode, $"Could not find a property named '{name}' on type '{table.TypeName}'.");

    /// <summary>
    /// "{"error":{"code":"0x80060888","message":"Resource not found for the segment 'cr755_sauditrecordss'."}}" — status 404
    /// (rajyraman/Levelup-for-Dynamics-CRM#376 and community mocks; /tmp/research/dataverse-facts.md §5).
    /// </summary>
    public static EmulatorException UnknownSegment(string segment) =>
        new(404, QueryCode, $"Resource not found for the segment '{segment}'.");

    /// <summary>
    /// "HTTP/1.1 404 Not Found ... "message": "account With Id = 00000000-0000-0000-0000-000000000001 Does Not Exist""
    /// (P: webapi/perform-conditional-operations-using-web-api.md); code 0x80040217 (ObjectDoesNotExist).
    /// </summary>
    public static EmulatorException NotFound(string logicalName, string id) =>
        new(404, "0x80040217", $"{logicalName} With Id = {id} Does Not Exist");
}

/// <summary>One Web API request, from Kestrel or from a <c>$batch</c> part.</summary>
internal sealed class EmulatorHttpRequest
{
    public required string Method { get; init; }

    /// <summary>Gets the URL-decoded path (<c>/api/data/v9.2/accounts(…)</c>).</summary>
    public required string Path { get; init; }

    /// <summary>Gets the query options, URL-decoded, in order (names are case-sensitive, as in OData).</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Query { get; init; }

    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public string Body { get; init; } = string.Empty;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string? Option(string name)
    {
        foreach (var (key, value) in Query)
        {
            if (key == name)
                return value;
        }

        return null;
    }

    /// <summary>Reads a query string (<c>?a=1&amp;b=2</c>): '+' is a space, as for <c>application/x-www-form-urlencoded</c>.</summary>
    public static List<KeyValuePair<string, string>> ParseQuery(string? query)
    {
        var result = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(query))
            return result;
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair.Substring(0, equals);
            var value = equals < 0 ? string.Empty : pair.Substring(equals + 1);
            result.Add(new(Decode(name), Decode(value)));
        }

        return result;

        static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
    }
}

/// <summary>One Web API answer.</summary>
internal sealed class EmulatorHttpResponse
{
    public int Status { get; set; } = 200;

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? ContentType { get; set; }

    public byte[] Body { get; set; } = [];

    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>Counters of what the emulator did, so a test can assert how the product queries (thread-safe).</summary>
public sealed class EmulatorStats
{
    private long _queries;
    private long _leadingWildcardQueries;
    private long _rowsScanned;
    private long _indexedQueries;
    private long _fullScans;
    private long _batchParts;

    /// <summary>Gets how many collection queries (<c>GET set?...</c>, also inside <c>$batch</c>) were answered.</summary>
    public long Queries => Interlocked.Read(ref _queries);

    /// <summary>
    /// Gets how many queries held a string function whose <c>LIKE</c> pattern starts with a wildcard (<c>contains</c>, <c>endswith</c>,
    /// <c>startswith(x,'%y')</c>): allowed, but "Queries that use these anti-patterns introduce performance problems because the
    /// queries can't be optimized" (P: wildcard-characters.md, /tmp/research/dataverse-facts.md §3).
    /// </summary>
    public long LeadingWildcardQueries => Interlocked.Read(ref _leadingWildcardQueries);

    /// <summary>Gets how many rows filters were evaluated on (an indexed query evaluates only the rows its index finds).</summary>
    public long RowsScanned => Interlocked.Read(ref _rowsScanned);

    /// <summary>Gets how many queries were answered through equality indexes.</summary>
    public long IndexedQueries => Interlocked.Read(ref _indexedQueries);

    /// <summary>Gets how many queries scanned their whole table.</summary>
    public long FullScans => Interlocked.Read(ref _fullScans);

    /// <summary>Gets how many <c>$batch</c> parts were executed.</summary>
    public long BatchParts => Interlocked.Read(ref _batchParts);

    /// <summary>Sets every counter to zero.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _queries, 0);
        Interlocked.Exchange(ref _leadingWildcardQueries, 0);
        Interlocked.Exchange(ref _rowsScanned, 0);
        Interlocked.Exchange(ref _indexedQueries, 0);
        Interlocked.Exchange(ref _fullScans, 0);
        Interlocked.Exchange(ref _batchParts, 0);
    }

    internal void Query(bool leadingWildcard, bool indexed, int rowsScanned)
    {
        Interlocked.Increment(ref _queries);
        if (leadingWildcard)
            Interlocked.Increment(ref _leadingWildcardQueries);
        Interlocked.Increment(ref indexed ? ref _indexedQueries : ref _fullScans);
        Interlocked.Add(ref _rowsScanned, rowsScanned);
    }

    internal void BatchPart() => Interlocked.Increment(ref _batchParts);
}
