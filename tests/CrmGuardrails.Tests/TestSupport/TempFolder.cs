using System.Runtime.InteropServices;
using System.Text;

namespace CrmGuardrails.Tests.TestSupport;

/// <summary>A folder of its own for a test's files, removed afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public DirectoryInfo Info { get; } = Directory.CreateTempSubdirectory("crmguard-tests-");

    public string Path(string name) => System.IO.Path.Combine(Info.FullName, name);

    public string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    public string Write(string name, byte[] bytes)
    {
        var path = Path(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Makes a named pipe (opening it to read would wait for a writer).</summary>
    public string Fifo(string name)
    {
        var path = Path(name);
        Assert.Equal(0, MakeFifo(path, Convert.ToUInt32("600", 8)));
        return path;
    }

    public void Dispose() => Info.Delete(recursive: true);

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);
}
