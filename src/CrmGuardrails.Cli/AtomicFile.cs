using System.Text;

namespace CrmGuardrails.Cli;

/// <summary>Writes a whole file or nothing: a temporary file beside the target, then a rename.</summary>
internal static class AtomicFile
{
    public static Task WriteLinesAsync(FileInfo target, IEnumerable<string> lines, CancellationToken cancellationToken) =>
        WriteAsync(target, async path =>
        {
            await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
            foreach (var line in lines)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await writer.WriteAsync(line).ConfigureAwait(false);
                await writer.WriteAsync('\n').ConfigureAwait(false);
            }
        });

    /// <summary>Writes a small text file at once (a state file written after every page of work).</summary>
    public static void WriteAllText(string path, string text)
    {
        var target = new FileInfo(path);
        var temporary = Path.Combine(target.DirectoryName ?? Environment.CurrentDirectory, $".{target.Name}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporary, text, new UTF8Encoding(false));
            File.Move(temporary, target.FullName, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    public static async Task WriteAsync(FileInfo target, Func<string, Task> write)
    {
        var directory = target.Directory ?? new DirectoryInfo(Environment.CurrentDirectory);
        directory.Create();
        var temporary = Path.Combine(directory.FullName, $".{target.Name}.{Guid.NewGuid():N}.tmp");
        try
        {
            await write(temporary).ConfigureAwait(false);
            File.Move(temporary, target.FullName, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }
}
