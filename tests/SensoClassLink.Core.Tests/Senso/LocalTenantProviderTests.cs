using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.Senso.Local;
using SensoClassLink.Core.Sqlite;

namespace SensoClassLink.Core.Tests.Senso;

/// <summary>The shared provider suite over the embedded tenant, plus what only a local file has.</summary>
public sealed class LocalTenantProviderTests : SensoProviderContractTests
{
    private string TenantPath => Temp.File("tenant.db");

    protected override ISensoProvider OpenProvider() => new LocalTenantProvider(TenantPath, SeedRoles, SeedSites);

    [Fact]
    public void Seeding_adds_missing_names_and_never_removes()
    {
        using (new LocalTenantProvider(TenantPath, new[] { "Teacher" }, new[] { "Main" }))
        {
        }
        using var reopened = new LocalTenantProvider(TenantPath, new[] { "Staff" }, new[] { "East" });
        var roles = reopened.GetRolesAsync(None).Result.Select(r => r.Name);
        var sites = reopened.GetSitesAsync(None).Result.Select(s => s.Name);
        Assert.Equal(new[] { "Staff", "Teacher" }, roles);
        Assert.Equal(new[] { "East", "Main" }, sites);
    }

    [Fact]
    public void The_file_uses_wal_and_is_readable_by_its_owner_only()
    {
        _ = Provider.GetRolesAsync(None).Result;
        using (var connection = new SqliteConnection("Data Source=" + TenantPath + ";Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode;";
            Assert.Equal("wal", command.ExecuteScalar());
        }
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(TenantPath));
        }
    }

    [Fact]
    public void A_tenant_made_before_user_status_existed_is_migrated_and_its_users_read_as_active()
    {
        Provider.CreateUserAsync(Teacher("old@district.org"), None).Wait();
        Provider.Dispose();
        // Put the file back to schema version 1, as the module before user status left it.
        using (var connection = new SqliteConnection("Data Source=" + TenantPath + ";Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "ALTER TABLE users DROP COLUMN status; DELETE FROM schema_version WHERE version = 2;";
            command.ExecuteNonQuery();
        }

        using var reopened = new LocalTenantProvider(TenantPath);
        var user = reopened.FindUserByEmailAsync("old@district.org", None).Result!;
        Assert.Equal(SensoUserStatus.Active, user.Status);
        Assert.Equal(SensoUserStatus.Suspended, reopened.SetUserStatusAsync(user.Id, SensoUserStatus.Suspended, None).Result.Status);
    }

    [Fact]
    public void A_file_from_a_newer_module_is_refused_with_a_clear_message()
    {
        _ = Provider.GetRolesAsync(None).Result;
        Provider.Dispose();
        using (var connection = new SqliteConnection("Data Source=" + TenantPath + ";Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES (99, 'later');";
            command.ExecuteNonQuery();
        }
        var error = Assert.Throws<DatabaseFileException>(() => new LocalTenantProvider(TenantPath));
        Assert.Contains("schema version 99", error.Message);
        Assert.Contains(TenantPath, error.Message);
        Assert.Contains("newer SensoClassLink", error.Message);
    }

    [Fact]
    public void A_foreign_sqlite_file_or_a_state_store_is_not_opened_as_a_tenant()
    {
        string foreign = Temp.File("other.db");
        using (var connection = new SqliteConnection("Data Source=" + foreign + ";Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE things (x);";
            command.ExecuteNonQuery();
        }
        Assert.Contains("not a SensoClassLink local Senso tenant", Assert.Throws<DatabaseFileException>(() => new LocalTenantProvider(foreign)).Message);

        string state = Temp.File("state.db");
        new SensoClassLink.Core.State.StateStore(state).Dispose();
        Assert.Throws<DatabaseFileException>(() => new LocalTenantProvider(state));
    }

    [Fact]
    public void A_file_that_is_not_sqlite_gives_an_error_naming_it()
    {
        string junk = Temp.File("junk.db");
        File.WriteAllText(junk, new string('x', 4096));
        var error = Assert.Throws<DatabaseFileException>(() => new LocalTenantProvider(junk));
        Assert.Contains(junk, error.Message);
    }
}
