using System;
using System.Diagnostics;
using System.Threading;
using Microsoft.Data.Sqlite;
using SensoClassLink.Core.Sqlite;
using static SensoClassLink.Core.State.StateTime;

namespace SensoClassLink.Core.State;

/// <summary>
/// The run lock in the state file: one holder at a time across processes, with a lease so a killed run's lock
/// expires by itself. <see cref="Acquire"/> takes it; dispose the returned <see cref="RunLock"/> to release it.
/// </summary>
public sealed class RunLockStore
{
    private readonly SqliteFile _file;
    private readonly Func<DateTimeOffset> _clock;

    internal RunLockStore(SqliteFile file, Func<DateTimeOffset> clock)
    {
        _file = file;
        _clock = clock;
    }

    /// <summary>
    /// Takes the run lock for <paramref name="lease"/>, waiting up to <paramref name="wait"/> for a holder to finish.
    /// An expired lock (its process was killed or hung) is taken over. Throws <see cref="RunInProgressException"/>
    /// naming the holder when the wait runs out. Dispose the returned lock to release it; renew long runs.
    /// </summary>
    public RunLock Acquire(string owner, TimeSpan wait, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var deadline = Stopwatch.StartNew();
        string token = Guid.NewGuid().ToString("N");
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var holder = _file.Write((c, t) =>
            {
                var now = _clock();
                var current = ReadLock(c, t);
                if (current is not null && current.Value.Info.ExpiresAt > now)
                {
                    return current.Value.Info;
                }
                SqliteFile.Execute(c, t,
                    "INSERT OR REPLACE INTO run_lock (id, token, owner, pid, machine, acquired_at, expires_at) VALUES (1, $t, $o, $p, $m, $a, $e);",
                    ("$t", token), ("$o", owner), ("$p", Process.GetCurrentProcess().Id), ("$m", Environment.MachineName),
                    ("$a", Format(now)), ("$e", Format(now + lease)));
                return null;
            });
            if (holder is null)
            {
                return new RunLock(this, token, lease);
            }
            if (deadline.Elapsed >= wait)
            {
                throw new RunInProgressException(_file.Path, holder);
            }
            var pause = TimeSpan.FromMilliseconds(Math.Min(250, Math.Max(1, (wait - deadline.Elapsed).TotalMilliseconds)));
            cancellationToken.WaitHandle.WaitOne(pause);
        }
    }

    /// <summary>The current holder of the run lock, or null when it is free or expired.</summary>
    public RunLockInfo? GetHolder() => _file.Read(c =>
    {
        var current = ReadLock(c, null);
        return current is { } l && l.Info.ExpiresAt > _clock() ? l.Info : null;
    });

    internal void Renew(string token, TimeSpan lease)
    {
        bool renewed = _file.Write((c, t) => SqliteFile.Execute(c, t, "UPDATE run_lock SET expires_at = $e WHERE id = 1 AND token = $t;",
            ("$e", Format(_clock() + lease)), ("$t", token)) == 1);
        if (!renewed)
        {
            throw new InvalidOperationException($"The run lock on '{_file.Path}' was lost (it expired and another run took it over).");
        }
    }

    internal void Release(string token) =>
        _file.Write((c, t) => SqliteFile.Execute(c, t, "DELETE FROM run_lock WHERE id = 1 AND token = $t;", ("$t", token)));

    private static (string Token, RunLockInfo Info)? ReadLock(SqliteConnection c, SqliteTransaction? t)
    {
        using var command = SqliteFile.Command(c, t, "SELECT token, owner, pid, machine, acquired_at, expires_at FROM run_lock WHERE id = 1;");
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }
        return (reader.GetString(0), new RunLockInfo
        {
            Owner = reader.GetString(1),
            ProcessId = reader.GetInt32(2),
            MachineName = reader.GetString(3),
            AcquiredAt = Parse(reader.GetString(4)),
            ExpiresAt = Parse(reader.GetString(5)),
        });
    }
}

/// <summary>The held run lock. Renew it during long runs; dispose it to release.</summary>
public sealed class RunLock : IDisposable
{
    private readonly RunLockStore _store;
    private readonly string _token;
    private readonly TimeSpan _lease;
    private bool _released;

    internal RunLock(RunLockStore store, string token, TimeSpan lease)
    {
        _store = store;
        _token = token;
        _lease = lease;
    }

    /// <summary>Extends the lease from now; throws when the lock was lost to another run.</summary>
    public void Renew() => _store.Renew(_token, _lease);

    public void Dispose()
    {
        if (!_released)
        {
            _released = true;
            _store.Release(_token);
        }
    }
}
