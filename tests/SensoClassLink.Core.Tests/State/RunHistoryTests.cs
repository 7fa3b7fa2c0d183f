using System.Reflection;
using Microsoft.Data.Sqlite;
using SensoClassLink.Core.State;

namespace SensoClassLink.Core.Tests.State;

/// <summary>
/// The run history keeps every figure of a run: saved and read back, and through the recovery of a killed run.
/// The figures are found by reflection, so a figure added to <see cref="SyncRunFigures"/> is covered without
/// touching these tests, and one that the store or the recovery drops fails them.
/// </summary>
public sealed class RunHistoryTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly DateTimeOffset _now = new(2025, 1, 6, 2, 0, 0, TimeSpan.Zero);

    private StateStore Open() => new(_temp.File("state.db"), () => _now);

    private static readonly PropertyInfo[] FigureProperties = typeof(SyncRunFigures).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    /// <summary>Figures where every property has its own non-default value (ints 101, 102, ...).</summary>
    private static SyncRunFigures DistinctFigures()
    {
        var figures = new SyncRunFigures();
        int next = 101;
        foreach (var property in FigureProperties)
        {
            object value = property.PropertyType == typeof(int)
                ? next++
                : property.PropertyType == typeof(IReadOnlyDictionary<string, int>)
                    ? new Dictionary<string, int> { ["Eligible"] = next++, ["NoStudents"] = next++ }
                    : throw new InvalidOperationException($"Teach this test a value for the figure {property.Name} ({property.PropertyType.Name}).");
            property.SetValue(figures, value); // init-only setters are ordinary setters to reflection
        }
        return figures;
    }

    private static void AssertSameFigures(SyncRunFigures expected, SyncRunFigures actual)
    {
        Assert.NotEmpty(FigureProperties);
        foreach (var property in FigureProperties)
        {
            object? want = property.GetValue(expected);
            object? got = property.GetValue(actual);
            if (want is IReadOnlyDictionary<string, int> map)
            {
                Assert.Equal(map.OrderBy(p => p.Key), ((IReadOnlyDictionary<string, int>)got!).OrderBy(p => p.Key));
            }
            else
            {
                Assert.True(Equals(want, got), $"The figure {property.Name} was {want} and came back as {got}.");
            }
        }
    }

    [Fact]
    public void Every_figure_is_saved_and_read_back()
    {
        using var store = Open();
        var run = new SyncRunRecord { Kind = "data-sync", StartedAt = _now, EndedAt = _now.AddMinutes(1), Status = SyncRunStatus.Completed, Figures = DistinctFigures(), Forced = true };
        store.RunHistory.Save(run);

        var saved = store.RunHistory.Get(run.RunId)!;
        AssertSameFigures(run.Figures, saved.Figures);
        Assert.True(saved.Forced);
    }

    [Fact]
    public void Recovering_a_killed_run_keeps_every_figure_and_marks_it_failed()
    {
        var killed = new SyncRunRecord
        {
            Kind = "data-sync", StartedAt = _now.AddHours(-1), Status = SyncRunStatus.Running, Figures = DistinctFigures(), Forced = true,
            Errors = new[] { "t1@d.org: HTTP 500" }, Message = "working",
        };
        using (var store = Open())
        {
            store.RunHistory.Save(killed);
            store.RunHistory.Save(new SyncRunRecord { Kind = "import", StartedAt = _now, Status = SyncRunStatus.Running }); // another kind stays
            Assert.Equal(1, store.RunHistory.MarkInterrupted("data-sync"));
        }

        using var reopened = Open();
        var recovered = reopened.RunHistory.Get(killed.RunId)!;
        Assert.Equal(SyncRunStatus.Failed, recovered.Status);
        Assert.Equal(new[] { "t1@d.org: HTTP 500", "Interrupted: the process ended before the run finished." }, recovered.Errors);
        Assert.StartsWith("Interrupted:", recovered.Message);
        AssertSameFigures(killed.Figures, recovered.Figures);
        // Every other property of the record is kept too (compared by reflection, so a new one is covered).
        foreach (var property in typeof(SyncRunRecord).GetProperties().Where(p => p.Name is not (nameof(SyncRunRecord.Status) or nameof(SyncRunRecord.Errors)
                     or nameof(SyncRunRecord.Message) or nameof(SyncRunRecord.Figures))))
        {
            Assert.True(Equals(property.GetValue(killed), property.GetValue(recovered)), $"Recovery changed {property.Name}.");
        }
        Assert.Equal(SyncRunStatus.Running, reopened.RunHistory.GetLast("import")!.Status);
        Assert.Equal(0, reopened.RunHistory.MarkInterrupted("data-sync"));
    }

    [Fact]
    public void A_run_row_written_before_the_split_reads_back_and_new_rows_keep_its_details_document()
    {
        // The details document exactly as the module wrote it before the run history had its own class.
        const string oldDetails = "{\"Version\":1,\"Schools\":2,\"Teachers\":3,\"TeachersByReason\":{\"Eligible\":2,\"NoStudents\":1},\"Students\":40," +
                                  "\"DataQualityWarnings\":5,\"UsersToCreate\":6,\"UsersFailed\":7,\"GroupSyncsQueued\":8,\"GroupSyncsPending\":9,\"Forced\":true}";
        using var store = Open();
        using (var connection = new SqliteConnection("Data Source=" + store.Path))
        {
            connection.Open();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO sync_runs (run_id, kind, started_at, ended_at, status, roster_users, roster_classes, roster_enrollments, eligible_teachers, " +
                                 "users_created, users_existing, group_syncs_completed, group_syncs_failed, errors, message, details) VALUES " +
                                 "('old', 'data-sync', '2025-01-05T02:00:00.0000000Z', NULL, 'Completed', 43, 10, 900, 2, 1, 1, 4, 3, '[]', NULL, $d), " +
                                 "('v1', 'import', '2025-01-04T02:00:00.0000000Z', NULL, 'Completed', 1, 1, 1, 1, 1, 0, 0, 0, '[]', NULL, NULL);";
            insert.Parameters.AddWithValue("$d", oldDetails);
            insert.ExecuteNonQuery();
        }

        var old = store.RunHistory.Get("old")!;
        Assert.Equal((43, 10, 900, 2, 1, 1, 4, 3), (old.Figures.RosterUsers, old.Figures.RosterClasses, old.Figures.RosterEnrollments, old.Figures.EligibleTeachers,
            old.Figures.UsersCreated, old.Figures.UsersExisting, old.Figures.GroupSyncsCompleted, old.Figures.GroupSyncsFailed));
        Assert.Equal((2, 3, 40, 5, 6, 7, 8, 9), (old.Figures.RosterSchools, old.Figures.RosterTeachers, old.Figures.RosterStudents, old.Figures.DataQualityWarnings,
            old.Figures.UsersToCreate, old.Figures.UsersFailed, old.Figures.GroupSyncsQueued, old.Figures.GroupSyncsPending));
        Assert.Equal(1, old.Figures.TeachersByReason["NoStudents"]);
        Assert.True(old.Forced);
        var v1 = store.RunHistory.Get("v1")!; // schema version 1: no details document
        Assert.Equal((1, 0, false), (v1.Figures.UsersCreated, v1.Figures.RosterSchools, v1.Forced));
        Assert.Empty(v1.Figures.TeachersByReason);

        // Saved again, the row keeps the same details document (every key, value and order; a figure added since, such as
        // UsersRenamed, is appended as 0 before Forced), so an older module reads it as before.
        store.RunHistory.Save(old);
        using var check = new SqliteConnection("Data Source=" + store.Path);
        check.Open();
        using var select = check.CreateCommand();
        select.CommandText = "SELECT details FROM sync_runs WHERE run_id = 'old';";
        const string figuresAddedSince = ",\"UsersRenamed\":0,\"UsersDeparted\":0,\"UsersSuspended\":0,\"UsersReactivated\":0,\"GroupsRemoved\":0";
        Assert.Equal(oldDetails.Replace(",\"Forced\"", figuresAddedSince + ",\"Forced\""), (string)select.ExecuteScalar()!);
    }

    [Fact]
    public void The_last_run_is_filtered_by_status_through_parameters()
    {
        using var store = Open();
        store.RunHistory.Save(new SyncRunRecord { RunId = "a", Kind = "data-sync", StartedAt = _now.AddDays(-2), Status = SyncRunStatus.Completed });
        store.RunHistory.Save(new SyncRunRecord { RunId = "b", Kind = "data-sync", StartedAt = _now.AddDays(-1), Status = SyncRunStatus.CompletedWithErrors });
        store.RunHistory.Save(new SyncRunRecord { RunId = "c", Kind = "data-sync", StartedAt = _now, Status = SyncRunStatus.Held });

        Assert.Equal("c", store.RunHistory.GetLast("data-sync")!.RunId);
        Assert.Equal("b", store.RunHistory.GetLast("data-sync", SyncRunStatus.Completed, SyncRunStatus.CompletedWithErrors)!.RunId);
        Assert.Equal("a", store.RunHistory.GetLast("data-sync", SyncRunStatus.Completed)!.RunId);
        Assert.Null(store.RunHistory.GetLast("data-sync", SyncRunStatus.Failed));
    }

    public void Dispose() => _temp.Dispose();
}
