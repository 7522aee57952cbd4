namespace CrmGuardrails.Cli;

/// <summary>What the user gave cannot be used (exit 2): one line per problem, each naming the file or option.</summary>
internal sealed class BadInputException : Exception
{
    public BadInputException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    public BadInputException(string problem)
        : this([problem])
    {
    }

    public BadInputException()
        : this("bad input.")
    {
    }

    public BadInputException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Gets the problems, each a sentence.</summary>
    public IReadOnlyList<string> Problems { get; }
}
