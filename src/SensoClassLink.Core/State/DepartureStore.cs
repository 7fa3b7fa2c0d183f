using System;
using System.Collections.Generic;
using System.Globalization;
using SensoClassLink.Core.Sqlite;
using static SensoClassLink.Core.State.StateTime;

namespace SensoClassLink.Core.State;

/// <summary>
/// The departed ClassLink users the data sync is counting days for, by Senso user id (stable across renames): the first
/// roster date (a run's as-of date) on which each was seen without an active teacher record. Only a successful nightly
/// run writes it, after its suspensions, so a held, failed, killed or what-if run leaves the count as it was.
/// </summary>
public sealed class DepartureStore
{
    private const string DateFormat = "yyyy-MM-dd";

    private readonly SqliteFile _file;
    private readonly Func<DateTimeOffset> _clock;

    internal DepartureStore(SqliteFile file, Func<DateTimeOffset> clock)
    {
        _file = file;
        _clock = clock;
    }

    /// <summary>Every tracked departure: Senso user id to the first roster date it was seen departed.</summary>
    public IReadOnlyDictionary<string, DateTime> GetAll() => _file.Read(c =>
    {
        var result = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        using var command = SqliteFile.Command(c, null, "SELECT user_id, first_departed_on FROM departures;");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result[reader.GetString(0)] = DateTime.ParseExact(reader.GetString(1), DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None);
        }
        return (IReadOnlyDictionary<string, DateTime>)result;
    });

    /// <summary>
    /// True once a successful run has recorded departures (even none): before that, every departed user is new to the
    /// count, so the shrink guard cannot yet tell a mass departure from departures that happened before the upgrade.
    /// </summary>
    public bool HasBaseline => _file.Read(c => SqliteFile.Scalar(c, null, "SELECT 1 FROM departure_baseline WHERE id = 1;") is not null);

    /// <summary>Replaces the tracked departures with <paramref name="departures"/> (users seen present are simply absent), in one transaction.</summary>
    public void ReplaceAll(IReadOnlyDictionary<string, DateTime> departures) => _file.Write((c, t) =>
    {
        string now = Format(_clock());
        SqliteFile.Execute(c, t, "DELETE FROM departures;");
        using (var command = SqliteFile.Command(c, t, "INSERT INTO departures (user_id, first_departed_on, updated_at) VALUES ($u, $d, $now);",
                   ("$u", ""), ("$d", ""), ("$now", now)))
        {
            foreach (var pair in departures)
            {
                command.Parameters["$u"].Value = pair.Key;
                command.Parameters["$d"].Value = pair.Value.ToString(DateFormat, CultureInfo.InvariantCulture);
                command.ExecuteNonQuery();
            }
        }
        SqliteFile.Execute(c, t, "INSERT OR REPLACE INTO departure_baseline (id, recorded_at) VALUES (1, $now);", ("$now", now));
    });
}
