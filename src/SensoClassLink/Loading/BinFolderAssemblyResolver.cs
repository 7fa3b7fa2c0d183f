using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace SensoClassLink.Loading;

/// <summary>
/// The module's assembly-resolve handler for Windows PowerShell 5.1, which has no load contexts and applies no binding
/// redirects to a module: a dependency asked for by any version (MSAL asking for an older System.Memory, say) is served
/// by simple name from the module's bin folder. The .psm1 registers it right after loading this assembly.
/// </summary>
/// <remarks>
/// It is compiled rather than a script block on purpose: a script block handler runs only on a thread with a runspace,
/// and the engine's async code first touches some dependencies on thread-pool threads, where such a handler throws
/// "There is no Runspace available" and takes the process down. Nothing here may use a type from a dependency.
/// </remarks>
public static class BinFolderAssemblyResolver
{
    private static readonly object Gate = new();
    private static readonly List<string> ServedNames = new();
    private static string? _directory;

    /// <summary>The folder it serves from, once registered.</summary>
    public static string? Directory
    {
        get
        {
            lock (Gate)
            {
                return _directory;
            }
        }
    }

    /// <summary>The simple names it has served in this process, in order (for troubleshooting and the load-path test).</summary>
    public static IReadOnlyList<string> Served
    {
        get
        {
            lock (Gate)
            {
                return ServedNames.ToArray();
            }
        }
    }

    /// <summary>Registers the handler once per process; Import-Module -Force calls this again and changes nothing.</summary>
    public static void Register(string binDirectory)
    {
        lock (Gate)
        {
            if (_directory is not null)
            {
                return;
            }
            _directory = Path.GetFullPath(binDirectory);
            AppDomain.CurrentDomain.AssemblyResolve += OnAssemblyResolve;
        }
    }

    /// <summary>The assembly of that simple name from the bin folder, or null when the folder has none.</summary>
    public static Assembly? Resolve(string assemblyName)
    {
        string? directory = Directory;
        string? name = new AssemblyName(assemblyName).Name;
        if (directory is null || string.IsNullOrEmpty(name))
        {
            return null;
        }
        string candidate = Path.Combine(directory, name + ".dll");
        if (!File.Exists(candidate))
        {
            return null;
        }
        Assembly assembly = Assembly.LoadFrom(candidate);
        lock (Gate)
        {
            if (!ServedNames.Contains(name!))
            {
                ServedNames.Add(name!);
            }
        }
        return assembly;
    }

    private static Assembly? OnAssemblyResolve(object? sender, ResolveEventArgs args) => Resolve(args.Name);
}
