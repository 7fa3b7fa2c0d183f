namespace SensoClassLink.Core.Sqlite;

/// <summary>
/// How a module database keeps its journal. WAL (the default) lets readers and the writer work at once but needs
/// shared memory that only a local disk provides; DELETE, with every commit synced, is the choice an administrator
/// makes explicitly for a file that must live on a network share used by one machine at a time.
/// </summary>
public enum SqliteJournalMode
{
    Wal,
    Delete,
}
