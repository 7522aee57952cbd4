namespace CrmGuardrails.Embedded;

/// <summary>A file does not follow its documented format. The message names the file, the line and the field.</summary>
public sealed class InputFormatException : GuardrailsException
{
    /// <summary>Initializes a new instance of the <see cref="InputFormatException"/> class.</summary>
    /// <param name="file">The file (as the user named it).</param>
    /// <param name="line">The 1-based line, or 0 when the problem is the whole file.</param>
    /// <param name="field">The field (for example <c>accounts[2].status</c> or <c>phone</c>), or empty.</param>
    /// <param name="problem">What is wrong, in words.</param>
    public InputFormatException(string file, int line, string field, string problem)
        : base(Format(file, line, field, problem))
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    /// <summary>Gets the file.</summary>
    public string File { get; }

    /// <summary>Gets the 1-based line, or 0 for the whole file.</summary>
    public int Line { get; }

    /// <summary>Gets the field, or empty.</summary>
    public string Field { get; }

    /// <summary>Gets what is wrong.</summary>
    public string Problem { get; }

    private static string Format(string file, int line, string field, string problem)
    {
        var where = line > 0 ? $"{file}:{line}" : file;
        return string.IsNullOrEmpty(field) ? $"{where}: {problem}" : $"{where}: {field}: {problem}";
    }
}
