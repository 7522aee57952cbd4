using System.Text;
using CrmGuardrails.Embedded;

namespace CrmGuardrails.Cli;

/// <summary>Writes a whole file or nothing: a temporary file beside the target, then a rename.</summary>
internal static class AtomicFile
{
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

    /// <summary>
    /// Checks where an output goes and opens its temporary file, before any work is done: a folder, a device, a folder
    /// that cannot be made or written, a full disk are reported now, naming the path the user gave.
    /// </summary>
    /// <exception cref="BadInputException">The file cannot be written there.</exception>
    public static PendingFile Create(FileInfo target) => PendingFile.Open(target);
}

/// <summary>An output being written: nothing is at the target until <see cref="Commit"/>; disposing before that leaves nothing.</summary>
internal sealed class PendingFile : IDisposable
{
    private readonly string _shown;
    private readonly string _target;
    private readonly string _temporary;
    private readonly FileStream _stream;
    private bool _committed;

    private PendingFile(string shown, string target, string temporary, FileStream stream)
    {
        _shown = shown;
        _target = target;
        _temporary = temporary;
        _stream = stream;
    }

    public static PendingFile Open(FileInfo target)
    {
        var shown = target.ToString();
        if (shown.Trim().Length == 0 || target.Name.Length == 0)
            throw new BadInputException($"--out '{shown}': no file name was given.");
        switch (InputFile.KindOf(target.FullName))
        {
            case FileKind.Folder:
                throw new BadInputException($"{shown}: cannot be written: it is a folder; give a file name.");
            case FileKind.Device:
                throw new BadInputException($"{shown}: cannot be written: it is a device, pipe or socket, not a file (leave --out out to write to standard output).");
        }

        var folder = target.DirectoryName ?? Environment.CurrentDirectory;
        for (var above = folder; above is not null; above = Path.GetDirectoryName(above))
        {
            var kind = InputFile.KindOf(above);
            if (kind == FileKind.Missing)
                continue;
            if (kind != FileKind.Folder)
                throw new BadInputException($"{shown}: cannot be written: {above} is a file, not a folder.");
            break;
        }

        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{shown}: cannot be written: its folder {folder} cannot be made ({Reason(ex, folder, folder)}).");
        }

        var temporary = Path.Combine(folder, $".{target.Name}.{Guid.NewGuid():N}.tmp");
        FileStream stream;
        try
        {
            stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new BadInputException($"{shown}: cannot be written: {Reason(ex, temporary, shown)}.");
        }

        var file = new PendingFile(shown, target.FullName, temporary, stream);
        if (FreeBytes(folder) == 0)
        {
            file.Dispose();
            throw new BadInputException($"{shown}: cannot be written: the disk is full.");
        }

        return file;
    }

    /// <summary>Writes the content (UTF-8, no byte-order mark); a failure (a disk that fills up) names the target.</summary>
    /// <exception cref="BadInputException">The content could not be written.</exception>
    public void Write(Action<TextWriter> write)
    {
        try
        {
            using var writer = new StreamWriter(_stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            write(writer);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{_shown}: cannot be written: {Reason(ex, _temporary, _shown)}; nothing was written.");
        }
    }

    /// <summary>Puts the file in place: until now the target was untouched.</summary>
    /// <exception cref="BadInputException">The file could not be finished or renamed.</exception>
    public void Commit()
    {
        try
        {
            _stream.Flush(flushToDisk: true);
            _stream.Dispose();
            File.Move(_temporary, _target, overwrite: true);
            _committed = true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{_shown}: cannot be written: {Reason(ex, _temporary, _shown)}; nothing was written.");
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        if (_committed)
            return;
        try
        {
            File.Delete(_temporary);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing more can be done; the temporary file's name starts with a dot.
        }
    }

    /// <summary>Why writing failed, in words, naming the user's path rather than the temporary file.</summary>
    private static string Reason(Exception ex, string path, string shown) => ex switch
    {
        UnauthorizedAccessException => "permission denied (the folder is read-only or not yours)",
        FileNotFoundException or DirectoryNotFoundException => "no file can be made in that folder",
        IOException { HResult: 28 } => "the disk is full",
        IOException { HResult: 30 } => "the file system is read-only",
        IOException { HResult: 122 } => "the disk quota is used up",
        IOException { HResult: 36 } or PathTooLongException => "the name is too long",
        IOException { HResult: 20 } => "a part of the path is a file, not a folder",
        IOException { HResult: 21 } => "it is a folder",
        ArgumentException or NotSupportedException => "it is not a valid file name",
        _ => ex.Message.Replace(path, shown).TrimEnd('.'),
    };

    private static long FreeBytes(string folder)
    {
        try
        {
            return new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return -1;
        }
    }
}
