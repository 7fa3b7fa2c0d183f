using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace SensoClassLink.Core.Sqlite;

/// <summary>
/// Starts SQLitePCLRaw once per process, with the module's own e_sqlite3 from bin/runtimes/&lt;rid&gt;/native.
/// On PowerShell 7 the module's load context serves that library. Without it, the library is loaded here by full
/// path first: on Windows PowerShell 5.1 (.NET Framework, no load contexts) with LoadLibraryW, so the provider's
/// DllImport("e_sqlite3") binds to the module already in the process by name; on .NET in the default load context
/// (the 5.1 load path forced by tests on PowerShell 7) through a DllImport resolver for the provider's assembly.
/// </summary>
internal static class SqliteNative
{
    private const string LibraryName = "e_sqlite3";
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
            else if (IsInDefaultLoadContext(typeof(SqliteNative).Assembly))
            {
                ResolveFromModuleFolder();
            }
            SQLitePCL.Batteries_V2.Init();
            _initialized = true;
        }
    }

    /// <summary>The module's copy of the library for this process: bin/runtimes/&lt;os&gt;-&lt;arch&gt;/native/&lt;file&gt;.</summary>
    internal static string BundledLibraryPath()
    {
        string os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx"
            : "linux";
        string arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X86 => "x86",
            Architecture.Arm64 => "arm64",
            Architecture.Arm => "arm",
            _ => "x64",
        };
        string file = os switch
        {
            "win" => LibraryName + ".dll",
            "osx" => "lib" + LibraryName + ".dylib",
            _ => "lib" + LibraryName + ".so",
        };
        string directory = Path.GetDirectoryName(typeof(SqliteNative).Assembly.Location)!;
        return Path.Combine(directory, "runtimes", os + "-" + arch, "native", file);
    }

    private static void PreloadForNetFramework()
    {
        string library = BundledLibraryPath();
        if (File.Exists(library) && LoadLibraryW(library) == IntPtr.Zero)
        {
            throw new DatabaseFileException($"Cannot load the SQLite library '{library}' (Windows error {Marshal.GetLastWin32Error()}).");
        }
    }

    /// <summary>True on .NET (Core) when <paramref name="assembly"/> was loaded into the default context rather than the module's own.</summary>
    private static bool IsInDefaultLoadContext(Assembly assembly)
    {
        // netstandard2.0 cannot name AssemblyLoadContext; it is in the core library of every .NET (Core) runtime.
        Type? contextType = Type.GetType("System.Runtime.Loader.AssemblyLoadContext", throwOnError: false);
        object? defaultContext = contextType?.GetProperty("Default")?.GetValue(null);
        object? ownContext = contextType?.GetMethod("GetLoadContext", new[] { typeof(Assembly) })?.Invoke(null, new object[] { assembly });
        return defaultContext is not null && ReferenceEquals(defaultContext, ownContext);
    }

    /// <summary>
    /// Loads the bundled library by full path and answers the provider assembly's DllImport("e_sqlite3") with it.
    /// The default context would otherwise look only next to the host and in bin/, never in bin/runtimes/&lt;rid&gt;/native.
    /// </summary>
    private static void ResolveFromModuleFolder()
    {
        string library = BundledLibraryPath();
        Type? nativeLibrary = Type.GetType("System.Runtime.InteropServices.NativeLibrary", throwOnError: false);
        Type? resolverType = Type.GetType("System.Runtime.InteropServices.DllImportResolver", throwOnError: false);
        MethodInfo? load = nativeLibrary?.GetMethod("Load", new[] { typeof(string) });
        MethodInfo? setResolver = resolverType is null ? null : nativeLibrary?.GetMethod("SetDllImportResolver", new[] { typeof(Assembly), resolverType });
        if (!File.Exists(library) || load is null || setResolver is null)
        {
            return; // leave the search to the runtime, whose error names every place it looked
        }
        IntPtr handle;
        try
        {
            handle = (IntPtr)load.Invoke(null, new object[] { library })!;
        }
        catch (TargetInvocationException ex)
        {
            throw new DatabaseFileException($"Cannot load the SQLite library '{library}': {ex.InnerException?.Message}", ex.InnerException);
        }
        var answer = new LoadedLibrary(LibraryName, handle);
        Delegate resolver = Delegate.CreateDelegate(resolverType!, answer, typeof(LoadedLibrary).GetMethod(nameof(LoadedLibrary.Resolve))!);
        try
        {
            setResolver.Invoke(null, new object[] { typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly, resolver });
        }
        catch (TargetInvocationException ex) when (ex.InnerException is InvalidOperationException)
        {
            // Someone in this process set a resolver for the provider first; theirs decides.
        }
    }

    [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
    private static extern IntPtr LoadLibraryW(string path);

    /// <summary>A DllImport resolver (string name, Assembly, DllImportSearchPath?) that serves one already loaded library.</summary>
    private sealed class LoadedLibrary
    {
        private readonly string _name;
        private readonly IntPtr _handle;

        public LoadedLibrary(string name, IntPtr handle)
        {
            _name = name;
            _handle = handle;
        }

        public IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
            string.Equals(libraryName, _name, StringComparison.Ordinal) ? _handle : IntPtr.Zero;
    }
}
