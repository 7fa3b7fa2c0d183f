using System;
using System.IO;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.Senso.Local;
using SensoClassLink.Core.State;

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
            _ => throw new NotSupportedException("The OneRoster REST source (classlink.source: api) is not available in this build."),
        };
    }

    /// <summary>The Senso provider of this connection, opened on first use and shared by later commands.</summary>
    public ISensoProvider Senso
    {
        get
        {
            lock (_gate)
            {
                return _senso ??= OpenSenso();
            }
        }
    }

    /// <summary>The module's state store (queue, run history, journal), opened (and created) on first use.</summary>
    public StateStore State
    {
        get
        {
            lock (_gate)
            {
                return _state ??= new StateStore(Configuration.State.Path!);
            }
        }
    }

    /// <summary>The state store when its file exists already, else null: what-if runs read state but never create it.</summary>
    public StateStore? ExistingState
    {
        get
        {
            lock (_gate)
            {
                return _state ?? (File.Exists(Configuration.State.Path) ? State : null);
            }
        }
    }

    private ISensoProvider OpenSenso()
    {
        var senso = Configuration.Senso;
        return senso.Provider switch
        {
            SensoProviderKind.Local => new LocalTenantProvider(senso.Local.Path!, senso.Local.Roles, senso.Local.Sites),
            _ => throw new NotSupportedException("The Senso API provider (senso.provider: api) is not available in this build."),
        };
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _senso?.Dispose();
            _state?.Dispose();
            _senso = null;
            _state = null;
        }
    }

    private readonly object _gate = new();
    private ISensoProvider? _senso;
    private StateStore? _state;
}
