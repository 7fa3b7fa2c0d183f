using System;
using System.Threading.Tasks;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Http;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.OneRoster.Rest;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.Senso.Api;
using SensoClassLink.Core.Senso.Local;
using SensoClassLink.Core.State;

namespace SensoClassLink.Session;

/// <summary>
/// A runspace's connection to one deployment (like Connect-MgGraph): the validated configuration and the roster and
/// Senso endpoints it describes. Commands of the runspace share it; Connect-SensoClassLink replaces it, disposing the
/// previous connection's Senso provider, sign-in and state store; Disconnect-SensoClassLink disposes it. Each runspace
/// has its own (see <see cref="RunspaceConnectionSlot"/>), so runspaces never dispose each other's connection.
/// </summary>
public sealed class ModuleConnection : IDisposable
{
    private readonly object _lazyGate = new();
    private readonly Func<string, Task>? _deviceCodePrompt;
    private ISensoProvider? _senso;
    private IDisposable? _signIn;
    private StateStore? _state;
    private bool _disposed;

    private ModuleConnection(SensoClassLinkConfiguration configuration, Func<string, Task>? deviceCodePrompt)
    {
        Configuration = configuration;
        ConnectedAt = DateTimeOffset.Now;
        _deviceCodePrompt = deviceCodePrompt;
    }

    public SensoClassLinkConfiguration Configuration { get; }

    public DateTimeOffset ConnectedAt { get; }

    /// <summary>True when the Senso API provider signs in as a person with a device code instead of as the app.</summary>
    public bool UsesDeviceCode => _deviceCodePrompt is not null;

    /// <summary>The connection made in this runspace, or null.</summary>
    public static ModuleConnection? Current => RunspaceConnectionSlot.Current.Connection;

    /// <summary>Validates the configuration file and makes it this runspace's connection.</summary>
    /// <param name="deviceCodePrompt">For the Senso API provider: sign in as a person with a device code, showing MSAL's message through this.</param>
    public static ModuleConnection Connect(string? configPath, Func<string, Task>? deviceCodePrompt = null)
    {
        var configuration = ConfigurationLoader.LoadFile(ConfigurationLoader.ResolvePath(configPath));
        if (deviceCodePrompt is not null && configuration.Senso.Provider != SensoProviderKind.api)
        {
            throw new ConfigurationException("-DeviceCode signs in to the Senso API, but this configuration uses the local tenant (senso.provider: local).");
        }
        var connection = new ModuleConnection(configuration, deviceCodePrompt);
        RunspaceConnectionSlot.Current.Set(connection);
        return connection;
    }

    /// <summary>
    /// This runspace's connection, or one made from $env:SENSOCLASSLINK_CONFIG / the per-user default when the runspace
    /// never connected. After Disconnect-SensoClassLink it throws <see cref="NotConnectedException"/> instead: a runspace
    /// that was disconnected on purpose must not quietly connect to whatever configuration it finds.
    /// </summary>
    public static ModuleConnection GetOrConnectDefault()
    {
        var slot = RunspaceConnectionSlot.Current;
        if (slot.Connection is { } current)
        {
            return current;
        }
        if (slot.Disconnected)
        {
            throw new NotConnectedException();
        }
        return Connect(null);
    }

    /// <summary>Disposes this runspace's connection (Disconnect-SensoClassLink) and returns it, or null when there was none.</summary>
    public static ModuleConnection? Disconnect() => RunspaceConnectionSlot.Current.Clear(explicitly: true);

    /// <summary>Forgets a connection whose sign-in failed during Connect-SensoClassLink; the runspace is as if it never connected.</summary>
    internal static void Abandon(ModuleConnection connection) => RunspaceConnectionSlot.Current.Drop(connection);

    /// <summary>
    /// The module is being removed from this runspace (Remove-Module): dispose its connection. A later Import-Module
    /// starts as if the runspace had never connected.
    /// </summary>
    public static void DisposeForModuleRemoval() => RunspaceConnectionSlot.Current.Clear(explicitly: false);

    /// <summary>Opens a fresh roster source for one command; the caller disposes it.</summary>
    public IRosterSource OpenRoster(RosterReadObserver observer)
    {
        var classLink = Configuration.ClassLink;
        return classLink.Source switch
        {
            RosterSourceKind.csv => new CsvRosterSource(classLink.Csv.Path!, observer),
            RosterSourceKind.api => new RestRosterSource(classLink.Api, observer),
            _ => throw new NotSupportedException($"Unknown roster source '{classLink.Source}'."),
        };
    }

    /// <summary>
    /// The Senso provider of this connection, opened on first use and shared by later commands (it is safe for
    /// concurrent calls). Do not dispose it: the connection does, when replaced.
    /// </summary>
    public ISensoProvider Senso
    {
        get
        {
            lock (_lazyGate)
            {
                ThrowIfDisposed();
                return _senso ??= OpenSenso();
            }
        }
    }

    /// <summary>The module's state store (state.path), opened on first use. Do not dispose it.</summary>
    public StateStore State
    {
        get
        {
            lock (_lazyGate)
            {
                ThrowIfDisposed();
                return _state ??= new StateStore(Configuration.State.Path!, Configuration.State.JournalMode, clock: null);
            }
        }
    }

    /// <summary>The state store when its file exists already, else null: what-if runs and listings read state but never create it.</summary>
    public StateStore? ExistingState
    {
        get
        {
            lock (_lazyGate)
            {
                return _state is not null || System.IO.File.Exists(Configuration.State.Path) ? State : null;
            }
        }
    }

    /// <summary>The Senso provider when it is already open, else null (for argument completion, which must not open files or sign in).</summary>
    internal ISensoProvider? OpenedSenso
    {
        get
        {
            lock (_lazyGate)
            {
                return _senso;
            }
        }
    }

    private ISensoProvider OpenSenso()
    {
        var senso = Configuration.Senso;
        if (senso.Provider == SensoProviderKind.local)
        {
            return new LocalTenantProvider(senso.Local.Path!, senso.Local.Roles, senso.Local.Sites, senso.Local.JournalMode);
        }
        ISensoTokenSource tokens = _deviceCodePrompt is not null
            ? MsalDeviceCodeTokenSource.Create(senso.Api, _deviceCodePrompt)
            : MsalClientCredentialTokenSource.Create(senso.Api);
        _signIn = tokens as IDisposable;
        var retry = new HttpRetryOptions
        {
            MaxRetries = senso.Api.MaxRetries,
            AttemptTimeout = TimeSpan.FromSeconds(senso.Api.TimeoutSeconds),
        };
        // Commands take their own view (ISupportsCommandScope) with -ThrottleLimit and their verbose lines; this shared
        // provider, used by argument completion, keeps senso.api.maxConcurrency and says nothing.
        return new SensoApiProvider(senso.Api.BaseUrl!, tokens, retry, maxConcurrency: senso.Api.MaxConcurrency);
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(ModuleConnection), "This connection was closed by Disconnect-SensoClassLink or replaced by a newer Connect-SensoClassLink.");
        }
    }

    public void Dispose()
    {
        lock (_lazyGate)
        {
            _disposed = true;
            _senso?.Dispose();
            _signIn?.Dispose();
            _state?.Dispose();
            _senso = null;
            _signIn = null;
            _state = null;
        }
    }
}
