using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace SensoClassLink.Core.Sqlite;

/// <summary>
/// One SQLite file the module owns (the local tenant or the state store): created owner-only on Unix,
/// WAL journal, busy timeout, schema migrated by version on open, and every change in one IMMEDIATE
/// transaction so a process killed at any moment leaves the old or the new state, never a mix.
/// A file on a network file system is refused before anything is written, unless its configuration
/// chose the DELETE journal (see <see cref="NetworkFileSystemDetector"/>).
/// </summary>
/// <remarks>
/// A connection per operation (pooled by Microsoft.Data.Sqlite) keeps the file safe for concurrent
/// callers; SQLite serializes writers and the busy timeout makes them wait instead of failing.
/// </remarks>
internal sealed class SqliteFile : IDisposable
{
    private const int BusyTimeoutMilliseconds = 15000;

    private readonly string _connectionString;
    private readonly string _what;
    private readonly int _applicationId;
    private readonly SqliteJournalMode _journalMode;

    /// <param name="path">The file; created when missing.</param>
    /// <param name="what">What the file is, for messages ("local Senso tenant", "state store").</param>
    /// <param name="applicationId">Written to PRAGMA application_id so one kind of file is never opened as the other.</param>
    /// <param name="migrations">SQL to bring schema version i to i+1, in order; migrations[0] creates version 1.</param>
    /// <param name="storage">The journal mode and the configuration section that sets it (named in messages).</param>
    public SqliteFile(string path, string what, int applicationId, IReadOnlyList<string> migrations, SqliteStorage storage)
        : this(path, what, applicationId, migrations, storage, NetworkFileSystemDetector.Detect)
    {
    }

    /// <summary>As the public constructor, with the network detection replaceable (tests cannot mount a share).</summary>
    internal SqliteFile(string path, string what, int applicationId, IReadOnlyList<string> migrations, SqliteStorage storage,
        Func<string, NetworkLocation?> detectNetworkLocation)
    {
        _what = what;
        _applicationId = applicationId;
        _journalMode = storage.JournalMode;
        RefuseWalOnNetworkFileSystem(path, storage, detectNetworkLocation);
        SqliteNative.EnsureInitialized();
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
        CreateOwnerOnly();
        Migrate(migrations);
    }

    public string Path { get; }

    /// <summary>The schema version this module writes.</summary>
    public int SchemaVersion { get; private set; }

    /// <summary>Opens a connection with the module's pragmas applied. The caller disposes it.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            // synchronous=NORMAL under WAL: each commit stays atomic and a killed process leaves the old or the new
            // state; only the last commits before a power cut may be rolled back, and every change the module makes
            // is idempotent, so the next run redoes them. FULL would fsync every commit: 10,000 imports took 3x longer.
            // The DELETE journal needs FULL: under NORMAL a power cut during a commit can corrupt the file.
            string synchronous = _journalMode == SqliteJournalMode.Delete ? "FULL" : "NORMAL";
            Execute(connection, null, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA synchronous = {synchronous};");
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new DatabaseFileException($"Cannot open the {_what} '{Path}': {ex.Message}", ex);
        }
    }

    /// <summary>Runs <paramref name="read"/> on a fresh connection (a consistent snapshot under WAL).</summary>
    public T Read<T>(Func<SqliteConnection, T> read)
    {
        using var connection = Open();
        return Wrap(() => read(connection));
    }

    /// <summary>Runs <paramref name="write"/> inside one BEGIN IMMEDIATE transaction, committed only when it returns.</summary>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> write)
    {
        using var connection = Open();
        return Wrap(() =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            T result = write(connection, transaction);
            transaction.Commit();
            return result;
        });
    }

    public void Write(Action<SqliteConnection, SqliteTransaction> write) =>
        Write<object?>((c, t) =>
        {
            write(c, t);
            return null;
        });

    /// <summary>Releases pooled connections so the file can be moved or deleted.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    public static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        object? value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    private T Wrap<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (SqliteException ex)
        {
            throw new DatabaseFileException($"The {_what} '{Path}' could not be read or written: {ex.Message}", ex);
        }
    }

    private void Migrate(IReadOnlyList<string> migrations)
    {
        SchemaVersion = migrations.Count;
        using var connection = Open();
        Wrap(() =>
        {
            // The journal mode is a property of the file (WAL persists); setting it outside a transaction once is enough.
            Execute(connection, null, _journalMode == SqliteJournalMode.Delete ? "PRAGMA journal_mode = DELETE;" : "PRAGMA journal_mode = WAL;");
            using var transaction = connection.BeginTransaction(deferred: false);
            long applicationId = Convert.ToInt64(Scalar(connection, transaction, "PRAGMA application_id;"));
            bool hasVersionTable = Scalar(connection, transaction,
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version';") is not null;
            long tableCount = Convert.ToInt64(Scalar(connection, transaction, "SELECT count(*) FROM sqlite_master WHERE type = 'table';"));
            if ((applicationId != 0 && applicationId != _applicationId) || (!hasVersionTable && tableCount > 0))
            {
                throw new DatabaseFileException($"The file '{Path}' is a SQLite database but not a SensoClassLink {_what}. Point the configuration at another file.");
            }
            if (!hasVersionTable)
            {
                Execute(connection, transaction, "CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL);");
                Execute(connection, transaction, $"PRAGMA application_id = {_applicationId};");
            }
            long current = Convert.ToInt64(Scalar(connection, transaction, "SELECT coalesce(max(version), 0) FROM schema_version;"));
            if (current > migrations.Count)
            {
                throw new DatabaseFileException(
                    $"The {_what} '{Path}' has schema version {current}, but this version of SensoClassLink understands up to version {migrations.Count}. " +
                    "It was written by a newer SensoClassLink: update the module (Update-Module SensoClassLink) rather than use an older one on this file.");
            }
            for (long version = current + 1; version <= migrations.Count; version++)
            {
                Execute(connection, transaction, migrations[(int)version - 1]);
                Execute(connection, transaction, "INSERT INTO schema_version (version, applied_at) VALUES ($v, $at);",
                    ("$v", version), ("$at", DateTimeOffset.UtcNow.ToString("o")));
            }
            transaction.Commit();
            return 0;
        });
    }

    private void RefuseWalOnNetworkFileSystem(string path, SqliteStorage storage, Func<string, NetworkLocation?> detect)
    {
        if (storage.JournalMode != SqliteJournalMode.Wal)
        {
            return;
        }
        NetworkLocation? location = detect(path);
        if (location is null)
        {
            return;
        }
        string section = storage.ConfigurationSection;
        throw new DatabaseFileException(
            $"The {_what} '{path}' is on {location.Description}. SQLite's WAL journal, which this file uses by default, keeps " +
            "its index in shared memory that network file systems do not keep consistent, so the file could be corrupted. " +
            $"Point {section}.path at a local disk; or, if the file must stay on the share and only one machine ever uses it " +
            $"at a time, set {section}.journalMode: delete (slower: every commit is written through).");
    }

    /// <summary>Creates a missing file as owner read/write only on Unix; SQLite gives its -wal and -shm files the same mode.</summary>
    private void CreateOwnerOnly()
    {
        if (File.Exists(Path))
        {
            return;
        }
        string? directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        try
        {
            using (new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite))
            {
            }
        }
        catch (IOException) when (File.Exists(Path))
        {
            return; // another process created it first; it set the mode.
        }
        try
        {
            OwnerOnlyAccess.Restrict(Path, OwnerOnlyAccess.File);
        }
        catch (IOException ex)
        {
            throw new DatabaseFileException($"Cannot restrict the {_what} '{Path}' to its owner ({ex.Message})", ex);
        }
    }
}

/// <summary>How one module database is stored: its journal mode, and the configuration section ("state", "senso.local") that sets it.</summary>
public sealed record SqliteStorage(SqliteJournalMode JournalMode, string ConfigurationSection);

/// <summary>A module database file that cannot be opened, migrated, read or written; the message names the file.</summary>
public sealed class DatabaseFileException : Exception
{
    public DatabaseFileException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
