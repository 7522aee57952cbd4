namespace CrmGuardrails;

/// <summary>
/// The CRM behind an <see cref="ICrmDirectory"/> could not answer: unreachable, throttled, refusing. Directories throw it
/// (or a subclass) for such failures, so the pipeline can tell them from defects, which it logs as errors.
/// </summary>
public class CrmDirectoryException : GuardrailsException
{
    /// <summary>Initializes a new instance of the <see cref="CrmDirectoryException"/> class.</summary>
    /// <param name="message">The message.</param>
    public CrmDirectoryException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CrmDirectoryException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CrmDirectoryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Tells whether an exception means the CRM could not be asked (rather than a defect).</summary>
    /// <param name="exception">The exception.</param>
    /// <returns><see langword="true"/> for <see cref="CrmDirectoryException"/>, <see cref="HttpRequestException"/> and <see cref="IOException"/>.</returns>
    public static bool IsDirectoryFailure(Exception exception) =>
        exception is CrmDirectoryException or HttpRequestException or IOException ||
        (exception is AggregateException { InnerExceptions.Count: 1 } aggregate && IsDirectoryFailure(aggregate.InnerExceptions[0]));
}
