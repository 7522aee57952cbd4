using System.Globalization;
using System.Runtime.InteropServices;

namespace CrmGuardrails.Embedded;

/// <summary>What a path names.</summary>
internal enum FileKind
{
    /// <summary>Nothing.</summary>
    Missing,

    /// <summary>A regular file (or, where the platform cannot tell, something that is not a folder).</summary>
    File,

    /// <summary>A folder.</summary>
    Folder,

    /// <summary>A device, pipe or socket: something that is read or written as a stream, not stored.</summary>
    Device,
}

/// <summary>
/// Opens an input file of the formats for reading, refusing what cannot be read as a file before reading it: a path
/// that does not exist, a folder, a pipe or device (<c>/dev/zero</c> never ends), a file over the size limit. The
/// stream it returns also stops at the limit, should the file grow while it is read. Every refusal names the file.
/// </summary>
internal static class InputFile
{
    /// <exception cref="InputFormatException">The file cannot be read, is not a regular file or is larger than <paramref name="maxBytes"/>.</exception>
    public static Stream OpenRead(string path, long maxBytes)
    {
        if (path is null)
            throw new ArgumentNullException(nameof(path));
        if (path.Length == 0 || path.Trim().Length == 0)
            throw new InputFormatException(path, 0, string.Empty, "cannot be read: no file name was given.");
        switch (KindOf(path))
        {
            case FileKind.Folder:
                throw new InputFormatException(path, 0, string.Empty, "cannot be read: it is a folder, not a file.");
            case FileKind.Device:
                // Refused before it is opened: opening a named pipe waits for a writer, and /dev/zero never ends.
                throw new InputFormatException(path, 0, string.Empty, "cannot be read: it is a device, pipe or socket, not a file; save the data to a file first.");
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputFormatException(path, 0, string.Empty, "cannot be read: it does not exist.");
        }
        catch (UnauthorizedAccessException)
        {
            throw new InputFormatException(path, 0, string.Empty, "cannot be read: permission denied.");
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new InputFormatException(path, 0, string.Empty, "cannot be read: it is not a valid file name.");
        }
        catch (IOException ex)
        {
            throw new InputFormatException(path, 0, string.Empty, $"cannot be read ({Plain(ex, path)}).");
        }

        try
        {
            if (!stream.CanSeek)
                throw new InputFormatException(path, 0, string.Empty, "cannot be read: it is a pipe or socket, not a file; save the data to a file first.");
            var length = stream.Length;
            if (length > maxBytes)
                throw new InputFormatException(path, 0, string.Empty, $"is {length:N0} bytes, over the limit of {Size(maxBytes)} for this kind of file; it is not read.");

            // A stored file tells its size; a device (/dev/zero) or a system file (/proc) says 0 yet has content, maybe endless.
            if (length == 0 && stream.ReadByte() >= 0)
                throw new InputFormatException(path, 0, string.Empty, "cannot be read: it reports no size yet has content (a device or a system file); save the data to a file first.");
            return new LimitedStream(stream, path, maxBytes);
        }
        catch (InputFormatException)
        {
            stream.Dispose();
            throw;
        }
        catch (IOException ex)
        {
            stream.Dispose();
            throw new InputFormatException(path, 0, string.Empty, $"cannot be read ({Plain(ex, path)}).");
        }
    }

    /// <summary>Tells what a path names, without opening it (symbolic links are followed).</summary>
    public static FileKind KindOf(string path)
    {
#if NET
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                // .NET's own native layer: its FileStatus is the same on every Unix (the mode is the second int).
                var status = new byte[512];
                if (Stat(path, status) == 0)
                {
                    return (BitConverter.ToInt32(status, 4) & 0xF000) switch
                    {
                        0x8000 => FileKind.File,
                        0x4000 => FileKind.Folder,
                        _ => FileKind.Device,
                    };
                }
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                // Not there (another runtime): tell what the portable calls can.
            }
        }
#endif
        return System.IO.Directory.Exists(path) ? FileKind.Folder : System.IO.File.Exists(path) ? FileKind.File : FileKind.Missing;
    }

    /// <summary>A size in words: bytes below a kilobyte, then KB, MB and GB of 1,024.</summary>
    public static string Size(long bytes)
    {
        const double K = 1024;
        string Format(double value, string unit) =>
            (Math.Abs(value - Math.Round(value)) < 0.05 ? Math.Round(value).ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.0", CultureInfo.InvariantCulture)) + " " + unit;
        return bytes switch
        {
            < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
            < 1024 * 1024 => Format(bytes / K, "KB"),
            < 1024L * 1024 * 1024 => Format(bytes / (K * K), "MB"),
            _ => Format(bytes / (K * K * K), "GB"),
        };
    }

    /// <summary>The operating system's words for an I/O failure, without the path it repeats.</summary>
    public static string Plain(IOException ex, string path)
    {
        var message = ex.Message.Replace(" : '" + path + "'", string.Empty).Replace("'" + path + "'", "the file").Trim();
        return message.TrimEnd('.');
    }

#if NET
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] status);
#endif

    /// <summary>Reads a file up to a limit; reading past it (the file grew) is refused.</summary>
    private sealed class LimitedStream(FileStream inner, string path, long maxBytes) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => Seek(value, SeekOrigin.Begin);
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int read;
            try
            {
                read = inner.Read(buffer, offset, count);
            }
            catch (IOException ex)
            {
                throw new InputFormatException(path, 0, string.Empty, $"cannot be read ({Plain(ex, path)}).");
            }

            if (inner.Position > maxBytes)
                throw new InputFormatException(path, 0, string.Empty, $"grew past the limit of {Size(maxBytes)} for this kind of file while it was read.");
            return read;
        }

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
