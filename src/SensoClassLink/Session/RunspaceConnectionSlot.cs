using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace SensoClassLink.Session;

/// <summary>
/// One runspace's connection. Connections belong to a runspace, not to the process (PSOpenAD keeps its sessions the
/// same way, in a <see cref="ConditionalWeakTable{TKey,TValue}"/> keyed by <see cref="Runspace.DefaultRunspace"/>):
/// Connect-SensoClassLink in a thread job or a ForEach-Object -Parallel block never disposes the connection another
/// runspace is using, and a runspace that closes takes its connection with it.
/// </summary>
internal sealed class RunspaceConnectionSlot
{
    private static readonly ConditionalWeakTable<Runspace, RunspaceConnectionSlot> Slots = new();

    // Only code running outside any runspace (none of the module's) would land here; it keeps one slot of its own.
    private static readonly RunspaceConnectionSlot Detached = new();

    private readonly object _gate = new();
    private ModuleConnection? _connection;
    private bool _disconnected;

    /// <summary>The slot of the runspace running on this thread.</summary>
    public static RunspaceConnectionSlot Current
    {
        get
        {
            Runspace? runspace = Runspace.DefaultRunspace;
            return runspace is null ? Detached : Slots.GetValue(runspace, Create);
        }
    }

    /// <summary>The runspace's connection, or null.</summary>
    public ModuleConnection? Connection
    {
        get
        {
            lock (_gate)
            {
                return _connection;
            }
        }
    }

    /// <summary>True after Disconnect-SensoClassLink, until the next Connect-SensoClassLink: commands must not connect on their own.</summary>
    public bool Disconnected
    {
        get
        {
            lock (_gate)
            {
                return _disconnected;
            }
        }
    }

    /// <summary>Makes <paramref name="connection"/> this runspace's connection, disposing the one it replaces.</summary>
    public void Set(ModuleConnection connection)
    {
        ModuleConnection? previous;
        lock (_gate)
        {
            previous = _connection;
            _connection = connection;
            _disconnected = false;
        }
        previous?.Dispose();
    }

    /// <summary>
    /// Disposes the runspace's connection and returns it (null when there was none). With <paramref name="explicitly"/>
    /// (Disconnect-SensoClassLink) the runspace stays disconnected; otherwise (module removed, runspace closed, a failed
    /// sign-in) it is as if it had never connected, and the next command discovers the configuration again.
    /// </summary>
    public ModuleConnection? Clear(bool explicitly)
    {
        ModuleConnection? previous;
        lock (_gate)
        {
            previous = _connection;
            _connection = null;
            _disconnected = explicitly;
        }
        previous?.Dispose();
        return previous;
    }

    /// <summary>Forgets <paramref name="connection"/> if it is still this runspace's (a sign-in that failed during Connect).</summary>
    public void Drop(ModuleConnection connection)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_connection, connection))
            {
                return;
            }
            _connection = null;
        }
        connection.Dispose();
    }

    private static RunspaceConnectionSlot Create(Runspace runspace)
    {
        var slot = new RunspaceConnectionSlot();
        // A finished thread job or the end of ForEach-Object -Parallel closes its runspace: close its SQLite files and HTTP clients.
        runspace.StateChanged += (_, e) =>
        {
            if (e.RunspaceStateInfo.State is RunspaceState.Closed or RunspaceState.Broken)
            {
                slot.Clear(explicitly: false);
            }
        };
        return slot;
    }
}
