using System;
using SensoClassLink.Core.Sqlite;
using SensoClassLink.Core.Sync;

namespace SensoClassLink.Core.State;

/// <summary>
/// The module's own state: one SQLite file (<c>state.path</c>) with the durability rules of <see cref="SqliteFile"/>
/// (WAL, one IMMEDIATE transaction per change, owner-only file, schema versioned by forward-only migrations), and
/// the six stores kept in it, each a small class with one job:
/// <list type="bullet">
/// <item><see cref="RunLock"/>: serializes runs across processes; a killed run's lock expires;</item>
/// <item><see cref="GroupSyncQueue"/>: one group-sync job per teacher, with retries;</item>
/// <item><see cref="RunHistory"/>: one record per run, with its figures;</item>
/// <item><see cref="Fingerprints"/>: each teacher's last synced group fingerprint;</item>
/// <item><see cref="ImportJournal"/>: every import decision (streamed);</item>
/// <item><see cref="Departures"/>: departed ClassLink users and the first roster date each was seen departed.</item>
/// </list>
/// Thread-safe: every call opens its own connection.
/// </summary>
public sealed partial class StateStore : IDisposable
{
    private const int ApplicationId = 0x53434C53; // "SCLS"

    private static readonly string[] Migrations =
    {
        """
        CREATE TABLE run_lock (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            token TEXT NOT NULL,
            owner TEXT NOT NULL,
            pid INTEGER NOT NULL,
            machine TEXT NOT NULL,
            acquired_at TEXT NOT NULL,
            expires_at TEXT NOT NULL);
        CREATE TABLE group_sync_jobs (
            email TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            last_error TEXT,
            reason TEXT NOT NULL,
            queued_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            next_attempt_at TEXT NOT NULL,
            completed_at TEXT);
        CREATE INDEX group_sync_jobs_due ON group_sync_jobs(status, next_attempt_at);
        CREATE TABLE sync_runs (
            run_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            status TEXT NOT NULL,
            roster_users INTEGER NOT NULL,
            roster_classes INTEGER NOT NULL,
            roster_enrollments INTEGER NOT NULL,
            eligible_teachers INTEGER NOT NULL,
            users_created INTEGER NOT NULL,
            users_existing INTEGER NOT NULL,
            group_syncs_completed INTEGER NOT NULL,
            group_syncs_failed INTEGER NOT NULL,
            errors TEXT NOT NULL,
            message TEXT);
        CREATE INDEX sync_runs_by_start ON sync_runs(started_at);
        CREATE TABLE group_fingerprints (email TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, updated_at TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE import_journal (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            time TEXT NOT NULL,
            run_id TEXT NOT NULL,
            email TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT,
            user_id TEXT);
        CREATE INDEX import_journal_by_run ON import_journal(run_id);
        CREATE INDEX import_journal_by_email ON import_journal(email);
        """,
        // Version 2: the data sync's further run figures, as one JSON document so later figures need no migration.
        """
        ALTER TABLE sync_runs ADD COLUMN details TEXT;
        """,
        // Version 3: departed ClassLink users and the first roster date each was seen departed (suspension after N days).
        """
        CREATE TABLE departures (user_id TEXT PRIMARY KEY, first_departed_on TEXT NOT NULL, updated_at TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE departure_baseline (id INTEGER PRIMARY KEY CHECK (id = 1), recorded_at TEXT NOT NULL);
        """,
    };

    private readonly SqliteFile _file;
    private readonly Func<DateTimeOffset> _clock;

    /// <summary>Opens (creating and migrating when needed) the state file, in WAL mode.</summary>
    public StateStore(string path, Func<DateTimeOffset>? clock = null)
        : this(path, SqliteJournalMode.Wal, clock)
    {
    }

    /// <summary>Opens (creating and migrating when needed) the state file.</summary>
    /// <param name="journalMode">state.journalMode: WAL, or DELETE for a file an administrator keeps on a network share.</param>
    public StateStore(string path, SqliteJournalMode journalMode, Func<DateTimeOffset>? clock)
    {
        _file = new SqliteFile(path, "state store", ApplicationId, Migrations, new SqliteStorage(journalMode, "state"));
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
        RunLock = new RunLockStore(_file, _clock);
        GroupSyncQueue = new GroupSyncQueue(_file, _clock);
        RunHistory = new RunHistory(_file);
        Fingerprints = new GroupFingerprintStore(_file, _clock);
        ImportJournal = new ImportJournal(_file, _clock);
        Departures = new DepartureStore(_file, _clock);
    }

    public string Path => _file.Path;

    /// <summary>The run lock: one run at a time across processes.</summary>
    public RunLockStore RunLock { get; }

    /// <summary>The group-sync queue: one job per teacher.</summary>
    public GroupSyncQueue GroupSyncQueue { get; }

    /// <summary>The run history.</summary>
    public RunHistory RunHistory { get; }

    /// <summary>The teachers' last synced group fingerprints.</summary>
    public GroupFingerprintStore Fingerprints { get; }

    /// <summary>The import journal.</summary>
    public ImportJournal ImportJournal { get; }

    /// <summary>The departed users whose days are counted towards suspension.</summary>
    public DepartureStore Departures { get; }

    /// <summary>Releases the file's pooled connections (the stores above share them).</summary>
    public void Dispose() => _file.Dispose();
}
