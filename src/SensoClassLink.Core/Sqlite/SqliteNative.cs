using System;
using System.IO;
using System.Runtime.InteropServices;

namespace SensoClassLink.Core.Sqlite;

/// <summary>
/// Starts SQLitePCLRaw once per process. On PowerShell 7 the module's load context finds e_sqlite3 in
/// bin/runtimes/&lt;rid&gt;/native; on Windows PowerShell 5.1 (.NET Framework, no load contexts) the
/// library is loaded here by full path first, so the provider's DllImport("e_sqlite3") binds to it.
/// </summary>
internal static class SqliteNative
{
    private static readonly object Gate = new();
    private static bool _initialized;

    public static void EnsureInitialized()
    {
        lock (Gate)
        {
            if (_initialized)
            {
                return;
            }
            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
            {
                PreloadForNetFramework();
            }
            SQLitePCL.Batteries_V2.Init();
            _initialized = true;
        }
    }

    private static void PreloadForNetFramework()
    {
        string arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X86 => "win-x86",
            Architecture.Arm64 => "win-arm64",
            _ => "win-x64",
        };
        string directory = Path.GetDirectoryName(typeof(SqliteNative).Assembly.Location)!;
        string library = Path.Combine(directory, "runtimes", arch, "native", "e_sqlite3.dll");
        if (File.Exists(library) && LoadLibraryW(library) == IntPtr.Zero)
        {
            throw new DatabaseFileException($"Cannot load the SQLite library '{library}' (Windows error {Marshal.GetLastWin32Error()}).");
        }
    }

    [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
    private static extern IntPtr LoadLibraryW(string path);
}
