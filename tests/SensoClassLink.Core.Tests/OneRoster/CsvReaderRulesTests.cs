using System.IO.Compression;
using System.Text;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;

namespace SensoClassLink.Core.Tests.OneRoster;

/// <summary>
/// The CSV reader's rules for the exports districts really have (issue 12), each over a committed fixture in
/// tests/data/csv-rules. The four problems measured on public exports are the tests named Measured*.
/// </summary>
public sealed class CsvReaderRulesTests : IDisposable
{
    private static readonly DateTime AsOf = new(2025, 10, 1);
    private readonly List<DataQualityWarning> _warnings = new();
    private readonly TempZips _zips = new();

    public void Dispose() => _zips.Dispose();

    private RosterReadObserver Observer => new() { Warning = _warnings.Add };

    private RosterEvaluation Evaluate(string path, DateTime? asOf = null)
    {
        using var source = new CsvRosterSource(path, Observer);
        return EligibilityEngine.Evaluate(source, asOf ?? AsOf, Observer, CancellationToken.None);
    }

    private static TeacherEligibility Teacher(RosterEvaluation evaluation, string sourcedId) =>
        Assert.Single(evaluation.Teachers, t => t.SourcedIds.Contains(sourcedId));

    private static string[] Eligible(RosterEvaluation evaluation) => evaluation.Teachers.Where(t => t.Eligible).Select(t => t.Email).ToArray();

    // 1. Ragged rows

    [Fact]
    public void MeasuredClassLinkTrailingCommaRowsAreUsed()
    {
        var evaluation = Evaluate(CsvRuleFixtures.Folder("classlink-trailing-comma"));

        Assert.Equal(new[] { "ann.lee@district.example", "bo.kim@district.example" }, Eligible(evaluation));
        Assert.Empty(_warnings);
    }

    [Fact]
    public void RaggedRowsAreUsedWhenHarmlessAndWarnedWithFileAndLineOtherwise()
    {
        using var source = new CsvRosterSource(CsvRuleFixtures.Folder("ragged-rows"), Observer);

        var users = source.ReadUsers(CancellationToken.None).ToList();

        Assert.Equal(new[] { "t-1", "t-2", "t-4", "t-6" }, users.Select(u => u.SourcedId));
        var shortRow = users.Single(u => u.SourcedId == "t-4");
        Assert.Equal(("short@district.example", "Row", ""), (shortRow.Email, shortRow.FamilyName, shortRow.Identifier));
        Assert.Equal(new[] { ("users.csv", 4L), ("users.csv", 6L) }, _warnings.Select(w => (w.Location, w.Line)));
        Assert.Contains("extra fields are not empty", _warnings[0].Reason);
        Assert.Contains("too few", _warnings[1].Reason);
        Assert.DoesNotContain("oops", string.Join(" ", _warnings));
    }

    [Fact]
    public void ColumnsWithAnEmptyHeaderNameAreIgnored()
    {
        using var source = new CsvRosterSource(CsvRuleFixtures.Folder("ragged-rows"), Observer);

        var orgs = source.ReadOrgs(CancellationToken.None).ToList();

        Assert.Equal(new[] { ("sch-a", "Alder High", "school"), ("sch-b", "Birch Middle", "school") }, orgs.Select(o => (o.SourcedId, o.Name, o.Type)));
        Assert.Empty(_warnings);
    }

    [Fact]
    public void MeasuredRolesHeaderEndingInEmptyNamesKeepsEveryRole()
    {
        var evaluation = Evaluate(CsvRuleFixtures.Folder("roles-empty-header-names"));

        Assert.Equal(new[] { "ann.lee@district.example" }, Eligible(evaluation));
        Assert.Empty(_warnings);
    }

    // 2. Headers

    [Fact]
    public void HeadersMatchInAnyCaseAndBy10NamesAndIgnoreExtensionAndMetadataColumns()
    {
        string folder = CsvRuleFixtures.Folder("headers-1.0-names");
        using (var source = new CsvRosterSource(folder, Observer))
        {
            var org = source.ReadOrgs(CancellationToken.None).Single(o => o.SourcedId == "sch-a");
            Assert.Equal(("Alder High", "school", "d-1"), (org.Name, org.Type, org.ParentSourcedId));
            var teacher = source.ReadUsers(CancellationToken.None).First();
            Assert.Equal(("t-1", "Ann", "ann.lee@district.example", "T1"), (teacher.SourcedId, teacher.GivenName, teacher.Email, teacher.Identifier));
            Assert.Equal(new[] { "teacher" }, teacher.Roles);
            Assert.Equal(new[] { "sch-a" }, teacher.OrgSourcedIds);
        }

        var ann = Teacher(Evaluate(folder), "t-1");
        Assert.Equal(EligibilityReason.Eligible, ann.Reason);
        Assert.Equal(new[] { "Alder High" }, ann.SchoolNames);
        Assert.Empty(_warnings);
    }

    // 3. Manifest

    [Fact]
    public void MeasuredDeltaManifestIsRefusedNamingManifestAndFilesBeforeAnythingIsRead()
    {
        var ex = Assert.Throws<RosterReadException>(() => new CsvRosterSource(CsvRuleFixtures.Folder("delta-manifest"), Observer));

        Assert.Contains("manifest.csv", ex.Message);
        Assert.Contains("users.csv (line 5)", ex.Message);
        Assert.Contains("enrollments.csv (line 7)", ex.Message);
        Assert.Contains("'delta'", ex.Message);
        Assert.Contains("not the whole district", ex.Message);
    }

    [Fact]
    public void DeltaAcademicSessionsAreRefusedLikeTheRosterFilesNamingTheManifestLine()
    {
        // A change set of terms would leave every term it omits unresolved: the classes naming them would count as undated.
        using var fixture = new RosterFixture().WithTeacherAndStudent();
        fixture.Write(RosterFixture.Manifest11 + "file.academicSessions,delta\n");

        var ex = Assert.Throws<RosterReadException>(() => new CsvRosterSource(fixture.Folder, Observer));

        Assert.Contains("manifest.csv", ex.Message);
        Assert.Contains("academicSessions.csv (line 7)", ex.Message);
        Assert.Contains("'delta'", ex.Message);
        Assert.Contains("not the whole district", ex.Message);
    }

    [Fact]
    public void ManifestValuesMayBeQuotedAndModesAndNamesInAnyCaseAndAbsentButPresentIsAWarning()
    {
        string folder = CsvRuleFixtures.Folder("manifest-spellings");
        using (var source = new CsvRosterSource(folder, Observer))
        {
            Assert.Equal("1.1", source.Version);
        }
        var warning = Assert.Single(_warnings);
        Assert.Equal(("manifest.csv", 6L), (warning.Location, warning.Line));
        Assert.Contains("classes.csv as absent", warning.Reason);

        _warnings.Clear();
        Assert.Equal(new[] { "ann.lee@district.example" }, Eligible(Evaluate(folder)));
    }

    [Fact]
    public void QuotedVersionIsRead()
    {
        using var fixture = new RosterFixture();
        fixture.Write("\"propertyName\",\"value\"\n\"manifest.version\",\"1.0\"\n\"oneroster.version\",\" 1.2 \"\n");

        using var source = new CsvRosterSource(fixture.Folder);

        Assert.Equal("1.2", source.Version);
    }

    [Fact]
    public void FileListedBulkOrAbsentButMissingIsStillTheMissingFileError()
    {
        using var fixture = new RosterFixture();
        fixture.Write("propertyName,value\noneroster.version,1.1\nfile.users,absent\nfile.enrollments,bulk\n");
        File.Delete(Path.Combine(fixture.Folder, "users.csv"));
        File.Delete(Path.Combine(fixture.Folder, "enrollments.csv"));
        using var source = new CsvRosterSource(fixture.Folder, Observer);

        Assert.Contains("missing", Assert.Throws<RosterReadException>(() => source.ReadUsers(CancellationToken.None).ToList()).Message);
        Assert.Contains("missing", Assert.Throws<RosterReadException>(() => source.ReadEnrollments(CancellationToken.None).ToList()).Message);
        Assert.Empty(_warnings);
    }

    // 4. Zip layout

    [Fact]
    public void MeasuredZipWithTheFilesInOneTopFolderIsRead()
    {
        string zip = CsvRuleFixtures.Zip(_zips, ("classlink-trailing-comma", "export-2025-10/"));

        var evaluation = Evaluate(zip);

        Assert.Equal(new[] { "ann.lee@district.example", "bo.kim@district.example" }, Eligible(evaluation));
        // Messages name a file with its folder inside the zip.
        var ex = Assert.Throws<RosterReadException>(() => new CsvRosterSource(CsvRuleFixtures.Zip(_zips, ("delta-manifest", "x/"))));
        Assert.Contains(".zip!x/manifest.csv", ex.Message);
    }

    [Fact]
    public void ZipOfAFolderMadeOnAMacIgnoresTheResourceForkFolder()
    {
        string zip = CsvRuleFixtures.Zip(_zips, ("classlink-trailing-comma", "export/"));
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Update))
        {
            using var fork = archive.CreateEntry("__MACOSX/export/._users.csv").Open();
            fork.Write(new byte[] { 0, 5, 22, 7 });
        }

        Assert.Equal(2, Eligible(Evaluate(zip)).Length);
    }

    [Fact]
    public void ZipWithTwoTopFoldersIsRefusedSayingWhatItHolds()
    {
        // Each fixture folder holds its five roster files and academicSessions.csv (the terms its classes name).
        string zip = CsvRuleFixtures.Zip(_zips, ("classlink-trailing-comma", "district-a/"), ("manifest-spellings", "district-b/"));

        var ex = Assert.Throws<RosterReadException>(() => new CsvRosterSource(zip, Observer));

        Assert.Contains(Path.GetFileName(zip), ex.Message);
        Assert.Contains("'district-a/' (6 files)", ex.Message);
        Assert.Contains("'district-b/' (6 files)", ex.Message);
    }

    [Fact]
    public void ZipWithoutCsvFilesIsRefusedSayingWhatItHolds()
    {
        string zip = _zips.NewPath();
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            using var readme = new StreamWriter(archive.CreateEntry("readme.txt").Open());
            readme.Write("not a roster");
        }

        var ex = Assert.Throws<RosterReadException>(() => new CsvRosterSource(zip, Observer));

        Assert.Contains("'readme.txt'", ex.Message);
        Assert.Contains("no OneRoster CSV files", ex.Message);
    }

    [Fact]
    public void ZipWithFilesAtTheRootIgnoresFoldersAsBefore()
    {
        string zip = CsvRuleFixtures.Zip(_zips, ("classlink-trailing-comma", ""), ("delta-manifest", "old/"));

        Assert.Equal(new[] { "ann.lee@district.example", "bo.kim@district.example" }, Eligible(Evaluate(zip)));
    }

    // 5. Values

    [Fact]
    public void BooleansStatusesAndDatesAreReadInEverySpelling()
    {
        var evaluation = Evaluate(CsvRuleFixtures.Folder("values"));

        foreach (string id in new[] { "t-true", "t-yes", "t-one", "t-blank", "t-active" })
        {
            Assert.Equal((id, EligibilityReason.Eligible), (id, Teacher(evaluation, id).Reason));
        }
        foreach (string id in new[] { "t-false", "t-no", "t-zero", "t-deleted" })
        {
            Assert.Equal((id, EligibilityReason.Inactive), (id, Teacher(evaluation, id).Reason));
        }
        // Every date spelling counts; the tobedeleted (upper-case) enrollment does not.
        Assert.Equal(new[] { "c-d0", "c-d1", "c-d2", "c-d3", "c-d4" }, Teacher(evaluation, "t-dates").Classes.Select(c => c.SourcedId));
    }

    [Fact]
    public void AnUnreadableDateIsAWarningNamingFileAndLineAndTheEnrollmentDoesNotCount()
    {
        var evaluation = Evaluate(CsvRuleFixtures.Folder("values"));

        Assert.Equal(EligibilityReason.NoClasses, Teacher(evaluation, "t-bad").Reason);
        var warning = Assert.Single(_warnings);
        Assert.Equal(("enrollments.csv", 24L), (warning.Location, warning.Line));
        Assert.Contains("beginDate", warning.Reason);
        Assert.DoesNotContain("08/01/2025", warning.ToString());
    }

    // 6. Encodings

    [Theory]
    [InlineData("utf8")]
    [InlineData("utf8-bom")]
    [InlineData("utf16le")]
    [InlineData("utf16be")]
    public void UnicodeFilesWithOrWithoutABomReadTheSame(string encoding)
    {
        var zoe = Teacher(Evaluate(CsvRuleFixtures.Folder("encodings/" + encoding)), "t-1");

        Assert.Equal(("zoe.angstrom@district.example", "Zoë", "Ångström", EligibilityReason.Eligible), (zoe.Email, zoe.GivenName, zoe.FamilyName, zoe.Reason));
        Assert.Equal("Français", Assert.Single(zoe.Classes).Title);
        Assert.Empty(_warnings);
    }

    [Fact]
    public void BytesThatAreNotUtf8AreOneWarningNamingFileAndFirstLineAndAnEmailWithOneIsInvalid()
    {
        var evaluation = Evaluate(CsvRuleFixtures.Folder("encodings/windows-1252"));

        var warning = Assert.Single(_warnings);
        Assert.Equal(("users.csv", 4L), (warning.Location, warning.Line));
        Assert.Contains("not valid UTF-8", warning.Reason);
        Assert.Contains("Export the file as UTF-8", warning.Reason);
        Assert.Equal(EligibilityReason.Eligible, Teacher(evaluation, "t-2").Reason); // a name is still readable enough
        var jose = Teacher(evaluation, "t-3");
        Assert.Equal(EligibilityReason.InvalidEmail, jose.Reason);
        Assert.Equal("jos\uFFFD@district.example", jose.Email);
    }

    [Fact]
    public void InvalidBytesInTheHeaderAreReportedOnLineOne()
    {
        using var fixture = new RosterFixture();
        fixture.Write();
        // "remarks" with a Latin-1 'e acute' in the header, as a Windows-1252 export would write it.
        byte[] bytes = Encoding.ASCII.GetBytes("sourcedId,title,schoolSourcedId,r").Append((byte)0xE9).Concat(Encoding.ASCII.GetBytes("marks\nc-1,Algebra,s1,x\n")).ToArray();
        File.WriteAllBytes(Path.Combine(fixture.Folder, "classes.csv"), bytes);
        using var source = new CsvRosterSource(fixture.Folder, Observer);

        Assert.Single(source.ReadClasses(CancellationToken.None));

        Assert.Equal(("classes.csv", 1L), (Assert.Single(_warnings).Location, _warnings[0].Line));
    }

    // 7. OneRoster 1.2 roles

    [Fact]
    public void RolesCountOnlyBetweenTheirBeginAndEndDatesAndAnyCurrentTeacherRoleMakesATeacher()
    {
        string folder = CsvRuleFixtures.Folder("roles-dates");

        var evaluation = Evaluate(folder);

        Assert.Equal(new[] { "t-current", "t-secondary", "t-switched" }, evaluation.Teachers.Select(t => t.SourcedIds[0]).Order(StringComparer.Ordinal));
        Assert.All(evaluation.Teachers, t => Assert.Equal(EligibilityReason.Eligible, t.Reason));
        Assert.Equal(new[] { "sch-b", "sch-a" }, Teacher(evaluation, "t-switched").SchoolSourcedIds); // its current role's school, then its class's
        var warning = Assert.Single(_warnings);
        Assert.Equal(("roles.csv", 10L), (warning.Location, warning.Line));
        Assert.Contains("beginDate", warning.Reason);
    }

    [Fact]
    public void RoleDatesFollowTheAsOfDay()
    {
        string folder = CsvRuleFixtures.Folder("roles-dates");

        Assert.Equal(new[] { "sch-a" }, Teacher(Evaluate(folder, new DateTime(2025, 8, 15)), "t-switched").SchoolSourcedIds);
        Assert.Equal(EligibilityReason.Eligible, Teacher(Evaluate(folder, new DateTime(2025, 6, 1)), "t-ended").Reason);
        Assert.Equal(EligibilityReason.Eligible, Teacher(Evaluate(folder, new DateTime(2026, 1, 5)), "t-future").Reason);
    }

    [Fact]
    public void ReadUsersWithoutADayUsesToday()
    {
        using var source = new CsvRosterSource(CsvRuleFixtures.Folder("roles-dates"), Observer);

        var ended = source.ReadUsers(CancellationToken.None).Single(u => u.SourcedId == "t-ended");

        // Its teacher role ended 2025-07-01 and its student role has no end: on any day after, it is a student.
        Assert.Equal(new[] { "student" }, ended.Roles);
    }

    // 8. Not OneRoster

    [Fact]
    public void SchoolDataSyncCsvIsOneClearErrorNamingFileAndColumn()
    {
        var ex = Assert.Throws<RosterReadException>(() => new CsvRosterSource(CsvRuleFixtures.Folder("school-data-sync-v2.1"), Observer));

        Assert.StartsWith("This is not a OneRoster export", ex.Message);
        Assert.Contains("roles.csv' has the column 'isPrimary'", ex.Message);
        Assert.Contains("users.csv' has no column 'role'", ex.Message);
        Assert.Contains("School Data Sync", ex.Message);
    }

    [Fact]
    public void UsersWithoutRoleAndNoRolesFileIsNotOneRoster()
    {
        using var fixture = new RosterFixture();
        fixture.Write(manifest: null);
        fixture.WriteFile("users.csv", "sourcedId,email\nu1,a@d.org\n");

        var ex = Assert.Throws<RosterReadException>(() => new CsvRosterSource(fixture.Folder, Observer));

        Assert.Contains("not a OneRoster export", ex.Message);
        Assert.Contains("no column 'role'", ex.Message);
        Assert.Contains("no roles.csv", ex.Message);
    }

    [Fact]
    public void A12ExportWithoutManifestIsReadAs12()
    {
        using var source = new CsvRosterSource(CsvRuleFixtures.Folder("v1.2-without-manifest"), Observer);

        Assert.Equal("1.2", source.Version);
        Assert.Contains("OneRoster 1.2", Assert.Single(_warnings, w => w.Location == "manifest.csv").Reason);
        Assert.Equal(new[] { "teacher" }, source.ReadUsers(CancellationToken.None).First().Roles);
    }
}
