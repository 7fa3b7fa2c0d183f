using System.IO.Compression;
using System.Text;
using SensoClassLink.Core.OneRoster;
using Xunit;

namespace SensoClassLink.Core.Tests.OneRoster;

public sealed class CsvRosterSourceTests : IDisposable
{
    private readonly RosterFixture _fixture = new();
    private readonly List<DataQualityWarning> _warnings = new();

    private RosterReadObserver Observer => new() { Warning = _warnings.Add };

    public void Dispose() => _fixture.Dispose();

    private List<RosterUser> ReadUsers(string? path = null, CsvArchiveLimits? limits = null)
    {
        using var source = new CsvRosterSource(path ?? _fixture.Folder, Observer, limits);
        return source.ReadUsers(CancellationToken.None).ToList();
    }

    [Fact]
    public void BomCrlfAndQuotedCommasQuotesAndNewlinesAreRead()
    {
        _fixture.Write();
        _fixture.WriteFile("users.csv",
            RosterFixture.UsersHeader + "\r\n" +
            "u1,,,,s1,teacher,u1,,\"O'Brien, \"\"Pat\"\"\",\"Line\r\nBreak\",,,pat@d.org,,,,,\r\n" +
            "u2,,,,\" s1 , s2 ,\",Teacher,u2,,Ana,Ruiz,,,ana@d.org,,,,,\r\n", bom: true);

        var users = ReadUsers();

        Assert.Equal(2, users.Count);
        Assert.Equal("u1", users[0].SourcedId);
        Assert.Equal("O'Brien, \"Pat\"", users[0].GivenName);
        Assert.Equal("Line\r\nBreak", users[0].FamilyName);
        Assert.Equal(new[] { "teacher" }, users[1].Roles);
        Assert.Equal(new[] { "s1", "s2" }, users[1].OrgSourcedIds);
        Assert.Equal(2, users[0].Line);
        Assert.Equal(4, users[1].Line); // the quoted line break moved the second record to line 4
        Assert.Empty(_warnings);
    }

    [Fact]
    public void ColumnsAreMatchedByNameNotPosition()
    {
        _fixture.Write();
        _fixture.WriteFile("users.csv", "email,role,sourcedId,givenName\nx@d.org,student,u9,Xi\n");

        var user = Assert.Single(ReadUsers());

        Assert.Equal("u9", user.SourcedId);
        Assert.Equal("x@d.org", user.Email);
        Assert.Equal("Xi", user.GivenName);
        Assert.Equal("", user.FamilyName);
    }

    [Fact]
    public void RowWithWrongColumnCountIsAWarningWithFileAndLineAndNeverItsValues()
    {
        _fixture.Write();
        _fixture.WriteFile("users.csv", "sourcedId,role,email\n\"a\nb\",teacher,a@d.org\nsecret-value,teacher\nu3,teacher,c@d.org\n");

        var users = ReadUsers();

        Assert.Equal(new[] { "a\nb", "u3" }, users.Select(u => u.SourcedId));
        var warning = Assert.Single(_warnings);
        Assert.Equal("users.csv", warning.Location);
        Assert.Equal(4, warning.Line);
        Assert.Contains("2 fields but the header has 3", warning.Reason);
        Assert.DoesNotContain("secret-value", warning.ToString());
    }

    [Fact]
    public void UnterminatedQuoteIsAWarningNotACrash()
    {
        _fixture.Write();
        _fixture.WriteFile("users.csv", "sourcedId,role,email\nu1,teacher,a@d.org\nu2,\"teacher,b@d.org\nu3,teacher,c@d.org\n");

        var users = ReadUsers();

        Assert.Equal("u1", Assert.Single(users).SourcedId);
        var warning = Assert.Single(_warnings);
        Assert.Equal(("users.csv", 3L), (warning.Location, warning.Line));
        Assert.Contains("could not be read", warning.Reason);
    }

    [Fact]
    public void BlankLinesAreSkippedSilently()
    {
        _fixture.Write();
        _fixture.WriteFile("users.csv", "sourcedId,role,email\nu1,teacher,a@d.org\n\nu2,teacher,b@d.org\n");

        Assert.Equal(2, ReadUsers().Count);
        Assert.Empty(_warnings);
    }

    [Fact]
    public void MissingRequiredFileIsATerminatingErrorNamingIt()
    {
        _fixture.Write();
        File.Delete(Path.Combine(_fixture.Folder, "enrollments.csv"));
        using var source = new CsvRosterSource(_fixture.Folder, Observer);

        var ex = Assert.Throws<RosterReadException>(() => source.ReadEnrollments(CancellationToken.None).ToList());

        Assert.Contains("enrollments.csv", ex.Message);
        Assert.Contains("missing", ex.Message);
    }

    [Fact]
    public void MissingRequiredColumnIsATerminatingErrorNamingIt()
    {
        _fixture.Write();
        _fixture.WriteFile("users.csv", "sourcedId,givenName,email\nu1,A,a@d.org\n");

        var ex = Assert.Throws<RosterReadException>(() => ReadUsers());

        Assert.Contains("users.csv", ex.Message);
        Assert.Contains("'role'", ex.Message);
    }

    [Fact]
    public void ZeroByteFileIsAnErrorAndHeaderOnlyFileIsEmpty()
    {
        _fixture.Write();
        _fixture.WriteFile("users.csv", "");
        var ex = Assert.Throws<RosterReadException>(() => ReadUsers());
        Assert.Contains("users.csv", ex.Message);
        Assert.Contains("empty", ex.Message);

        _fixture.WriteFile("users.csv", RosterFixture.UsersHeader + "\r\n");
        Assert.Empty(ReadUsers());
        Assert.Empty(_warnings);
    }

    [Fact]
    public void NonexistentPathIsAnError()
    {
        var ex = Assert.Throws<RosterReadException>(() => new CsvRosterSource(Path.Combine(_fixture.Folder, "nope")));
        Assert.Contains("nope", ex.Message);
    }

    [Fact]
    public void MissingManifestIsAWarningAndReadsAs11()
    {
        _fixture.Users.Add(RosterFixture.User("u1", "teacher", "a@d.org"));
        _fixture.Write(manifest: null);

        using var source = new CsvRosterSource(_fixture.Folder, Observer);

        Assert.Equal("1.1", source.Version);
        Assert.Contains(_warnings, w => w.Location == "manifest.csv");
        Assert.Single(source.ReadUsers(CancellationToken.None));
    }

    [Fact]
    public void UnsupportedManifestVersionIsAnError()
    {
        _fixture.Write("propertyName,value\noneroster.version,2.0\n");
        var ex = Assert.Throws<RosterReadException>(() => new CsvRosterSource(_fixture.Folder));
        Assert.Contains("2.0", ex.Message);
    }

    [Fact]
    public void Version12ReadsRolesFromRolesCsv()
    {
        _fixture.Write("propertyName,value\noneroster.version,1.2\n");
        _fixture.WriteFile("users.csv",
            "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns\n" +
            "u1,active,,true,u1,,Ann,Lee,,,ann@d.org,,,,,,,,,,s1,\n" +
            "u2,active,,true,u2,,Bo,Kim,,,bo@d.org,,,,,,,,,,s2,\n");
        _fixture.WriteFile("roles.csv",
            "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId\n" +
            "r1,active,,u1,primary,Teacher,,,s1,\n" +
            "r2,active,,u1,secondary,teacher,,,s2,\n" +
            "r3,tobedeleted,,u2,primary,teacher,,,s2,\n" +
            "r4,active,,u2,primary,aide,,,s2,\n");

        var users = ReadUsers();

        Assert.Equal(new[] { "teacher" }, users[0].Roles);
        Assert.Equal(new[] { "s1", "s2" }, users[0].OrgSourcedIds);
        Assert.Equal(new[] { "aide" }, users[1].Roles);
    }

    [Fact]
    public void Version12WithoutRolesCsvIsAnError()
    {
        _fixture.Write("propertyName,value\noneroster.version,1.2\n");
        var ex = Assert.Throws<RosterReadException>(() => ReadUsers());
        Assert.Contains("roles.csv", ex.Message);
    }

    [Fact]
    public void ZipEntriesAreStreamedAndHostileNamesAreNeverUsed()
    {
        _fixture.Users.Add(RosterFixture.User("u1", "teacher", "a@d.org"));
        _fixture.Write();
        string outside = Path.Combine(Path.GetTempPath(), "x");
        string hostile = "sourcedId,role,email\nevil,teacher,evil@d.org\n";
        string zip = _fixture.Zip(
            ("../x", Encoding.UTF8.GetBytes(hostile)),
            ("../users.csv", Encoding.UTF8.GetBytes(hostile)),
            ("/etc/users.csv", Encoding.UTF8.GetBytes(hostile)),
            ("sub/users.csv", Encoding.UTF8.GetBytes(hostile)));
        bool existedBefore = File.Exists(outside);

        var users = ReadUsers(zip);

        Assert.Equal("u1", Assert.Single(users).SourcedId);
        Assert.Equal(existedBefore, File.Exists(outside));
        using var source = new CsvRosterSource(zip);
        Assert.StartsWith("OneRoster CSV zip", source.Description);
    }

    [Fact]
    public void ZipWithOnlyTraversalEntriesIsMissingTheFile()
    {
        _fixture.Write();
        File.Delete(Path.Combine(_fixture.Folder, "users.csv"));
        string zip = _fixture.Zip(("../users.csv", Encoding.UTF8.GetBytes("sourcedId,role,email\nevil,teacher,e@d.org\n")));

        var ex = Assert.Throws<RosterReadException>(() => ReadUsers(zip));

        Assert.Contains("users.csv", ex.Message);
        Assert.Contains("missing", ex.Message);
    }

    [Fact]
    public void ZipBombIsRefusedByRatio()
    {
        _fixture.Write();
        File.Delete(Path.Combine(_fixture.Folder, "users.csv"));
        var bomb = new byte[32 * 1024 * 1024];
        Encoding.ASCII.GetBytes("sourcedId,role,email\n").CopyTo(bomb, 0);
        string zip = _fixture.Zip(("users.csv", bomb));

        var ex = Assert.Throws<RosterReadException>(() => ReadUsers(zip));

        Assert.Contains("zip bomb", ex.Message);
    }

    [Fact]
    public void ZipEntryOverTheSizeCapIsRefused()
    {
        _fixture.Users.Add(RosterFixture.User("u1", "teacher", "a@d.org"));
        _fixture.Write();
        string zip = _fixture.Zip();

        var ex = Assert.Throws<RosterReadException>(() => ReadUsers(zip, new CsvArchiveLimits { MaxEntryBytes = 100 }));

        Assert.Contains("limit", ex.Message);
    }

    [Fact]
    public void ExpansionGuardStopsALyingEntryWhileStreaming()
    {
        // A stream that claims a tiny compressed size but inflates far beyond the ratio cap.
        using var compressed = new MemoryStream();
        using (var deflate = new DeflateStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(new byte[8 * 1024 * 1024]);
        }
        compressed.Position = 0;
        var limits = new CsvArchiveLimits { MaxCompressionRatio = 100, RatioCheckThresholdBytes = 1024 };
        using var guard = new ExpansionGuardStream(new DeflateStream(compressed, CompressionMode.Decompress), "users.csv", compressed.Length, limits);

        Assert.Throws<RosterReadException>(() => guard.CopyTo(Stream.Null));
    }

    [Fact]
    public void CorruptZipIsAClearError()
    {
        string path = Path.Combine(_fixture.Folder, "roster.zip");
        File.WriteAllText(path, "this is not a zip");

        var ex = Assert.Throws<RosterReadException>(() => new CsvRosterSource(path));

        Assert.Contains("roster.zip", ex.Message);
    }

    [Fact]
    public void ProgressIsReportedWithBytes()
    {
        _fixture.Users.Add(RosterFixture.User("u1", "teacher", "a@d.org"));
        _fixture.Write();
        var progress = new List<RosterReadProgress>();
        using var source = new CsvRosterSource(_fixture.Folder, new RosterReadObserver { Progress = progress.Add });

        source.ReadUsers(CancellationToken.None).ToList();

        var last = progress.Last();
        Assert.Equal("users.csv", last.Collection);
        Assert.Equal(100, last.PercentComplete);
        Assert.Equal(1, last.RecordsRead);
    }

    [Fact]
    public void CancellationStopsTheRead()
    {
        _fixture.Users.Add(RosterFixture.User("u1", "teacher", "a@d.org"));
        _fixture.Write();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        using var source = new CsvRosterSource(_fixture.Folder);

        Assert.ThrowsAny<OperationCanceledException>(() => source.ReadUsers(cts.Token).ToList());
    }
}
