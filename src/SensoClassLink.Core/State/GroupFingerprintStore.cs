using System;
using System.Collections.Generic;
using Microsoft.Data.Sqlite;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.Sqlite;
using static SensoClassLink.Core.State.StateTime;

namespace SensoClassLink.Core.State;

/// <summary>
/// Every teacher's last synced group fingerprint in the state file, by normalized email: the data sync compares
/// it with the roster's to find whose groups changed without asking Senso about every teacher.
/// </summary>
public sealed class GroupFingerprintStore
{
    private readonly SqliteFile _file;
    private readonly Func<DateTimeOffset> _clock;

    internal GroupFingerprintStore(SqliteFile file, Func<DateTimeOffset> clock)
    {
        _file = file;
        _clock = clock;
    }

    /// <summary>Every teacher's last synced group fingerprint, by normalized email.</summary>
    public IReadOnlyDictionary<string, string> GetAll() => _file.Read(c =>
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        using var command = SqliteFile.Command(c, null, "SELECT email, fingerprint FROM group_fingerprints;");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result[reader.GetString(0)] = reader.GetString(1);
        }
        return (IReadOnlyDictionary<string, string>)result;
    });

    /// <summary>Sets the fingerprints of the given teachers (others untouched), in one transaction.</summary>
    public void Set(IEnumerable<KeyValuePair<string, string>> fingerprints) =>
        _file.Write((c, t) => Write(c, t, fingerprints));

    /// <summary>Replaces the whole fingerprint table with <paramref name="fingerprints"/>, in one transaction.</summary>
    public void ReplaceAll(IEnumerable<KeyValuePair<string, string>> fingerprints) => _file.Write((c, t) =>
    {
        SqliteFile.Execute(c, t, "DELETE FROM group_fingerprints;");
        Write(c, t, fingerprints);
    });

    private void Write(SqliteConnection c, SqliteTransaction t, IEnumerable<KeyValuePair<string, string>> fingerprints)
    {
        using var command = SqliteFile.Command(c, t, "INSERT OR REPLACE INTO group_fingerprints (email, fingerprint, updated_at) VALUES ($e, $f, $now);",
            ("$e", ""), ("$f", ""), ("$now", Format(_clock())));
        foreach (var pair in fingerprints)
        {
            command.Parameters["$e"].Value = EmailAddress.Normalize(pair.Key);
            command.Parameters["$f"].Value = pair.Value;
            command.ExecuteNonQuery();
        }
    }
}
