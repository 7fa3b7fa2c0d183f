using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.Tests.OneRoster;
using Xunit;
using static SensoClassLink.Core.Tests.OneRoster.RosterFixture;

namespace SensoClassLink.Core.Tests.Eligibility;

public sealed class ClassGroupPlannerTests : IDisposable
{
    private static readonly DateTime AsOf = new(2025, 3, 10);
    private readonly RosterFixture _fixture = new();

    public ClassGroupPlannerTests()
    {
        // ann (two records, two schools) co-teaches math with bob; ann alone teaches art (students) and club (no students).
        _fixture.Users.Add(User("ann-1", "teacher", "Ann@District.org", orgs: "s1"));
        _fixture.Users.Add(User("ann-2", "teacher", "ann@district.org", orgs: "s2"));
        _fixture.Users.Add(User("bob", "teacher", "bob@district.org"));
        _fixture.Users.Add(User("nomail", "teacher", ""));
        _fixture.Users.Add(User("k1", "student", "Kid.One@District.org"));
        _fixture.Users.Add(User("k2", "student", ""));
        _fixture.Users.Add(User("k3", "student", "broken@"));
        _fixture.Users.Add(User("k4", "student", "gone@district.org", status: "tobedeleted"));
        _fixture.Classes.Add(Class("math", "Math 7"));
        _fixture.Classes.Add(Class("art", "Art", school: "s2"));
        _fixture.Classes.Add(Class("club", "Chess Club"));
        _fixture.Enrollments.Add(Enrollment("1", "math", "ann-1", "teacher"));
        _fixture.Enrollments.Add(Enrollment("2", "math", "bob", "teacher"));
        _fixture.Enrollments.Add(Enrollment("3", "art", "ann-2", "teacher"));
        _fixture.Enrollments.Add(Enrollment("4", "club", "ann-1", "teacher"));
        _fixture.Enrollments.Add(Enrollment("4b", "math", "nomail", "teacher"));
        _fixture.Enrollments.Add(Enrollment("5", "math", "k1", "student"));
        _fixture.Enrollments.Add(Enrollment("6", "math", "k2", "student"));
        _fixture.Enrollments.Add(Enrollment("7", "math", "k3", "student"));
        _fixture.Enrollments.Add(Enrollment("8", "art", "k1", "student"));
        _fixture.Enrollments.Add(Enrollment("9", "art", "k4", "student"));
        _fixture.Enrollments.Add(Enrollment("10", "club", "k2", "student", end: "2025-01-01"));
    }

    public void Dispose() => _fixture.Dispose();

    private IReadOnlyDictionary<string, IReadOnlyList<SensoClassLink.Core.Senso.SensoGroup>> Plan(params string[] emails)
    {
        _fixture.Write();
        using var source = new CsvRosterSource(_fixture.Folder);
        return RosterPass.Read(source, AsOf, null, withGroups: true, CancellationToken.None).PlanGroups(emails);
    }

    private IReadOnlyDictionary<string, string> Fingerprints()
    {
        _fixture.Write();
        using var source = new CsvRosterSource(_fixture.Folder);
        return RosterPass.Read(source, AsOf, null, withGroups: true, CancellationToken.None).GroupFingerprints();
    }

    [Fact]
    public void PlansOneGroupPerPopulatedClassWithOwnersAndMembers()
    {
        var plan = Plan(" ANN@district.org ", "bob@district.org", "nobody@district.org");

        Assert.Equal(new[] { "ann@district.org", "bob@district.org" }, plan.Keys.OrderBy(k => k));
        var ann = plan["ann@district.org"];
        Assert.Equal(new[] { "art", "math" }, ann.Select(g => g.Key)); // club has no current student
        var math = ann[1];
        Assert.Equal("Math 7", math.Name);
        Assert.Equal(new[] { "ann@district.org", "bob@district.org" }, math.Owners); // co-taught; no-email teacher left out
        Assert.Equal(new[] { "k2", "k3", "kid.one@district.org" }, math.Members); // sourcedId when email blank or invalid
        Assert.Equal(new[] { "kid.one@district.org" }, ann[0].Members); // the tobedeleted student is not a member
        Assert.Equal(new[] { "math" }, plan["bob@district.org"].Select(g => g.Key));
    }

    [Fact]
    public void UnknownTeachersGetNoEntryAndEmptyRequestsReadNothing()
    {
        Assert.Empty(Plan("nobody@district.org"));
        Assert.Empty(Plan());
    }

    [Fact]
    public void FingerprintsCoverEligibleTeachersAndAgreeWithPlannedGroups()
    {
        var prints = Fingerprints();
        var plan = Plan("ann@district.org", "bob@district.org");

        Assert.Equal(new[] { "ann@district.org", "bob@district.org" }, prints.Keys.OrderBy(k => k));
        Assert.Equal(ClassGroupPlanner.Fingerprint(plan["ann@district.org"]), prints["ann@district.org"]);
        Assert.Equal(ClassGroupPlanner.Fingerprint(plan["bob@district.org"]), prints["bob@district.org"]);
        Assert.NotEqual(prints["ann@district.org"], prints["bob@district.org"]);
        Assert.Matches("^[0-9a-f]{32}$", prints["ann@district.org"]);
    }

    [Fact]
    public void ReorderingRowsDoesNotChangeFingerprints()
    {
        var before = Fingerprints();
        _fixture.Enrollments.Reverse();
        _fixture.Users.Reverse();
        _fixture.Classes.Reverse();

        Assert.Equal(before, Fingerprints());
    }

    public static TheoryData<string, Action<RosterFixture>> Changes => new()
    {
        { "member email", f => f.Users[4] = User("k1", "student", "kid.1@district.org") },
        { "member added", f => { f.Users.Add(User("k5", "student", "k5@district.org")); f.Enrollments.Add(Enrollment("new", "math", "k5", "student")); } },
        { "member removed", f => f.Enrollments.RemoveAll(e => e.StartsWith("7,")) },
        { "title", f => f.Classes[0] = Class("math", "Math 7 (honors)") },
        { "owner email", f => f.Users[2] = User("bob", "teacher", "robert@district.org") },
        { "owner added", f => { f.Users.Add(User("dee", "teacher", "dee@district.org")); f.Enrollments.Add(Enrollment("co2", "math", "dee", "teacher")); } },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void AnyChangeToAGroupChangesTheFingerprint(string change, Action<RosterFixture> apply)
    {
        _ = change;
        var before = Fingerprints();
        apply(_fixture);
        var after = Fingerprints();

        Assert.NotEqual(before["ann@district.org"], after["ann@district.org"]);
        var plan = Plan("ann@district.org");
        Assert.Equal(ClassGroupPlanner.Fingerprint(plan["ann@district.org"]), after["ann@district.org"]);
    }

    [Fact]
    public void ChangesToOtherTeachersClassesLeaveAFingerprintAlone()
    {
        _fixture.Users.Add(User("cy", "teacher", "cy@district.org"));
        _fixture.Classes.Add(Class("bio", "Biology"));
        _fixture.Enrollments.Add(Enrollment("b1", "bio", "cy", "teacher"));
        _fixture.Enrollments.Add(Enrollment("b2", "bio", "k1", "student"));
        var before = Fingerprints();
        _fixture.Enrollments.Add(Enrollment("b3", "bio", "k2", "student"));

        var after = Fingerprints();

        Assert.Equal(before["ann@district.org"], after["ann@district.org"]);
        Assert.NotEqual(before["cy@district.org"], after["cy@district.org"]);
    }
}
