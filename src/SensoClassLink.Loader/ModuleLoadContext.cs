using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace SensoClassLink.Loader;

/// <summary>
/// A private load context for the module's own assemblies and their dependencies on PowerShell 7,
/// so another module that already loaded a different YamlDotNet, Newtonsoft.Json or MSAL cannot break us.
/// </summary>
/// <remarks>
/// Framework and PowerShell assemblies are always left to the default context: loading a second
/// System.Text.Json or System.Management.Automation would give types that do not match the host's.
/// </remarks>
public sealed class ModuleLoadContext : AssemblyLoadContext
{
    private static readonly object Gate = new();
    private static ModuleLoadContext? _instance;

    /// <summary>The folder under bin with .NET (not netstandard) builds of some dependencies, preferred on PowerShell 7.</summary>
    public const string CoreBuildsFolder = "netcore";

    private readonly string _assemblyDirectory;
    private readonly HashSet<string> _frameworkAssemblyNames;

    private ModuleLoadContext(string assemblyDirectory)
        : base("SensoClassLink", isCollectible: false)
    {
        _assemblyDirectory = assemblyDirectory;
        _frameworkAssemblyNames = ReadFrameworkAssemblyNames();
    }

    /// <summary>The directory the context serves assemblies from.</summary>
    public string AssemblyDirectory => _assemblyDirectory;

    /// <summary>
    /// Loads the module's cmdlet assembly inside the private context. One context per process:
    /// <c>Import-Module -Force</c> calls this again and must get the same assembly back, otherwise
    /// PowerShell would see two copies of every cmdlet type.
    /// </summary>
    public static Assembly LoadModuleAssembly(string assemblyPath)
    {
        string fullPath = Path.GetFullPath(assemblyPath);
        lock (Gate)
        {
            _instance ??= new ModuleLoadContext(Path.GetDirectoryName(fullPath)!);
            return _instance.LoadFromAssemblyName(AssemblyName.GetAssemblyName(fullPath));
        }
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        string? name = assemblyName.Name;
        if (name is null || IsHostOwned(name))
        {
            return null;
        }

        // bin/netcore holds the .NET builds of dependencies whose netstandard2.0 build (bin, for Windows PowerShell) is
        // much slower here: Sylvan.Data.Csv's .NET build finds delimiters with vectorized searches (at 10M enrollments
        // the parse alone took 6.6 s of CPU with the netstandard2.0 build, 4.3 s with the .NET one).
        string preferred = Path.Combine(_assemblyDirectory, CoreBuildsFolder, name + ".dll");
        if (File.Exists(preferred))
        {
            return LoadFromAssemblyPath(preferred);
        }
        string candidate = Path.Combine(_assemblyDirectory, name + ".dll");
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        foreach (string candidate in NativeLibraryCandidates(unmanagedDllName))
        {
            if (File.Exists(candidate))
            {
                return LoadUnmanagedDllFromPath(candidate);
            }
        }
        return IntPtr.Zero;
    }

    private bool IsHostOwned(string name) =>
        _frameworkAssemblyNames.Contains(name)
        || name.Equals("System.Management.Automation", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Microsoft.PowerShell.", StringComparison.OrdinalIgnoreCase)
        || name.Equals("netstandard", StringComparison.OrdinalIgnoreCase);

    /// <summary>Names of the assemblies in the shared .NET runtime directory (System.*, Microsoft.*, mscorlib).</summary>
    private static HashSet<string> ReadFrameworkAssemblyNames()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        foreach (string file in Directory.EnumerateFiles(runtimeDirectory, "*.dll"))
        {
            names.Add(Path.GetFileNameWithoutExtension(file));
        }
        return names;
    }

    private IEnumerable<string> NativeLibraryCandidates(string libraryName)
    {
        string rid = CurrentRuntimeIdentifier();
        string nativeDirectory = Path.Combine(_assemblyDirectory, "runtimes", rid, "native");
        foreach (string fileName in PlatformFileNames(libraryName))
        {
            yield return Path.Combine(nativeDirectory, fileName);
        }
    }

    private static IEnumerable<string> PlatformFileNames(string libraryName)
    {
        yield return libraryName;
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            yield return libraryName + ".dll";
        }
        else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
        {
            yield return "lib" + libraryName + ".dylib";
            yield return libraryName + ".dylib";
        }
        else
        {
            yield return "lib" + libraryName + ".so";
            yield return libraryName + ".so";
        }
    }

    private static string CurrentRuntimeIdentifier()
    {
        string os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx"
            : "linux";
        string arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.X86 => "x86",
            Architecture.Arm64 => "arm64",
            Architecture.Arm => "arm",
            _ => RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
        };
        return os + "-" + arch;
    }
}
