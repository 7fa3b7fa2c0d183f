using System;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.OneRoster.Rest;

namespace SensoClassLink.Session;

/// <summary>
/// The process's connection to one deployment (like Connect-MgGraph): the validated configuration and
/// the roster and Senso endpoints it describes. Commands share it; Connect-SensoClassLink replaces it.
/// </summary>
public sealed class ModuleConnection : IDisposable
{
    private static readonly object Gate = new();
    private static ModuleConnection? _current;

    private ModuleConnection(SensoClassLinkConfiguration configuration)
    {
        Configuration = configuration;
        ConnectedAt = DateTimeOffset.Now;
    }

    public SensoClassLinkConfiguration Configuration { get; }

    public DateTimeOffset ConnectedAt { get; }

    /// <summary>The connection made in this process, or null.</summary>
    public static ModuleConnection? Current
    {
        get
        {
            lock (Gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Validates the configuration file and makes it the process's connection.</summary>
    public static ModuleConnection Connect(string? configPath)
    {
        var configuration = ConfigurationLoader.LoadFile(ConfigurationLoader.ResolvePath(configPath));
        var connection = new ModuleConnection(configuration);
        lock (Gate)
        {
            _current?.Dispose();
            _current = connection;
        }
        return connection;
    }

    /// <summary>The current connection, or one made from $env:SENSOCLASSLINK_CONFIG / the per-user default.</summary>
    public static ModuleConnection GetOrConnectDefault() => Current ?? Connect(null);

    public static void Disconnect()
    {
        lock (Gate)
        {
            _current?.Dispose();
            _current = null;
        }
    }

    /// <summary>Opens a fresh roster source for one command; the caller disposes it.</summary>
    public IRosterSource OpenRoster(RosterReadObserver observer)
    {
        var classLink = Configuration.ClassLink;
        return classLink.Source switch
        {
            RosterSourceKind.Csv => new CsvRosterSource(classLink.Csv.Path!, observer),
            RosterSourceKind.Api => new RestRosterSource(classLink.Api, observer),
            _ => throw new NotSupportedException($"Unknown roster source '{classLink.Source}'."),
        };
    }

    public void Dispose()
    {
    }
}
