using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.OneRoster.Rest;
using Xunit;
using static SensoClassLink.Core.Tests.OneRoster.RestTestContext;

namespace SensoClassLink.Core.Tests.OneRoster;

public sealed class TeacherScopeTests
{
    /// <summary>What the full roster says about one teacher, computed locally from the CSV: the reference the scope must equal.</summary>
    private static RosterSnapshotText ExpectedFromCsv(string email)
    {
        using var csv = new CsvRosterSource(DataFolder);
        var users = csv.ReadUsers(default).ToList();
        var enrollments = csv.ReadEnrollments(default).ToList();
        var classes = csv.ReadClasses(default).ToList();
        var orgs = csv.ReadOrgs(default).ToList();
        var teachers = users.Where(u => string.Equals(u.Email.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
        var teacherIds = teachers.Select(u => u.SourcedId).ToHashSet();
        var classIds = enrollments.Where(e => teacherIds.Contains(e.UserSourcedId)).Select(e => e.ClassSourcedId).ToHashSet();
        var scopedClasses = classes.Where(c => classIds.Contains(c.SourcedId)).ToList();
        var scopedEnrollments = enrollments.Where(e => teacherIds.Contains(e.UserSourcedId) || classIds.Contains(e.ClassSourcedId)).ToList();
        var userIds = scopedEnrollments.Select(e => e.UserSourcedId).Concat(teacherIds).ToHashSet();
        var scopedUsers = users.Where(u => userIds.Contains(u.SourcedId)).ToList();
        var orgIds = scopedUsers.SelectMany(u => u.OrgSourcedIds).Concat(scopedClasses.Select(c => c.SchoolSourcedId)).Concat(scopedEnrollments.Select(e => e.SchoolSourcedId)).ToHashSet();
        foreach (var org in orgs.Where(o => orgIds.Contains(o.SourcedId)).ToList())
        {
            if (org.ParentSourcedId is { Length: > 0 } parent)
            {
                orgIds.Add(parent);
            }
        }
        return Snapshot(new FixedSource(orgs.Where(o => orgIds.Contains(o.SourcedId)).ToList(), scopedUsers, scopedClasses, scopedEnrollments));
    }

    [Theory]
    [InlineData("jane.doe@riverside.org")]
    [InlineData("omer.celik@riverside.org")]   // two schools, one with '|' and a space in its sourcedId
    [InlineData("dee.space@riverside.org")]    // sourcedId with a space: no filter on it, falls back for enrollments
    [InlineData("  Jane.Doe@Riverside.org ")]  // case and blanks differ from the roster
    public async Task ScopedSourceEqualsTheFullComputationForThatTeacher(string email)
    {
        await using var server = await StartAsync(maxPageSize: 50);
        using var source = Open(OAuth1(server, pageSize: 50));
        using var scoped = source.ScopeToTeacher(email);

        var expected = ExpectedFromCsv(email);
        var actual = Snapshot(scoped);

        Assert.NotEmpty(expected.Classes);
        Assert.Equal(expected.Orgs, actual.Orgs);
        Assert.Equal(expected.Users, actual.Users);
        Assert.Equal(expected.Classes, actual.Classes);
        Assert.Equal(expected.Enrollments, actual.Enrollments);
    }

    [Fact]
    public async Task ATeacherWithASafeEmailAndIdIsReadWithoutAnyFullPull()
    {
        await using var server = await StartAsync(maxPageSize: 50);
        using var source = Open(OAuth2(server, pageSize: 50));
        var scoped = (TeacherScopedRosterSource)source.ScopeToTeacher("jane.doe@riverside.org");

        Assert.Single(scoped.ReadUsers(default), u => u.SourcedId == "t-001");
        Assert.False(scoped.UsedFullPull);
        Assert.Equal(new[] { "email='jane.doe@riverside.org'", "user.sourcedId='t-001'" }, server.Stats.Filters.ToArray());
        // Small and bounded: token + users + enrollments + 2 classes x (class, enrollments, students, teachers) + orgs.
        Assert.InRange(server.Stats.Requests, 8, 16);
    }

    [Fact]
    public async Task TheReadStageAnswersAFewNamedTeachersWithTargetedReadsAndPlansTheirGroupsFromTheSameRead()
    {
        await using var server = await StartAsync(maxPageSize: 50);

        var reading = new SensoClassLink.Core.Sync.RosterReader(_ => Open(OAuth2(server, pageSize: 50)))
            .Read(new DateTime(2025, 10, 1), withGroups: true, new[] { "jane.doe@riverside.org" }, default);
        int requests = server.Stats.Requests;

        Assert.True(reading.Targeted);
        Assert.NotNull(reading.Evaluation.Find("jane.doe@riverside.org"));
        Assert.Equal(new[] { "email='jane.doe@riverside.org'", "user.sourcedId='t-001'" }, server.Stats.Filters.ToArray());
        Assert.InRange(requests, 8, 16);
        // The group plan comes from the same scoped read: no request more.
        Assert.NotEmpty(reading.PlanGroups(new[] { "jane.doe@riverside.org" })["jane.doe@riverside.org"]);
        Assert.Equal(requests, server.Stats.Requests);
    }

    [Theory]
    [InlineData("x' OR email~'")]
    [InlineData("ann.o'neil@riverside.org")]
    [InlineData("a@b.org' OR role='student")]
    [InlineData("jane doe@riverside.org")]
    public async Task ValuesOutsideTheAllowListNeverReachAFilterAndFallBackToAFullPull(string email)
    {
        await using var server = await StartAsync(maxPageSize: 50);
        using var source = Open(OAuth1(server, pageSize: 50));
        var scoped = (TeacherScopedRosterSource)source.ScopeToTeacher(email);

        var users = scoped.ReadUsers(default).ToList();

        Assert.True(scoped.UsedFullPull);
        Assert.DoesNotContain(server.Stats.Filters, f => f.Contains(email.Trim(), StringComparison.Ordinal) || f.Contains(" OR ", StringComparison.Ordinal));
        var expected = ExpectedFromCsv(email);
        Assert.Equal(expected.Users, Snapshot(scoped).Users);
        if (email.StartsWith("ann", StringComparison.Ordinal))
        {
            Assert.Contains(users, u => u.SourcedId == "t-003");
        }
        else
        {
            Assert.Empty(users);
        }
    }

    [Fact]
    public async Task ACaseSensitiveServerMissIsConfirmedByAFullUsersPull()
    {
        await using var server = await StartAsync(maxPageSize: 50);
        using var source = Open(OAuth1(server, pageSize: 50));
        var scoped = (TeacherScopedRosterSource)source.ScopeToTeacher("bob.smith@riverside.org");
        Assert.Contains(scoped.ReadUsers(default), u => u.SourcedId == "t-004");
        Assert.Equal("email='bob.smith@riverside.org'", server.Stats.Filters.First());
        Assert.True(scoped.UsedFullPull);
    }

    [Theory]
    [InlineData("jane.doe@riverside.org", true)]
    [InlineData("a.b-c_d+e@x.example", true)]
    [InlineData("x' OR email~'", false)]
    [InlineData("a\"b@x.org", false)]
    [InlineData("a b@x.org", false)]
    [InlineData("a%27@x.org", false)]
    [InlineData("", false)]
    public void FilterAllowList(string value, bool safe)
    {
        Assert.Equal(safe, OneRosterFilter.IsSafeValue(value));
        Assert.Equal(safe, OneRosterFilter.Equal("email", value).HasValue);
    }

    private sealed class FixedSource(List<RosterOrg> orgs, List<RosterUser> users, List<RosterClass> classes, List<RosterEnrollment> enrollments) : IRosterSource
    {
        public string Description => "fixed";
        public IEnumerable<RosterOrg> ReadOrgs(CancellationToken cancellationToken) => orgs;
        public IEnumerable<RosterUser> ReadUsers(CancellationToken cancellationToken) => users;
        public IEnumerable<RosterClass> ReadClasses(CancellationToken cancellationToken) => classes;
        public IEnumerable<RosterEnrollment> ReadEnrollments(CancellationToken cancellationToken) => enrollments;
        public void Dispose()
        {
        }
    }
}
