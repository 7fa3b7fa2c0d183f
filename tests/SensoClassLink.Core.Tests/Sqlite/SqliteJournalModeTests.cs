using Microsoft.Data.Sqlite;
using SensoClassLink.Core.Senso.Local;
using SensoClassLink.Core.Sqlite;
using SensoClassLink.Core.State;

namespace SensoClassLink.Core.Tests.Sqlite;

/// <summary>A module database on a network file system: refused under WAL, accepted when the DELETE journal is chosen.</summary>
public sealed class SqliteJournalModeTests : IDisposable
{
    private static readonly string[] Migrations = { "CREATE TABLE items (id INTEGER PRIMARY KEY);" };
    private readonly TempDirectory _temp = new();

    private static NetworkLocation? OnShare(string path) => new(path, "a network file system (nfs4)", "/srv/senso");

    private static NetworkLocation? Local(string path) => null;

    [Fact]
    public void A_wal_file_on_a_network_file_system_is_refused_before_anything_is_written()
    {
        string path = _temp.File("state.db");
        var error = Assert.Throws<DatabaseFileException>(() =>
            new SqliteFile(path, "state store", 0x5343_4C53, Migrations, new SqliteStorage(SqliteJournalMode.Wal, "state"), OnShare));

        Assert.Contains(path, error.Message);
        Assert.Contains("a network file system (nfs4) mounted at /srv/senso", error.Message);
        Assert.Contains("WAL", error.Message);
        Assert.Contains("state.path", error.Message);
        Assert.Contains("state.journalMode: delete", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void With_the_delete_journal_chosen_the_file_on_a_share_is_opened_with_every_commit_synced()
    {
        string path = _temp.File("state.db");
        using var file = new SqliteFile(path, "state store", 0x5343_4C53, Migrations, new SqliteStorage(SqliteJournalMode.Delete, "state"), OnShare);
        file.Write((connection, transaction) => SqliteFile.Execute(connection, transaction, "INSERT INTO items (id) VALUES (1);"));

        using var connection = file.Open();
        Assert.Equal("delete", SqliteFile.Scalar(connection, null, "PRAGMA journal_mode;"));
        Assert.Equal(2L, SqliteFile.Scalar(connection, null, "PRAGMA synchronous;")); // FULL
        Assert.False(File.Exists(path + "-wal"));
        Assert.False(File.Exists(path + "-shm"));
    }

    [Fact]
    public void A_local_file_keeps_wal_with_normal_sync_by_default()
    {
        using var file = new SqliteFile(_temp.File("state.db"), "state store", 0x5343_4C53, Migrations, new SqliteStorage(SqliteJournalMode.Wal, "state"), Local);
        using var connection = file.Open();
        Assert.Equal("wal", SqliteFile.Scalar(connection, null, "PRAGMA journal_mode;"));
        Assert.Equal(1L, SqliteFile.Scalar(connection, null, "PRAGMA synchronous;")); // NORMAL
    }

    [Fact]
    public async Task A_wal_file_moved_to_the_delete_journal_is_converted_and_keeps_its_rows()
    {
        string path = _temp.File("tenant.db");
        using (var tenant = new LocalTenantProvider(path, new[] { "Teacher" }, new[] { "Main" }))
        {
        }
        using (var tenant = new LocalTenantProvider(path, null, null, SqliteJournalMode.Delete))
        {
            Assert.Equal(new[] { "Teacher" }, (await tenant.GetRolesAsync(CancellationToken.None)).Select(r => r.Name));
        }
        using var connection = new SqliteConnection("Data Source=" + path + ";Pooling=False");
        connection.Open();
        Assert.Equal("delete", SqliteFile.Scalar(connection, null, "PRAGMA journal_mode;"));
    }

    [Fact]
    public void The_state_store_on_a_share_path_names_its_own_keys()
    {
        const string share = @"\\fileserver\district\senso\state.db";
        var error = Assert.Throws<DatabaseFileException>(() => new StateStore(share));
        Assert.Contains("state store '" + share + "' is on a Windows share (UNC path)", error.Message);
        Assert.Contains("state.journalMode: delete", error.Message);
        Assert.False(File.Exists(share));
    }

    [Fact]
    public void The_local_tenant_on_a_share_path_names_its_own_keys()
    {
        const string share = "//fileserver/district/senso/tenant.db";
        var error = Assert.Throws<DatabaseFileException>(() => new LocalTenantProvider(share));
        Assert.Contains("local Senso tenant", error.Message);
        Assert.Contains("senso.local.path", error.Message);
        Assert.Contains("senso.local.journalMode: delete", error.Message);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }
}
