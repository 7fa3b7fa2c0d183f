using SensoClassLink.Core.Eligibility;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Newtonsoft.Json;
using SensoClassLink.Core.Sqlite;

namespace SensoClassLink.Core.Senso.Local;

/// <summary>
/// The embedded Senso tenant: roles, sites, users, ClassLink groups and integration settings in one SQLite
/// file. The default provider, so the whole module runs and is tested on one machine. Safe for concurrent calls.
/// </summary>
public sealed class LocalTenantProvider : ISensoProvider
{
    private const int ApplicationId = 0x53434C54; // "SCLT"

    private static readonly string[] Migrations =
    {
        """
        CREATE TABLE roles (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        CREATE TABLE sites (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        CREATE TABLE users (
            id TEXT PRIMARY KEY,
            email TEXT NOT NULL,
            email_key TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            display_key TEXT NOT NULL,
            role_id TEXT NOT NULL REFERENCES roles(id),
            site_id TEXT NOT NULL REFERENCES sites(id),
            source TEXT NOT NULL,
            sourced_ids TEXT NOT NULL,
            created_at TEXT NOT NULL);
        CREATE TABLE class_groups (key TEXT PRIMARY KEY, name TEXT NOT NULL, updated_at TEXT NOT NULL);
        CREATE TABLE group_owners (
            group_key TEXT NOT NULL REFERENCES class_groups(key) ON DELETE CASCADE,
            owner_key TEXT NOT NULL,
            PRIMARY KEY (group_key, owner_key)) WITHOUT ROWID;
        CREATE INDEX group_owners_by_owner ON group_owners(owner_key);
        CREATE TABLE group_members (
            group_key TEXT NOT NULL REFERENCES class_groups(key) ON DELETE CASCADE,
            member TEXT NOT NULL,
            PRIMARY KEY (group_key, member)) WITHOUT ROWID;
        CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT);
        """,
        // Version 2: a user's status (issue 11: departed teachers are suspended, never deleted). Existing users read as active.
        """
        ALTER TABLE users ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
        """,
    };

    private readonly SqliteFile _file;

    /// <summary>Opens (creating and migrating when needed) the tenant and adds any missing seed roles and sites.</summary>
    public LocalTenantProvider(string path, IEnumerable<string>? seedRoles = null, IEnumerable<string>? seedSites = null)
        : this(path, seedRoles, seedSites, SqliteJournalMode.Wal)
    {
    }

    /// <summary>Opens (creating and migrating when needed) the tenant and adds any missing seed roles and sites.</summary>
    /// <param name="journalMode">senso.local.journalMode: WAL, or DELETE for a file an administrator keeps on a network share.</param>
    public LocalTenantProvider(string path, IEnumerable<string>? seedRoles, IEnumerable<string>? seedSites, SqliteJournalMode journalMode)
    {
        _file = new SqliteFile(path, "local Senso tenant", ApplicationId, Migrations, new SqliteStorage(journalMode, "senso.local"));
        Seed("roles", seedRoles);
        Seed("sites", seedSites);
    }

    public string Description => "local tenant " + _file.Path;

    /// <summary>The tenant file.</summary>
    public string Path => _file.Path;

    public Task<IReadOnlyList<SensoRole>> GetRolesAsync(CancellationToken cancellationToken) =>
        Run(cancellationToken, () => (IReadOnlyList<SensoRole>)ReadNames("roles").Select(r => new SensoRole { Id = r.Id, Name = r.Name }).ToList());

    public Task<IReadOnlyList<SensoSite>> GetSitesAsync(CancellationToken cancellationToken) =>
        Run(cancellationToken, () => (IReadOnlyList<SensoSite>)ReadNames("sites").Select(r => new SensoSite { Id = r.Id, Name = r.Name }).ToList());

    public Task<SensoUser?> FindUserByEmailAsync(string email, CancellationToken cancellationToken) =>
        Run(cancellationToken, () => _file.Read(c => FindUser(c, null, EmailAddress.Normalize(email))));

    public Task<SensoUserPage> SearchUsersAsync(string? search, int top, int skip, CancellationToken cancellationToken)
    {
        if (top < 0 || skip < 0)
        {
            throw new ArgumentOutOfRangeException(top < 0 ? nameof(top) : nameof(skip), "top and skip must not be negative.");
        }
        return Run(cancellationToken, () => _file.Read(c =>
        {
            string needle = (search ?? "").Trim().ToLowerInvariant();
            const string where = "WHERE ($s = '' OR instr(u.email_key, $s) > 0 OR instr(u.display_key, $s) > 0)";
            int total = Convert.ToInt32(SqliteFile.Scalar(c, null, "SELECT count(*) FROM users u " + where, ("$s", needle)), CultureInfo.InvariantCulture);
            var users = new List<SensoUser>();
            using var command = SqliteFile.Command(c, null, UserSelect + where + " ORDER BY u.email_key LIMIT $top OFFSET $skip",
                ("$s", needle), ("$top", top), ("$skip", skip));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                users.Add(ReadUser(reader));
            }
            return new SensoUserPage { Users = users, Total = total };
        }));
    }

    public Task<CreateUserResult> CreateUserAsync(NewSensoUser user, CancellationToken cancellationToken) =>
        Run(cancellationToken, () => CreateUser(user));

    /// <summary>Creates the user; answers Exists with the existing account when the email (case-insensitive) is taken.</summary>
    public CreateUserResult CreateUser(NewSensoUser user) => CreateUser(user, "classlink");

    /// <summary>
    /// Creates a user with another <paramref name="source"/>, as an administrator makes one by hand in Senso (for tests and the
    /// contract server: the integration only ever creates "classlink" users, and never renames, suspends or reactivates others).
    /// </summary>
    public CreateUserResult CreateUser(NewSensoUser user, string source)
    {
        string emailKey = EmailAddress.Normalize(user.Email);
        if (emailKey.Length == 0)
        {
            throw new ArgumentException("A Senso user needs an email address (it is the username).", nameof(user));
        }
        return _file.Write((c, t) =>
        {
            if (FindUser(c, t, emailKey) is { } existing)
            {
                return new CreateUserResult(CreateUserOutcome.Exists, existing);
            }
            var role = ResolveName(c, t, "roles", "role", user.Role);
            var site = ResolveName(c, t, "sites", "site", user.Site);
            string displayName = string.IsNullOrWhiteSpace(user.DisplayName) ? emailKey : user.DisplayName.Trim();
            SqliteFile.Execute(c, t,
                "INSERT INTO users (id, email, email_key, display_name, display_key, role_id, site_id, source, sourced_ids, created_at) " +
                "VALUES ($id, $email, $key, $name, $nameKey, $role, $site, $source, $sourcedIds, $at);",
                ("$id", Guid.NewGuid().ToString("D")), ("$email", emailKey), ("$key", emailKey), ("$name", displayName),
                ("$nameKey", displayName.ToLowerInvariant()), ("$role", role.Id), ("$site", site.Id), ("$source", source),
                ("$sourcedIds", JsonConvert.SerializeObject(user.SourcedIds.Distinct(StringComparer.Ordinal).ToArray())),
                ("$at", DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture)));
            return new CreateUserResult(CreateUserOutcome.Created, FindUser(c, t, emailKey)!);
        });
    }

    public Task<SensoUser> RenameUserAsync(string userId, string newEmail, CancellationToken cancellationToken) =>
        Run(cancellationToken, () => RenameUser(userId, newEmail));

    /// <summary>
    /// Synchronous form of <see cref="RenameUserAsync"/>: one IMMEDIATE transaction moves the username and every group
    /// ownership (group_owners holds owners by email), so no reader ever sees the user under one email and its groups under the other.
    /// </summary>
    public SensoUser RenameUser(string userId, string newEmail)
    {
        string newKey = EmailAddress.Normalize(newEmail);
        if (newKey.Length == 0)
        {
            throw new ArgumentException("A Senso user needs an email address (it is the username).", nameof(newEmail));
        }
        return _file.Write((c, t) =>
        {
            var user = FindUserById(c, t, userId) ?? throw SensoUserNotFoundException.ForId(userId);
            string oldKey = EmailAddress.Normalize(user.Email);
            if (oldKey == newKey)
            {
                return user;
            }
            if (FindUser(c, t, newKey) is not null)
            {
                throw new SensoEmailInUseException(newKey);
            }
            SqliteFile.Execute(c, t, "UPDATE users SET email = $e, email_key = $e WHERE id = $id;", ("$e", newKey), ("$id", user.Id));
            // A group may already list the new email as a co-owner (co-owners need not be Senso users yet): keep one row.
            SqliteFile.Execute(c, t,
                "DELETE FROM group_owners WHERE owner_key = $old AND group_key IN (SELECT group_key FROM group_owners WHERE owner_key = $new);",
                ("$old", oldKey), ("$new", newKey));
            SqliteFile.Execute(c, t, "UPDATE group_owners SET owner_key = $new WHERE owner_key = $old;", ("$old", oldKey), ("$new", newKey));
            return FindUserById(c, t, user.Id)!;
        });
    }

    public Task<SensoUser> SetUserStatusAsync(string userId, SensoUserStatus status, CancellationToken cancellationToken) =>
        Run(cancellationToken, () => SetUserStatus(userId, status));

    /// <summary>Synchronous form of <see cref="SetUserStatusAsync"/>: one IMMEDIATE transaction; the same status again changes nothing.</summary>
    public SensoUser SetUserStatus(string userId, SensoUserStatus status)
    {
        string value = StatusValue(status);
        return _file.Write((c, t) =>
        {
            var user = FindUserById(c, t, userId) ?? throw SensoUserNotFoundException.ForId(userId);
            if (user.Status == status)
            {
                return user;
            }
            SqliteFile.Execute(c, t, "UPDATE users SET status = $s WHERE id = $id;", ("$s", value), ("$id", user.Id));
            return FindUserById(c, t, user.Id)!;
        });
    }

    private static string StatusValue(SensoUserStatus status) => status switch
    {
        SensoUserStatus.Active => "active",
        SensoUserStatus.Suspended => "suspended",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "The status must be Active or Suspended."),
    };

    public Task<GroupReplaceResult> ReplaceUserGroupsAsync(string ownerEmail, IReadOnlyList<SensoGroup> groups, CancellationToken cancellationToken) =>
        Run(cancellationToken, () => ReplaceUserGroups(ownerEmail, groups));

    /// <summary>
    /// Synchronous form of <see cref="ReplaceUserGroupsAsync"/>: one transaction for the owner's whole set.
    /// The owner must be a Senso user (<see cref="SensoUserNotFoundException"/> otherwise); co-owners need not be.
    /// </summary>
    public GroupReplaceResult ReplaceUserGroups(string ownerEmail, IReadOnlyList<SensoGroup> groups)
    {
        string owner = EmailAddress.Normalize(ownerEmail);
        if (owner.Length == 0)
        {
            throw new ArgumentException("The group owner's email is empty.", nameof(ownerEmail));
        }
        var desired = GroupSet.Normalize(owner, groups);
        return _file.Write((c, t) =>
        {
            if (FindUser(c, t, owner) is null)
            {
                throw new SensoUserNotFoundException(owner);
            }
            var current = new HashSet<string>(StringComparer.Ordinal);
            using (var command = SqliteFile.Command(c, t, "SELECT group_key FROM group_owners WHERE owner_key = $o;", ("$o", owner)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    current.Add(reader.GetString(0));
                }
            }

            var added = new List<string>();
            var updated = new List<string>();
            var unchanged = new List<string>();
            string now = DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture);
            foreach (var group in desired)
            {
                var existing = ReadGroup(c, t, group.Key);
                if (existing is null)
                {
                    SqliteFile.Execute(c, t, "INSERT INTO class_groups (key, name, updated_at) VALUES ($k, $n, $at);", ("$k", group.Key), ("$n", group.Name), ("$at", now));
                    WriteMembers(c, t, group);
                    added.Add(group.Key);
                    continue;
                }
                bool same = existing.Name == group.Name && existing.Owners.SequenceEqual(group.Owners) && existing.Members.SequenceEqual(group.Members);
                if (!same)
                {
                    SqliteFile.Execute(c, t, "UPDATE class_groups SET name = $n, updated_at = $at WHERE key = $k;", ("$k", group.Key), ("$n", group.Name), ("$at", now));
                    SqliteFile.Execute(c, t, "DELETE FROM group_owners WHERE group_key = $k; DELETE FROM group_members WHERE group_key = $k;", ("$k", group.Key));
                    WriteMembers(c, t, group);
                }
                (current.Contains(group.Key) ? (same ? unchanged : updated) : added).Add(group.Key);
            }

            var desiredKeys = new HashSet<string>(desired.Select(g => g.Key), StringComparer.Ordinal);
            var removed = current.Where(k => !desiredKeys.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
            foreach (string key in removed)
            {
                SqliteFile.Execute(c, t, "DELETE FROM group_owners WHERE group_key = $k AND owner_key = $o;", ("$k", key), ("$o", owner));
                // A co-taught class stays while another teacher still owns it.
                SqliteFile.Execute(c, t, "DELETE FROM class_groups WHERE key = $k AND NOT EXISTS (SELECT 1 FROM group_owners WHERE group_key = $k);", ("$k", key));
            }
            return new GroupReplaceResult { Added = added, Removed = removed, Updated = updated, Unchanged = unchanged };
        });
    }

    public Task<IReadOnlyList<SensoGroup>> GetGroupsAsync(string? ownerEmail, CancellationToken cancellationToken) =>
        Run(cancellationToken, () => _file.Read(c =>
        {
            var keys = new List<string>();
            using (var command = ownerEmail is null
                ? SqliteFile.Command(c, null, "SELECT key FROM class_groups ORDER BY key;")
                : SqliteFile.Command(c, null, "SELECT group_key FROM group_owners WHERE owner_key = $o ORDER BY group_key;", ("$o", EmailAddress.Normalize(ownerEmail))))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    keys.Add(reader.GetString(0));
                }
            }
            return (IReadOnlyList<SensoGroup>)keys.OrderBy(k => k, StringComparer.Ordinal).Select(k => ReadGroup(c, null, k)!).ToList();
        }));

    public Task<IntegrationSettings> GetSettingsAsync(CancellationToken cancellationToken) =>
        Run(cancellationToken, () => _file.Read(c =>
        {
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            using var command = SqliteFile.Command(c, null, "SELECT name, value FROM settings;");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                values[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
            }
            return new IntegrationSettings
            {
                AutomaticallyCreateUsers = values.TryGetValue("automaticallyCreateUsers", out var a) && a == "true",
                DefaultRole = values.TryGetValue("defaultRole", out var r) ? r : null,
                DefaultSite = values.TryGetValue("defaultSite", out var s) ? s : null,
                SuspendDepartedUsers = values.TryGetValue("suspendDepartedUsers", out var d) && d == "true",
                SuspendAfterDays = values.TryGetValue("suspendAfterDays", out var n) && int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int days)
                    ? days : IntegrationSettings.DefaultSuspendAfterDays,
            };
        }));

    /// <summary>Saves the settings; a default role or site must name one the tenant has (resolved like any name).</summary>
    public Task SaveSettingsAsync(IntegrationSettings settings, CancellationToken cancellationToken) =>
        Run(cancellationToken, () => _file.Write((c, t) =>
        {
            if (settings.SuspendAfterDays is < 0 or > IntegrationSettings.MaxSuspendAfterDays)
            {
                throw new ArgumentOutOfRangeException(nameof(settings), settings.SuspendAfterDays,
                    $"SuspendAfterDays must be between 0 and {IntegrationSettings.MaxSuspendAfterDays}.");
            }
            string? role = string.IsNullOrWhiteSpace(settings.DefaultRole) ? null : ResolveName(c, t, "roles", "role", settings.DefaultRole!).Name;
            string? site = string.IsNullOrWhiteSpace(settings.DefaultSite) ? null : ResolveName(c, t, "sites", "site", settings.DefaultSite!).Name;
            const string upsert = "INSERT INTO settings (name, value) VALUES ($n, $v) ON CONFLICT(name) DO UPDATE SET value = excluded.value;";
            SqliteFile.Execute(c, t, upsert, ("$n", "automaticallyCreateUsers"), ("$v", settings.AutomaticallyCreateUsers ? "true" : "false"));
            SqliteFile.Execute(c, t, upsert, ("$n", "defaultRole"), ("$v", role));
            SqliteFile.Execute(c, t, upsert, ("$n", "defaultSite"), ("$v", site));
            SqliteFile.Execute(c, t, upsert, ("$n", "suspendDepartedUsers"), ("$v", settings.SuspendDepartedUsers ? "true" : "false"));
            SqliteFile.Execute(c, t, upsert, ("$n", "suspendAfterDays"), ("$v", settings.SuspendAfterDays.ToString(CultureInfo.InvariantCulture)));
            return 0;
        }));

    /// <summary>Adds a role (no-op when present), for tests and the contract server.</summary>
    public void AddRoles(IEnumerable<string> names) => Seed("roles", names);

    /// <summary>Adds a site (no-op when present).</summary>
    public void AddSites(IEnumerable<string> names) => Seed("sites", names);

    public void Dispose() => _file.Dispose();

    private const string UserSelect =
        "SELECT u.id, u.email, u.display_name, r.name, s.name, u.source, u.sourced_ids, u.created_at, u.status " +
        "FROM users u JOIN roles r ON r.id = u.role_id JOIN sites s ON s.id = u.site_id ";

    private static SensoUser? FindUser(SqliteConnection c, SqliteTransaction? t, string emailKey)
    {
        using var command = SqliteFile.Command(c, t, UserSelect + "WHERE u.email_key = $k;", ("$k", emailKey));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadUser(reader) : null;
    }

    private static SensoUser? FindUserById(SqliteConnection c, SqliteTransaction? t, string id)
    {
        using var command = SqliteFile.Command(c, t, UserSelect + "WHERE u.id = $id;", ("$id", id ?? ""));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadUser(reader) : null;
    }

    private static SensoUser ReadUser(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Email = reader.GetString(1),
        DisplayName = reader.GetString(2),
        Role = reader.GetString(3),
        Site = reader.GetString(4),
        Source = reader.GetString(5),
        SourcedIds = JsonConvert.DeserializeObject<string[]>(reader.GetString(6)) ?? Array.Empty<string>(),
        CreatedAt = DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        Status = reader.GetString(8) == "suspended" ? SensoUserStatus.Suspended : SensoUserStatus.Active,
    };

    private static SensoGroup? ReadGroup(SqliteConnection c, SqliteTransaction? t, string key)
    {
        string? name = (string?)SqliteFile.Scalar(c, t, "SELECT name FROM class_groups WHERE key = $k;", ("$k", key));
        if (name is null)
        {
            return null;
        }
        return new SensoGroup
        {
            Key = key,
            Name = name,
            Owners = Strings(c, t, "SELECT owner_key FROM group_owners WHERE group_key = $k;", key),
            Members = Strings(c, t, "SELECT member FROM group_members WHERE group_key = $k;", key),
        };
    }

    private static IReadOnlyList<string> Strings(SqliteConnection c, SqliteTransaction? t, string sql, string key)
    {
        var values = new List<string>();
        using var command = SqliteFile.Command(c, t, sql, ("$k", key));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }
        values.Sort(StringComparer.Ordinal);
        return values;
    }

    private static void WriteMembers(SqliteConnection c, SqliteTransaction t, SensoGroup group)
    {
        using (var owners = SqliteFile.Command(c, t, "INSERT INTO group_owners (group_key, owner_key) VALUES ($k, $v);", ("$k", group.Key), ("$v", "")))
        {
            foreach (string owner in group.Owners)
            {
                owners.Parameters["$v"].Value = owner;
                owners.ExecuteNonQuery();
            }
        }
        using var members = SqliteFile.Command(c, t, "INSERT INTO group_members (group_key, member) VALUES ($k, $v);", ("$k", group.Key), ("$v", ""));
        foreach (string member in group.Members)
        {
            members.Parameters["$v"].Value = member;
            members.ExecuteNonQuery();
        }
    }

    private (string Id, string Name) ResolveName(SqliteConnection c, SqliteTransaction t, string table, string kind, string requested)
    {
        var all = ReadNames(c, t, table);
        string name = NameResolver.Resolve(kind, (requested ?? "").Trim(), all.Select(n => n.Name));
        return all.First(n => n.Name == name);
    }

    private List<(string Id, string Name)> ReadNames(string table) => _file.Read(c => ReadNames(c, null, table));

    private static List<(string Id, string Name)> ReadNames(SqliteConnection c, SqliteTransaction? t, string table)
    {
        var names = new List<(string, string)>();
        using var command = SqliteFile.Command(c, t, $"SELECT id, name FROM {table} ORDER BY name;");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            names.Add((reader.GetString(0), reader.GetString(1)));
        }
        return names;
    }

    private void Seed(string table, IEnumerable<string>? names)
    {
        var wanted = names?.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (wanted is null || wanted.Count == 0)
        {
            return;
        }
        _file.Write((c, t) =>
        {
            foreach (string name in wanted)
            {
                SqliteFile.Execute(c, t, $"INSERT INTO {table} (id, name) SELECT $id, $n WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE name = $n);",
                    ("$id", Guid.NewGuid().ToString("D")), ("$n", name));
            }
        });
    }

    private static Task<T> Run<T>(CancellationToken cancellationToken, Func<T> work)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(work());
    }
}
