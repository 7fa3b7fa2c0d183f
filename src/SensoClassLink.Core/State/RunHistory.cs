using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Data.Sqlite;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using SensoClassLink.Core.Sqlite;
using static SensoClassLink.Core.State.StateTime;

namespace SensoClassLink.Core.State;

/// <summary>
/// The run history in the state file: one row per import, group sync or data sync run. The figures of schema
/// version 1 have columns; every other figure of <see cref="SyncRunFigures"/> (and Forced) lives in the row's details
/// document, written and read by name, so a new figure needs neither a migration nor a line here.
/// </summary>
public sealed class RunHistory
{
    /// <summary>The figures with a column of their own (schema version 1), in column order.</summary>
    private static readonly (string Column, string Figure)[] FigureColumns =
    {
        ("roster_users", nameof(SyncRunFigures.RosterUsers)),
        ("roster_classes", nameof(SyncRunFigures.RosterClasses)),
        ("roster_enrollments", nameof(SyncRunFigures.RosterEnrollments)),
        ("eligible_teachers", nameof(SyncRunFigures.EligibleTeachers)),
        ("users_created", nameof(SyncRunFigures.UsersCreated)),
        ("users_existing", nameof(SyncRunFigures.UsersExisting)),
        ("group_syncs_completed", nameof(SyncRunFigures.GroupSyncsCompleted)),
        ("group_syncs_failed", nameof(SyncRunFigures.GroupSyncsFailed)),
    };

    /// <summary>Figures whose name in the details document (as schema version 2 first wrote it) differs from the property.</summary>
    private static readonly (string Document, string Figure)[] DocumentNames =
    {
        ("Schools", nameof(SyncRunFigures.RosterSchools)),
        ("Teachers", nameof(SyncRunFigures.RosterTeachers)),
        ("Students", nameof(SyncRunFigures.RosterStudents)),
    };

    private const string DetailsVersion = "Version";
    private const string DetailsForced = nameof(SyncRunRecord.Forced);

    private static readonly string SelectColumns =
        "run_id, kind, started_at, ended_at, status, " + string.Join(", ", FigureColumns.Select(f => f.Column)) + ", errors, message, details";

    private static readonly JsonSerializer Json = JsonSerializer.CreateDefault();

    private readonly SqliteFile _file;

    internal RunHistory(SqliteFile file)
    {
        _file = file;
    }

    /// <summary>Inserts or replaces a run record (save it at start with Status Running, and again at the end).</summary>
    public void Save(SyncRunRecord run) => _file.Write((c, t) =>
    {
        var figures = JObject.FromObject(run.Figures, Json);
        var parameters = new List<(string, object?)>
        {
            ("$id", run.RunId), ("$kind", run.Kind), ("$start", Format(run.StartedAt)), ("$end", run.EndedAt is { } e ? Format(e) : null),
            ("$status", run.Status.ToString()), ("$errors", JsonConvert.SerializeObject(run.Errors)), ("$message", run.Message),
            ("$details", Details(figures, run.Forced).ToString(Formatting.None)),
        };
        parameters.AddRange(FigureColumns.Select(f => ("$" + f.Column, (object?)figures.Value<int>(f.Figure))));
        SqliteFile.Execute(c, t,
            $"INSERT OR REPLACE INTO sync_runs ({SelectColumns}) VALUES ($id, $kind, $start, $end, $status, " +
            string.Join(", ", FigureColumns.Select(f => "$" + f.Column)) + ", $errors, $message, $details);",
            parameters.ToArray());
    });

    public SyncRunRecord? Get(string runId) => _file.Read(c => ReadRuns(c, "WHERE run_id = $id", 1, ("$id", runId)).SingleOrDefault());

    /// <summary>The newest <paramref name="count"/> runs, newest first, optionally of one kind.</summary>
    public IReadOnlyList<SyncRunRecord> GetRecent(int count, string? kind = null) => _file.Read(c =>
        kind is null ? ReadRuns(c, "", count) : ReadRuns(c, "WHERE kind = $kind", count, ("$kind", kind)));

    /// <summary>The newest run of <paramref name="kind"/> with one of <paramref name="statuses"/> (any status when empty).</summary>
    public SyncRunRecord? GetLast(string kind, params SyncRunStatus[] statuses) => _file.Read(c =>
    {
        var parameters = new List<(string, object?)> { ("$kind", kind) };
        parameters.AddRange(statuses.Select((s, i) => ("$s" + i, (object?)s.ToString())));
        string where = "WHERE kind = $kind" + (statuses.Length == 0 ? "" : " AND status IN (" + string.Join(", ", statuses.Select((_, i) => "$s" + i)) + ")");
        return ReadRuns(c, where, 1, parameters.ToArray()).SingleOrDefault();
    });

    /// <summary>
    /// Marks the recent runs of <paramref name="kind"/> left Running by a killed process as Failed, keeping every
    /// figure they had saved. Call while holding the run lock. Returns how many were marked.
    /// </summary>
    public int MarkInterrupted(string kind)
    {
        const string Interrupted = "Interrupted: the process ended before the run finished.";
        var stale = GetRecent(20, kind).Where(r => r.Status == SyncRunStatus.Running).ToList();
        foreach (var run in stale)
        {
            Save(run with
            {
                Status = SyncRunStatus.Failed,
                Errors = run.Errors.Append(Interrupted).ToArray(),
                Message = Interrupted + " The next run requeued its unfinished group syncs and finished them.",
            });
        }
        return stale.Count;
    }

    /// <summary>The details document: Version, the figures without a column (under their document names), Forced.</summary>
    private static JObject Details(JObject figures, bool forced)
    {
        var details = new JObject { [DetailsVersion] = 1 };
        foreach (var property in figures.Properties().Where(p => FigureColumns.All(f => f.Figure != p.Name)))
        {
            details[DocumentName(property.Name)] = property.Value;
        }
        details[DetailsForced] = forced;
        return details;
    }

    private static string DocumentName(string figure) => DocumentNames.FirstOrDefault(n => n.Figure == figure).Document ?? figure;

    private static List<SyncRunRecord> ReadRuns(SqliteConnection c, string where, int limit, params (string, object?)[] parameters)
    {
        var runs = new List<SyncRunRecord>();
        using var command = SqliteFile.Command(c, null,
            $"SELECT {SelectColumns} FROM sync_runs {where} ORDER BY started_at DESC, rowid DESC LIMIT $limit;",
            parameters.Append(("$limit", (object?)limit)).ToArray());
        using var reader = command.ExecuteReader();
        int errorsOrdinal = 5 + FigureColumns.Length;
        while (reader.Read())
        {
            var details = reader.IsDBNull(errorsOrdinal + 2) ? new JObject() : JObject.Parse(reader.GetString(errorsOrdinal + 2));
            var figures = new JObject();
            foreach (var property in details.Properties().Where(p => p.Name is not DetailsVersion and not DetailsForced && p.Value.Type != JTokenType.Null))
            {
                string name = DocumentNames.FirstOrDefault(n => n.Document == property.Name).Figure ?? property.Name;
                figures[name] = property.Value;
            }
            for (int i = 0; i < FigureColumns.Length; i++)
            {
                figures[FigureColumns[i].Figure] = reader.GetInt32(5 + i);
            }
            runs.Add(new SyncRunRecord
            {
                RunId = reader.GetString(0),
                Kind = reader.GetString(1),
                StartedAt = Parse(reader.GetString(2)),
                EndedAt = reader.IsDBNull(3) ? null : Parse(reader.GetString(3)),
                Status = (SyncRunStatus)Enum.Parse(typeof(SyncRunStatus), reader.GetString(4)),
                Figures = figures.ToObject<SyncRunFigures>(Json) ?? SyncRunFigures.None,
                Forced = details.Value<bool?>(DetailsForced) ?? false,
                Errors = JsonConvert.DeserializeObject<string[]>(reader.GetString(errorsOrdinal)) ?? Array.Empty<string>(),
                Message = reader.IsDBNull(errorsOrdinal + 1) ? null : reader.GetString(errorsOrdinal + 1),
            });
        }
        return runs;
    }
}
