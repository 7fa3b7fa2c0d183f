using System;
using System.Collections.Generic;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.Sqlite;
using static SensoClassLink.Core.State.StateTime;

namespace SensoClassLink.Core.State;

/// <summary>The import journal in the state file: every import decision about every teacher, in the order made.</summary>
public sealed class ImportJournal
{
    private readonly SqliteFile _file;
    private readonly Func<DateTimeOffset> _clock;

    internal ImportJournal(SqliteFile file, Func<DateTimeOffset> clock)
    {
        _file = file;
        _clock = clock;
    }

    /// <summary>Appends decisions in one transaction (append a batch at a time, not one row per transaction).</summary>
    public void Append(IEnumerable<ImportJournalEntry> entries) => _file.Write((c, t) =>
    {
        using var command = SqliteFile.Command(c, t,
            "INSERT INTO import_journal (time, run_id, email, status, reason, user_id) VALUES ($time, $run, $email, $status, $reason, $user);",
            ("$time", ""), ("$run", ""), ("$email", ""), ("$status", ""), ("$reason", null), ("$user", null));
        foreach (var entry in entries)
        {
            command.Parameters["$time"].Value = Format(entry.Time == default ? _clock() : entry.Time);
            command.Parameters["$run"].Value = entry.RunId;
            command.Parameters["$email"].Value = EmailAddress.Normalize(entry.Email);
            command.Parameters["$status"].Value = entry.Status;
            command.Parameters["$reason"].Value = (object?)entry.Reason ?? DBNull.Value;
            command.Parameters["$user"].Value = (object?)entry.UserId ?? DBNull.Value;
            command.ExecuteNonQuery();
        }
    });

    /// <summary>Streams journal entries in the order written, optionally of one run and/or one email.</summary>
    public IEnumerable<ImportJournalEntry> Read(string? runId = null, string? email = null)
    {
        using var connection = _file.Open();
        using var command = SqliteFile.Command(connection, null,
            "SELECT time, run_id, email, status, reason, user_id FROM import_journal WHERE ($run IS NULL OR run_id = $run) AND ($email IS NULL OR email = $email) ORDER BY seq;",
            ("$run", runId), ("$email", email is null ? null : EmailAddress.Normalize(email)));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new ImportJournalEntry
            {
                Time = Parse(reader.GetString(0)),
                RunId = reader.GetString(1),
                Email = reader.GetString(2),
                Status = reader.GetString(3),
                Reason = reader.IsDBNull(4) ? null : reader.GetString(4),
                UserId = reader.IsDBNull(5) ? null : reader.GetString(5),
            };
        }
    }
}
