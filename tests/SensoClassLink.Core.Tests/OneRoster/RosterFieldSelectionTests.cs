using Newtonsoft.Json;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.OneRoster.Rest;
using Xunit;
using static SensoClassLink.Core.Tests.OneRoster.RestTestContext;

namespace SensoClassLink.Core.Tests.OneRoster;

/// <summary>
/// OneRoster field selection (classlink.api.fieldSelection): pages ask for only the fields the module reads, and what
/// is read is exactly what whole records give; a server that refuses the selection is read whole.
/// </summary>
public sealed class RosterFieldSelectionTests
{
    private static readonly DateTime AsOf = new(2025, 10, 1);

    private static RestRosterSource OpenWith(OneRosterTestServer.OneRosterServer server, OneRosterVersion version, bool fieldSelection, List<string>? verbose = null)
    {
        var settings = version == OneRosterVersion.V1_2 ? OAuth2(server, version, pageSize: 50) : OAuth1(server, version, pageSize: 50);
        settings.FieldSelection = fieldSelection;
        return Open(settings, verbose);
    }

    /// <summary>
    /// The committed test district with a value in every field a mapper reads (it leaves periods and a session's status
    /// blank), so a selection that left one out would read a blank where whole records have a value.
    /// </summary>
    private static Task<OneRosterTestServer.OneRosterServer> StartFullServerAsync(TempDirectory folder)
    {
        foreach (string file in Directory.GetFiles(DataFolder))
        {
            File.Copy(file, folder.File(Path.GetFileName(file)));
        }
        string[] classes = File.ReadAllLines(folder.File("classes.csv"));
        Assert.EndsWith(",,,", classes[1]); // subjects, subjectCodes, periods
        classes[1] += "\"1,2\"";
        File.WriteAllLines(folder.File("classes.csv"), classes);
        string[] sessions = File.ReadAllLines(folder.File("academicSessions.csv"));
        int status = Array.IndexOf(sessions[0].Split(','), "status");
        var fields = sessions[1].Split(',');
        fields[status] = "active";
        sessions[1] = string.Join(",", fields);
        File.WriteAllLines(folder.File("academicSessions.csv"), sessions);
        return StartAsync(maxPageSize: 50, dataFolder: folder.Path);
    }

    /// <summary>
    /// Every property of every record of every collection, the engine's pooled enrollment rows (pool ids given in one
    /// fixed order, so two sources number alike), and the engine's answer.
    /// </summary>
    private static List<string> Everything(RestRosterSource source)
    {
        static IEnumerable<string> Json<T>(IEnumerable<T> records) => records.Select(r => JsonConvert.SerializeObject(r)).Order(StringComparer.Ordinal);
        var lines = new List<string>();
        lines.AddRange(Json(source.ReadOrgs(default)));
        var users = source.ReadUsers(default).ToList();
        lines.AddRange(Json(users));
        var classes = source.ReadClasses(default).ToList();
        lines.AddRange(Json(classes));
        lines.AddRange(Json(source.ReadEnrollments(default)));
        lines.AddRange(Json(source.ReadAcademicSessions(default, out _) ?? Array.Empty<RosterAcademicSession>()));
        IPooledRosterSource pooled = source;
        foreach (string id in users.Select(u => u.SourcedId).Concat(classes.Select(c => c.SourcedId)).Order(StringComparer.Ordinal))
        {
            pooled.PoolIdOf(id);
        }
        lines.AddRange(pooled.ReadEnrollmentRows(default).Select(r => $"{r.ClassId}|{r.UserId}|{r.Status}|{r.Role}|{r.BeginDate}|{r.EndDate}|{r.Location}").Order(StringComparer.Ordinal).ToList());
        var evaluation = EligibilityEngine.Evaluate(source, AsOf, RosterReadObserver.None, default);
        lines.AddRange(evaluation.Teachers.Select(t =>
            $"{t.Email}|{t.Reason}|{t.StudentCount}|{string.Join(";", t.Classes.Select(c => $"{c.SourcedId}:{c.Title}:{c.SchoolName}:{c.StudentCount}").Order(StringComparer.Ordinal))}")
            .Order(StringComparer.Ordinal));
        return lines;
    }

    [Theory]
    [InlineData(OneRosterVersion.V1_1)]
    [InlineData(OneRosterVersion.V1_2)]
    public async Task EveryCollectionReadWithItsSelectionIsWhatWholeRecordsGive(OneRosterVersion version)
    {
        using var folder = new TempDirectory();
        await using var server = await StartFullServerAsync(folder);
        List<string> whole;
        using (var source = OpenWith(server, version, fieldSelection: false))
        {
            whole = Everything(source);
        }
        Assert.All(server.Stats.FieldSelections, fields => Assert.Equal("", fields));
        server.Stats.FieldSelections.Clear();

        using (var source = OpenWith(server, version, fieldSelection: true))
        {
            // The test server keeps only the selected top-level fields, so a mapper reading a field its selection does
            // not name reads a blank here and this comparison fails.
            Assert.Equal(whole, Everything(source));
            Assert.True(source.Client.FieldSelection);
        }
        var asked = server.Stats.FieldSelections.ToList();
        Assert.DoesNotContain("", asked);
        Assert.Contains(RosterCollections.Users.Fields(version), asked);
        Assert.Contains(RosterCollections.Classes.Fields(version), asked);
        Assert.Contains(RosterCollections.Enrollments.Fields(version), asked);
        Assert.Contains(RosterCollections.EnrollmentRowFields, asked); // the engine's pass reads enrollments as rows, without school
        Assert.Contains(RosterCollections.AcademicSessions.Fields(version), asked);
        Assert.Contains(RosterCollections.Orgs.Fields(version), asked);
    }

    [Fact]
    public async Task ASelectedPageIsSmallerThanAWholeOne()
    {
        // What the selection is for: the bytes a Roster Server writes and the module reads.
        await using var server = await StartAsync(maxPageSize: 100);
        using var whole = await Fetch(server, fieldSelection: false);
        using var selected = await Fetch(server, fieldSelection: true);
        Assert.Equal(whole.Count, selected.Count);
        Assert.InRange(selected.Body.Length, 1, whole.Body.Length * 2 / 3);
    }

    private static Task<RosterPage> Fetch(OneRosterTestServer.OneRosterServer server, bool fieldSelection)
    {
        var settings = OAuth1(server, pageSize: 100);
        settings.FieldSelection = fieldSelection;
        var client = new OneRosterRestClient(settings, FastRetries());
        return client.GetPageAsync(RosterCollections.Enrollments, "/enrollments", Array.Empty<KeyValuePair<string, string>>(), 0, 100, PageRows.Enrollments, default);
    }

    [Theory]
    [InlineData(OneRosterVersion.V1_1)]
    [InlineData(OneRosterVersion.V1_2)]
    public async Task AServerThatRefusesTheSelectionIsReadWholeAfterTheFirstRefusal(OneRosterVersion version)
    {
        await using var server = await StartAsync(maxPageSize: 50);
        List<string> whole;
        using (var source = OpenWith(server, version, fieldSelection: false))
        {
            whole = Everything(source);
        }
        int wholeRequests = server.Stats.Requests;
        server.RefuseFieldSelection = true;
        server.Stats.FieldSelections.Clear();

        var verbose = new List<string>();
        using (var source = OpenWith(server, version, fieldSelection: true, verbose))
        {
            Assert.Equal(whole, Everything(source));
            Assert.False(source.Client.FieldSelection);
        }
        // The first page asked for is refused (pages asked for ahead at the same moment may be too), then every page
        // is asked for without the parameter: the same records for at most maxConcurrency extra requests.
        int refused = server.Stats.FieldSelections.Count(f => f.Length > 0);
        Assert.InRange(refused, 1, 3);
        Assert.Equal(wholeRequests + refused, server.Stats.Requests - wholeRequests);
        string line = Assert.Single(verbose, l => l.Contains("refused the field selection", StringComparison.Ordinal));
        Assert.DoesNotContain("sourcedId,", line); // the line names the endpoint, never the query
    }

    /// <summary>
    /// The connection check tells a sysadmin what the server does with the selection, from the count pages (which ask
    /// for the sourcedId alone): the records' fields show honoured or ignored, the client's fallback shows refused.
    /// </summary>
    [Theory]
    [InlineData(true, false, false, FieldSelectionSupport.Honoured, null)]
    [InlineData(true, true, false, FieldSelectionSupport.Ignored, "ignores OneRoster field selection")]
    [InlineData(true, false, true, FieldSelectionSupport.Refused, "classlink.api.fieldSelection: false")]
    [InlineData(false, false, false, FieldSelectionSupport.Off, null)]
    public async Task TheConnectionCheckSaysWhetherTheServerHonoursTheSelection(bool fieldSelection, bool ignore, bool refuse, FieldSelectionSupport expected, string? hint)
    {
        await using var server = await StartAsync(maxPageSize: 50);
        server.IgnoreFieldSelection = ignore;
        server.RefuseFieldSelection = refuse;
        var settings = OAuth1(server, pageSize: 50);
        settings.FieldSelection = fieldSelection;
        var report = await RosterConnectionCheck.RunAsync(settings, ClassTermRule.Current, FastRetries(), null, null, default);
        Assert.True(report.Succeeded, string.Join(" ", report.Hints));
        Assert.Equal(expected, report.FieldSelection);
        if (hint is null)
        {
            Assert.DoesNotContain(report.Hints, h => h.Contains("field selection", StringComparison.Ordinal));
        }
        else
        {
            Assert.Contains(report.Hints, h => h.Contains(hint, StringComparison.Ordinal));
        }
    }
}
