using Newtonsoft.Json;
using SensoClassLink.Core.OneRoster;
using Xunit;

namespace SensoClassLink.Core.Tests.OneRoster;

/// <summary>The one-run roster snapshot: identical replays, no partial files served, private files that do not outlive it.</summary>
public sealed class RosterSnapshotTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    /// <summary>An in-memory source that counts its pulls, reports a warning per pull, and can fail part-way.</summary>
    private sealed class ScriptedSource(RosterReadObserver observer) : IRosterSource
    {
        public List<RosterOrg> Orgs { get; } = new();
        public List<RosterUser> Users { get; } = new();
        public List<RosterClass> Classes { get; } = new();
        public List<RosterEnrollment> Enrollments { get; } = new();
        public Dictionary<string, int> Pulls { get; } = new();
        /// <summary>The next enrollments pull throws after this many records (once), when set.</summary>
        public int? FailEnrollmentsAfter { get; set; }
        public bool Disposed { get; private set; }

        public string Description => "scripted";

        public IEnumerable<RosterOrg> ReadOrgs(CancellationToken ct) => Pull("orgs", Orgs, ct);
        public IEnumerable<RosterUser> ReadUsers(CancellationToken ct) => Pull("users", Users, ct);
        public IEnumerable<RosterClass> ReadClasses(CancellationToken ct) => Pull("classes", Classes, ct);
        public IEnumerable<RosterEnrollment> ReadEnrollments(CancellationToken ct) => Pull("enrollments", Enrollments, ct);

        private IEnumerable<T> Pull<T>(string name, List<T> records, CancellationToken ct)
        {
            Pulls[name] = Pulls.GetValueOrDefault(name) + 1;
            observer.Warning?.Invoke(new DataQualityWarning(name, 0, "a warning of every pull"));
            int? failAfter = name == "enrollments" ? FailEnrollmentsAfter : null;
            for (int i = 0; i < records.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                if (failAfter == i)
                {
                    FailEnrollmentsAfter = null;
                    throw new RosterReadException("The pull of enrollments is incomplete (scripted).");
                }
                yield return records[i];
            }
            observer.Progress?.Invoke(new RosterReadProgress(name, records.Count, null, null, records.Count));
        }

        public void Dispose() => Disposed = true;
    }

    private static ScriptedSource District(RosterReadObserver observer, int enrollments = 50)
    {
        var source = new ScriptedSource(observer);
        source.Orgs.Add(new RosterOrg { SourcedId = "d1", Name = "Lincoln District", Type = "district", Location = "orgs" });
        source.Orgs.Add(new RosterOrg { SourcedId = "s1", Name = "Nörth \"High\"\n, 北", Type = "school", ParentSourcedId = "d1", Status = "active", Location = "orgs" });
        source.Orgs.Add(new RosterOrg { SourcedId = "s2", Name = "", Type = "school", ParentSourcedId = "", Location = "orgs.csv", Line = 4 });
        source.Users.Add(new RosterUser
        {
            SourcedId = "t1", Status = "active", EnabledUser = "true", Roles = new[] { "teacher", "administrator" }, OrgSourcedIds = new[] { "s1", "s2" },
            Username = "jane", GivenName = "Jane", FamilyName = "O'Brien", Email = "Jane@District.org", Identifier = "42", Location = "users.csv", Line = 2,
        });
        source.Users.Add(new RosterUser { SourcedId = "st1", Roles = new[] { "student" }, Email = "", Location = "users.csv", Line = 3_000_000_000 });
        source.Classes.Add(new RosterClass { SourcedId = "c1", Title = "Algebra 😀", ClassCode = "ALG", SchoolSourcedId = "s1", CourseSourcedId = "k1", Location = "classes" });
        for (int i = 0; i < enrollments; i++)
        {
            source.Enrollments.Add(new RosterEnrollment
            {
                SourcedId = "e" + i, Status = i % 7 == 0 ? "tobedeleted" : "active", ClassSourcedId = "c" + (i % 3), SchoolSourcedId = "s1",
                UserSourcedId = "u" + i, Role = i % 10 == 0 ? "teacher" : "student", BeginDate = "2025-08-01", EndDate = i % 2 == 0 ? "" : "2026-06-30",
                Location = "enrollments",
            });
        }
        return source;
    }

    private static string Json<T>(IEnumerable<T> records) => JsonConvert.SerializeObject(records.ToList());

    [Fact]
    public void Later_reads_replay_the_first_pull_record_for_record()
    {
        ScriptedSource inner = null!;
        var warnings = new List<DataQualityWarning>();
        var observer = new RosterReadObserver { Warning = warnings.Add };
        using var snapshot = new RosterSnapshot(inner = District(observer, enrollments: 12_345), parentDirectory: _temp.Path);

        var first = (Json(snapshot.ReadOrgs(default)), Json(snapshot.ReadUsers(default)), Json(snapshot.ReadClasses(default)), Json(snapshot.ReadEnrollments(default)));
        var second = (Json(snapshot.ReadOrgs(default)), Json(snapshot.ReadUsers(default)), Json(snapshot.ReadClasses(default)), Json(snapshot.ReadEnrollments(default)));
        var third = Json(snapshot.ReadEnrollments(default));

        Assert.Equal((Json(inner.Orgs), Json(inner.Users), Json(inner.Classes), Json(inner.Enrollments)), first);
        Assert.Equal(first, second);
        Assert.Equal(first.Item4, third);
        Assert.Equal(new Dictionary<string, int> { ["orgs"] = 1, ["users"] = 1, ["classes"] = 1, ["enrollments"] = 1 }, inner.Pulls);
        // The inner source's warnings reach the observer on the first read only.
        Assert.Equal(new[] { "orgs", "users", "classes", "enrollments" }, warnings.Select(w => w.Location));
    }

    [Fact]
    public void Replays_the_csv_district_identically()
    {
        using var csv = new CsvRosterSource(RestTestContext.DataFolder);
        using var snapshot = new RosterSnapshot(new CsvRosterSource(RestTestContext.DataFolder), parentDirectory: _temp.Path);
        foreach (var _ in snapshot.ReadUsers(default))
        {
        }
        foreach (var _ in snapshot.ReadEnrollments(default))
        {
        }
        Assert.Equal(Json(csv.ReadUsers(default)), Json(snapshot.ReadUsers(default)));
        Assert.Equal(Json(csv.ReadEnrollments(default)), Json(snapshot.ReadEnrollments(default)));
    }

    [Fact]
    public void A_read_stopped_early_is_not_served_and_the_next_read_pulls_again()
    {
        var observer = new RosterReadObserver();
        var inner = District(observer);
        using var snapshot = new RosterSnapshot(inner, parentDirectory: _temp.Path);

        Assert.Equal(3, snapshot.ReadEnrollments(default).Take(3).Count());
        Assert.Empty(Directory.GetFiles(snapshot.Folder)); // the partial file is gone at once

        Assert.Equal(Json(inner.Enrollments), Json(snapshot.ReadEnrollments(default)));
        Assert.Equal(Json(inner.Enrollments), Json(snapshot.ReadEnrollments(default)));
        Assert.Equal(2, inner.Pulls["enrollments"]);
    }

    [Fact]
    public void A_failed_pull_is_not_served_and_the_next_read_pulls_again()
    {
        var inner = District(new RosterReadObserver());
        inner.FailEnrollmentsAfter = 20;
        using var snapshot = new RosterSnapshot(inner, parentDirectory: _temp.Path);

        var seen = new List<RosterEnrollment>();
        Assert.Throws<RosterReadException>(() => seen.AddRange(snapshot.ReadEnrollments(default)));
        Assert.Equal(20, seen.Count);
        Assert.Empty(Directory.GetFiles(snapshot.Folder));

        Assert.Equal(Json(inner.Enrollments), Json(snapshot.ReadEnrollments(default)));
        Assert.Equal(Json(inner.Enrollments), Json(snapshot.ReadEnrollments(default)));
        Assert.Equal(2, inner.Pulls["enrollments"]);
    }

    [Fact]
    public void A_cancelled_first_read_is_not_served()
    {
        var inner = District(new RosterReadObserver());
        using var snapshot = new RosterSnapshot(inner, parentDirectory: _temp.Path);
        using var cancel = new CancellationTokenSource();
        int read = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var _ in snapshot.ReadEnrollments(cancel.Token))
            {
                if (++read == 5)
                {
                    cancel.Cancel();
                }
            }
        });
        Assert.Empty(Directory.GetFiles(snapshot.Folder));
        Assert.Equal(inner.Enrollments.Count, snapshot.ReadEnrollments(default).Count());
        Assert.Equal(2, inner.Pulls["enrollments"]);
    }

    [Fact]
    public void Files_are_owner_only_and_deleted_on_dispose_with_the_inner_source()
    {
        var inner = District(new RosterReadObserver());
        var snapshot = new RosterSnapshot(inner, parentDirectory: _temp.Path);
        string folder = snapshot.Folder;
        Assert.StartsWith(_temp.Path, folder);
        _ = snapshot.ReadUsers(default).Count();
        _ = snapshot.ReadEnrollments(default).Count();

        var files = Directory.GetFiles(folder);
        Assert.Equal(2, files.Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            Assert.All(files, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
        }
        // The file holds the records themselves (personal data): that is why it is private and short-lived.
        Assert.Contains("O'Brien", File.ReadAllText(files.Single(f => Path.GetFileName(f).StartsWith("users", StringComparison.Ordinal))));

        snapshot.Dispose();
        Assert.False(Directory.Exists(folder));
        Assert.True(inner.Disposed);
        Assert.Throws<ObjectDisposedException>(() => snapshot.ReadUsers(default).Count());
    }

    [Fact]
    public void A_damaged_snapshot_file_is_a_roster_read_error_not_a_short_collection()
    {
        var inner = District(new RosterReadObserver());
        using var snapshot = new RosterSnapshot(inner, parentDirectory: _temp.Path);
        _ = snapshot.ReadEnrollments(default).Count();
        string file = Directory.GetFiles(snapshot.Folder).Single();

        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(stream.Length - 5);
        }
        var ex = Assert.Throws<RosterReadException>(() => snapshot.ReadEnrollments(default).Count());
        Assert.Contains("enrollments", ex.Message);

        File.AppendAllText(file, "0123456789");
        Assert.Throws<RosterReadException>(() => snapshot.ReadEnrollments(default).Count());
    }

    [Fact]
    public void Replays_report_progress_to_the_snapshot_observer()
    {
        var inner = District(new RosterReadObserver(), enrollments: 12_000);
        var progress = new List<RosterReadProgress>();
        using var snapshot = new RosterSnapshot(inner, new RosterReadObserver { Progress = progress.Add }, _temp.Path);
        _ = snapshot.ReadEnrollments(default).Count();
        Assert.Empty(progress); // the first read reports through the inner source

        _ = snapshot.ReadEnrollments(default).Count();
        Assert.Equal(new long[] { 5000, 10000, 12000 }, progress.Select(p => p.RecordsRead));
        Assert.Equal(100, progress[^1].PercentComplete);
    }

    [Fact]
    public void Folders_left_by_dead_processes_are_deleted_and_live_ones_kept()
    {
        string dead = Path.Combine(_temp.Path, RosterSnapshot.FolderPrefix + int.MaxValue + "-abc");
        string live = Path.Combine(_temp.Path, RosterSnapshot.FolderPrefix + Environment.ProcessId + "-abc");
        string other = Path.Combine(_temp.Path, "not-a-snapshot-" + int.MaxValue + "-abc");
        foreach (string folder in new[] { dead, live, other })
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "users-1.bin"), "x");
        }

        using (new RosterSnapshot(District(new RosterReadObserver()), parentDirectory: _temp.Path))
        {
            Assert.False(Directory.Exists(dead));
            Assert.True(Directory.Exists(live));
            Assert.True(Directory.Exists(other));
        }
    }

    public void Dispose() => _temp.Dispose();
}
