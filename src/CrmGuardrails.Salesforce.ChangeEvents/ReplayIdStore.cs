using System.Text;

namespace CrmGuardrails.Salesforce.ChangeEvents;

/// <summary>
/// Keeps, per topic, the replay id of the last change event whose outcome was written back, so a restart resumes right
/// after it. "Replay IDs are opaque" and events are kept 72 hours (salesforce.md §10.D): a subscriber down longer
/// starts again from its <see cref="ChangeEventSubscriberOptions.StartFrom"/>.
/// </summary>
/// <remarks>Implementations are thread-safe; a save completes before it returns (the subscriber asks for more events only then).</remarks>
public interface IReplayIdStore
{
    /// <summary>Gets the stored replay id of a topic.</summary>
    /// <param name="topic">The channel (<c>/data/LeadChangeEvent</c>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The replay id, or <see langword="null"/> when none is stored.</returns>
    ValueTask<byte[]?> GetAsync(string topic, CancellationToken cancellationToken);

    /// <summary>Stores the replay id of a topic.</summary>
    /// <param name="topic">The channel.</param>
    /// <param name="replayId">The replay id of the last event recorded.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the id is durable.</returns>
    ValueTask SaveAsync(string topic, ReadOnlyMemory<byte> replayId, CancellationToken cancellationToken);
}

/// <summary>
/// Keeps replay ids in files, one per topic, in a directory: each written to a temporary file and moved over the old
/// one, so a crash leaves the old id or the new one, never half of either.
/// </summary>
public sealed class FileReplayIdStore : IReplayIdStore
{
    private readonly string _directory;

    /// <summary>Initializes a new instance of the <see cref="FileReplayIdStore"/> class.</summary>
    /// <param name="directory">The directory (created when missing).</param>
    public FileReplayIdStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
    }

    /// <inheritdoc />
    public async ValueTask<byte[]?> GetAsync(string topic, CancellationToken cancellationToken)
    {
        var path = PathOf(topic);
        if (!File.Exists(path))
            return null;
        var text = (await File.ReadAllTextAsync(path, Encoding.ASCII, cancellationToken).ConfigureAwait(false)).Trim();
        try
        {
            return text.Length == 0 ? null : Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"The replay id file '{path}' is not base64: delete it to start from the configured start.");
        }
    }

    /// <inheritdoc />
    public async ValueTask SaveAsync(string topic, ReadOnlyMemory<byte> replayId, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_directory);
        var path = PathOf(topic);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, Convert.ToBase64String(replayId.Span), Encoding.ASCII, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The file of a topic: <c>/data/LeadChangeEvent</c> → <c>data_LeadChangeEvent.replay</c>.</summary>
    private string PathOf(string topic)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        var name = new string(topic.Trim('/').Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').ToArray());
        return Path.Combine(_directory, name + ".replay");
    }
}
