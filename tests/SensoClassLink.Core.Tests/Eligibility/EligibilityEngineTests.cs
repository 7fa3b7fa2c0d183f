using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.Tests.OneRoster;
using Xunit;
using static SensoClassLink.Core.Tests.OneRoster.RosterFixture;

namespace SensoClassLink.Core.Tests.Eligibility;

public sealed class EligibilityEngineTests : IDisposable
{
    private static readonly DateTime AsOf = new(2025, 3, 10);
    private readonly RosterFixture _fixture = new();
    private readonly List<DataQualityWarning> _warnings = new();

    public void Dispose() => _fixture.Dispose();

    private RosterEvaluation Evaluate(DateTime? asOf = null, string? manifest = Manifest11)
    {
        _fixture.Write(manifest);
        var observer = new RosterReadObserver { Warning = _warnings.Add };
        using var source = new CsvRosterSource(_fixture.Folder, observer);
        return EligibilityEngine.Evaluate(source, asOf ?? AsOf, observer, CancellationToken.None);
    }

    private TeacherEligibility Teacher(RosterEvaluation evaluation, string sourcedId) =>
        Assert.Single(evaluation.Teachers, t => t.SourcedIds.Contains(sourcedId));

    [Theory]
    [InlineData("  Jane.Doe@District.ORG ", "jane.doe@district.org")]
    [InlineData(null, "")]
    [InlineData("   ", "")]
    [InlineData("ÉLODIE@D.ORG", "élodie@d.org")]
    public void NormalizeTrimsAndLowerCases(string? raw, string expected) => Assert.Equal(expected, EmailAddress.Normalize(raw));

    [Theory]
    [InlineData("jane@district.org", true)]
    [InlineData("o'brien@district.org", true)]
    [InlineData("first.last+tag_x-y@sub.district.k12.us", true)]
    [InlineData("a@b.co", true)]
    [InlineData("", false)]
    [InlineData("jane", false)]
    [InlineData("jane@@district.org", false)]
    [InlineData("ja@ne@district.org", false)]
    [InlineData("@district.org", false)]
    [InlineData("jane@localhost", false)]
    [InlineData("jane@district..org", false)]
    [InlineData("jane@.district.org", false)]
    [InlineData("jane@district.org.", false)]
    [InlineData("jane@-district.org", false)]
    [InlineData("jane@district-.org", false)]
    [InlineData("ja ne@district.org", false)]
    [InlineData("jane@dis\ttrict.org", false)]
    [InlineData("jane\u0001@district.org", false)]
    public void EmailValidity(string email, bool valid) => Assert.Equal(valid, EmailAddress.IsValid(email));

    [Fact]
    public void EmailLengthLimits()
    {
        Assert.True(EmailAddress.IsValid(new string('a', 64) + "@d.org"));
        Assert.False(EmailAddress.IsValid(new string('a', 65) + "@d.org"));
        string domain = string.Join(".", Enumerable.Repeat(new string('b', 63), 3)) + "." + new string('c', 56) + ".org";
        Assert.Equal(252, domain.Length);
        Assert.True(EmailAddress.IsValid("a@" + domain));   // 254: the maximum
        Assert.False(EmailAddress.IsValid("aa@" + domain)); // 255
    }

    [Fact]
    public void TeacherWithAPopulatedClassIsEligible()
    {
        _fixture.WithTeacherAndStudent();

        var evaluation = Evaluate();

        var teacher = Assert.Single(evaluation.Teachers);
        Assert.Equal(EligibilityReason.Eligible, teacher.Reason);
        Assert.True(teacher.Eligible);
        Assert.Equal("t1@district.org", teacher.Email);
        Assert.Equal(1, teacher.PopulatedClassCount);
        Assert.Equal(1, teacher.StudentCount);
        Assert.Equal(new[] { "s1" }, teacher.SchoolSourcedIds);
        Assert.Equal(new[] { "North High" }, teacher.SchoolNames);
        var cls = Assert.Single(teacher.Classes);
        Assert.Equal(("c1", "Class c1", "s1", "North High", 1), (cls.SourcedId, cls.Title, cls.SchoolSourcedId, cls.SchoolName, cls.StudentCount));
        Assert.Same(teacher, evaluation.Find(" T1@District.org"));
    }

    [Fact]
    public void RoleIsCaseInsensitiveAndOtherRolesAreNotTeachers()
    {
        _fixture.WithTeacherAndStudent();
        _fixture.Users.Add(User("t2", "TEACHER", "t2@district.org"));
        _fixture.Users.Add(User("aide1", "aide", "aide@district.org"));
        _fixture.Users.Add(User("adm1", "administrator", "adm@district.org"));

        var evaluation = Evaluate();

        Assert.Equal(new[] { "t1@district.org", "t2@district.org" }, evaluation.Teachers.Select(t => t.Email));
    }

    [Theory]
    [InlineData("", "", EligibilityReason.Eligible)]
    [InlineData("active", "true", EligibilityReason.Eligible)]
    [InlineData("Active", "TRUE", EligibilityReason.Eligible)]
    [InlineData("tobedeleted", "", EligibilityReason.Inactive)]
    [InlineData("inactive", "", EligibilityReason.Inactive)]
    [InlineData("", "false", EligibilityReason.Inactive)]
    [InlineData("active", "FALSE", EligibilityReason.Inactive)]
    public void ActiveMeansStatusBlankOrActiveAndEnabledNotFalse(string status, string enabled, EligibilityReason expected)
    {
        _fixture.WithTeacherAndStudent();
        _fixture.Users[0] = User("t1", "teacher", "t1@district.org", status, enabled);

        Assert.Equal(expected, Assert.Single(Evaluate().Teachers).Reason);
    }

    [Fact]
    public void ReasonsApplyInOrder()
    {
        _fixture.Users.Add(User("s", "student", "s@district.org"));
        _fixture.Classes.Add(Class("c-pop"));
        _fixture.Classes.Add(Class("c-empty"));
        _fixture.Enrollments.Add(Enrollment("es", "c-pop", "s", "student"));
        void Teach(string id, string email, string status, string cls)
        {
            _fixture.Users.Add(User(id, "teacher", email, status));
            if (cls.Length > 0)
            {
                _fixture.Enrollments.Add(Enrollment("e-" + id, cls, id, "teacher"));
            }
        }
        Teach("missing", "  ", "tobedeleted", "c-pop");   // MissingEmail beats Inactive
        Teach("invalid", "not-an-email", "tobedeleted", "c-pop"); // InvalidEmail beats Inactive
        Teach("inactive", "inactive@district.org", "tobedeleted", "c-pop");
        Teach("noclasses", "noclasses@district.org", "", "");
        Teach("nostudents", "nostudents@district.org", "", "c-empty");
        Teach("ok", "ok@district.org", "", "c-pop");

        var evaluation = Evaluate();

        Assert.Equal(EligibilityReason.MissingEmail, Teacher(evaluation, "missing").Reason);
        Assert.Equal("", Teacher(evaluation, "missing").Email);
        Assert.Equal(EligibilityReason.InvalidEmail, Teacher(evaluation, "invalid").Reason);
        Assert.Equal(EligibilityReason.Inactive, Teacher(evaluation, "inactive").Reason);
        Assert.Equal(EligibilityReason.NoClasses, Teacher(evaluation, "noclasses").Reason);
        Assert.Equal(EligibilityReason.NoStudents, Teacher(evaluation, "nostudents").Reason);
        Assert.Equal(0, Teacher(evaluation, "nostudents").PopulatedClassCount);
        Assert.Single(Teacher(evaluation, "nostudents").Classes);
        Assert.Equal(EligibilityReason.Eligible, Teacher(evaluation, "ok").Reason);
        var stats = evaluation.Statistics;
        Assert.Equal(6, stats.Teachers);
        Assert.Equal(1, stats.EligibleTeachers);
        Assert.Equal(1, stats.TeachersByReason[EligibilityReason.NoStudents]);
        Assert.Equal(1, stats.TeachersByReason[EligibilityReason.MissingEmail]);
        Assert.Equal("", evaluation.Teachers.Last().Email); // teachers without an email sort last
    }

    [Fact]
    public void RecordsSharingANormalizedEmailAreOneTeacherWithUnitedClasses()
    {
        _fixture.Orgs.Add("s3,,,West Elementary,school,,d1");
        _fixture.Users.Add(User("t-a", "teacher", "Pat.Lee@District.org", orgs: "s1", given: "Pat", family: "Lee"));
        _fixture.Users.Add(User("t-b", "teacher", " pat.lee@district.org ", orgs: "d1,s2"));
        _fixture.Users.Add(User("t-c", "teacher", "pat.lee@district.org", status: "tobedeleted", orgs: "s3"));
        _fixture.Users.Add(User("s1", "student", ""));
        _fixture.Users.Add(User("s2", "student", ""));
        _fixture.Classes.Add(Class("ca", school: "s1"));
        _fixture.Classes.Add(Class("cb", school: "s2"));
        _fixture.Classes.Add(Class("cc", school: "s3"));
        _fixture.Enrollments.Add(Enrollment("1", "ca", "t-a", "teacher"));
        _fixture.Enrollments.Add(Enrollment("2", "cb", "t-b", "teacher"));
        _fixture.Enrollments.Add(Enrollment("3", "cc", "t-c", "teacher")); // inactive record: its class does not count
        _fixture.Enrollments.Add(Enrollment("4", "ca", "s1", "student"));
        _fixture.Enrollments.Add(Enrollment("5", "cb", "s1", "student"));
        _fixture.Enrollments.Add(Enrollment("6", "cb", "s2", "student"));
        _fixture.Enrollments.Add(Enrollment("7", "cc", "s2", "student"));

        var evaluation = Evaluate();

        var teacher = Assert.Single(evaluation.Teachers);
        Assert.Equal("pat.lee@district.org", teacher.Email);
        Assert.Equal(new[] { "t-a", "t-b", "t-c" }, teacher.SourcedIds);
        Assert.Equal(new[] { "ca", "cb" }, teacher.Classes.Select(c => c.SourcedId));
        Assert.Equal(2, teacher.StudentCount); // s1 is in both classes: counted once
        Assert.Equal(new[] { "s1", "s2", "s3" }, teacher.SchoolSourcedIds); // the district org is not a school
        Assert.Equal(new[] { "North High", "South Middle", "West Elementary" }, teacher.SchoolNames);
        Assert.Equal(("Pat", "Lee"), (teacher.GivenName, teacher.FamilyName));
        Assert.Equal(3, evaluation.Statistics.TeacherRecords);
        Assert.Equal(1, evaluation.Statistics.Teachers);
    }

    [Fact]
    public void RecordsWithoutEmailStandAlone()
    {
        _fixture.Users.Add(User("t-a", "teacher", ""));
        _fixture.Users.Add(User("t-b", "teacher", "  "));

        var evaluation = Evaluate();

        Assert.Equal(2, evaluation.Teachers.Count);
        Assert.All(evaluation.Teachers, t => Assert.Equal(EligibilityReason.MissingEmail, t.Reason));
        Assert.Null(evaluation.Find(""));
    }

    [Theory]
    [InlineData("", "", true)]
    [InlineData("2025-03-10", "", true)]   // beginDate is inclusive
    [InlineData("2025-03-11", "", false)]  // future
    [InlineData("", "2025-03-11", true)]
    [InlineData("", "2025-03-10", false)]  // endDate is exclusive
    [InlineData("", "2024-06-30", false)]  // ended
    [InlineData("2024-08-01", "2025-06-30", true)]
    [InlineData("2024-08-01T00:00:00Z", "", true)]
    public void StudentEnrollmentIsCurrentBetweenItsDates(string begin, string end, bool counts)
    {
        _fixture.WithTeacherAndStudent();
        _fixture.Enrollments[1] = Enrollment("e-s-c1", "c1", "stu-c1", "student", begin: begin, end: end);

        var teacher = Assert.Single(Evaluate().Teachers);

        Assert.Equal(counts ? EligibilityReason.Eligible : EligibilityReason.NoStudents, teacher.Reason);
    }

    [Fact]
    public void TeacherEnrollmentMustAlsoBeCurrent()
    {
        _fixture.WithTeacherAndStudent();
        _fixture.Enrollments[0] = Enrollment("e-t-c1", "c1", "t1", "teacher", end: "2025-01-01");

        Assert.Equal(EligibilityReason.NoClasses, Assert.Single(Evaluate().Teachers).Reason);
    }

    [Fact]
    public void UnreadableDateIsAWarningAndDoesNotCount()
    {
        _fixture.WithTeacherAndStudent();
        _fixture.Enrollments[1] = Enrollment("e-s-c1", "c1", "stu-c1", "student", begin: "03/01/2025");

        var teacher = Assert.Single(Evaluate().Teachers);

        Assert.Equal(EligibilityReason.NoStudents, teacher.Reason);
        var warning = Assert.Single(_warnings);
        Assert.Equal(("enrollments.csv", 3L), (warning.Location, warning.Line));
        Assert.Contains("beginDate", warning.Reason);
    }

    [Theory]
    [InlineData("tobedeleted", "")]
    [InlineData("inactive", "")]
    [InlineData("", "tobedeleted")]
    public void InactiveEnrollmentOrClassDoesNotCount(string enrollmentStatus, string classStatus)
    {
        _fixture.WithTeacherAndStudent();
        _fixture.Enrollments[1] = Enrollment("e-s-c1", "c1", "stu-c1", "student", status: enrollmentStatus);
        _fixture.Classes[0] = Class("c1", status: classStatus);

        var teacher = Assert.Single(Evaluate().Teachers);

        Assert.Equal(classStatus.Length > 0 ? EligibilityReason.NoClasses : EligibilityReason.NoStudents, teacher.Reason);
    }

    [Theory]
    [InlineData("tobedeleted", "")]
    [InlineData("", "false")]
    public void InactiveStudentsDoNotPopulateAClass(string status, string enabled)
    {
        _fixture.WithTeacherAndStudent();
        _fixture.Users[1] = User("stu-c1", "student", "s@d.org", status, enabled);

        Assert.Equal(EligibilityReason.NoStudents, Assert.Single(Evaluate().Teachers).Reason);
    }

    [Fact]
    public void OnlyStudentRoleUsersInStudentEnrollmentsAreStudents()
    {
        _fixture.WithTeacherAndStudent();
        _fixture.Users[1] = User("stu-c1", "aide", "s@d.org"); // enrolled as student but not a student record
        _fixture.Users.Add(User("kid", "student", "kid@d.org"));
        _fixture.Enrollments.Add(Enrollment("e-aide", "c1", "kid", "aide")); // a student enrolled as aide

        Assert.Equal(EligibilityReason.NoStudents, Assert.Single(Evaluate().Teachers).Reason);
    }

    [Fact]
    public void AideEnrollmentDoesNotMakeATeacherOfAClass()
    {
        _fixture.WithTeacherAndStudent();
        _fixture.Enrollments[0] = Enrollment("e-t-c1", "c1", "t1", "aide");

        Assert.Equal(EligibilityReason.NoClasses, Assert.Single(Evaluate().Teachers).Reason);
    }

    [Fact]
    public void DanglingEnrollmentsAreIgnoredAndWarned()
    {
        _fixture.WithTeacherAndStudent();
        _fixture.Enrollments.Add(Enrollment("e-ghost-user", "c1", "ghost", "student"));
        _fixture.Enrollments.Add(Enrollment("e-ghost-class", "c-ghost", "t1", "teacher"));

        var evaluation = Evaluate();

        var teacher = Assert.Single(evaluation.Teachers);
        Assert.Equal(1, teacher.StudentCount);
        Assert.Single(teacher.Classes);
        Assert.Equal(2, _warnings.Count);
        Assert.Contains(_warnings, w => w.Line == 4 && w.Reason.Contains("user that is not in the roster"));
        Assert.Contains(_warnings, w => w.Line == 5 && w.Reason.Contains("class that is not in the roster"));
        Assert.Equal(2, evaluation.Statistics.DataQualityWarnings);
        Assert.Equal(4, evaluation.Statistics.Enrollments);
        Assert.Equal(2, evaluation.Statistics.CountingEnrollments);
    }

    [Fact]
    public void DuplicateEnrollmentRowsCountAStudentOnce()
    {
        _fixture.WithTeacherAndStudent();
        _fixture.Enrollments.Add(Enrollment("dup", "c1", "stu-c1", "student"));
        _fixture.Enrollments.Add(Enrollment("dup-t", "c1", "t1", "teacher"));

        var teacher = Assert.Single(Evaluate().Teachers);

        Assert.Equal(1, teacher.StudentCount);
        Assert.Equal(1, Assert.Single(teacher.Classes).StudentCount);
    }

    [Fact]
    public void CoTaughtClassBelongsToBothTeachers()
    {
        _fixture.WithTeacherAndStudent();
        _fixture.Users.Add(User("t2", "teacher", "t2@district.org"));
        _fixture.Enrollments.Add(Enrollment("co", "c1", "t2", "teacher"));

        var evaluation = Evaluate();

        Assert.All(evaluation.Teachers, t => Assert.Equal(EligibilityReason.Eligible, t.Reason));
        Assert.Equal(2, evaluation.Teachers.Count);
    }

    [Fact]
    public void StatisticsCountTheRoster()
    {
        _fixture.WithTeacherAndStudent().WithTeacherAndStudent("t2", "t2@district.org", "c2");
        _fixture.Users.Add(User("gone", "student", "gone@d.org", status: "tobedeleted"));

        var stats = Evaluate().Statistics;

        Assert.Equal(2, stats.Schools);
        Assert.Equal(2, stats.TeacherRecords);
        Assert.Equal(2, stats.Students);
        Assert.Equal(2, stats.Classes);
        Assert.Equal(4, stats.Enrollments);
        Assert.Equal(4, stats.CountingEnrollments);
    }

    [Fact]
    public void Version12TeachersComeFromRolesCsv()
    {
        _fixture.Classes.Add(Class("c1"));
        _fixture.Enrollments.Add(Enrollment("1", "c1", "t", "teacher"));
        _fixture.Enrollments.Add(Enrollment("2", "c1", "s", "student"));
        _fixture.Write("propertyName,value\noneroster.version,1.2\n");
        _fixture.WriteFile("users.csv", "sourcedId,status,enabledUser,givenName,familyName,email\nt,active,true,Tia,Ng,tia@d.org\ns,active,true,Sam,Ot,sam@d.org\n");
        _fixture.WriteFile("roles.csv", "sourcedId,status,userSourcedId,roleType,role,orgSourcedId\nr1,active,t,primary,teacher,s2\nr2,active,s,primary,student,s2\n");
        using var source = new CsvRosterSource(_fixture.Folder);

        var teacher = Assert.Single(EligibilityEngine.Evaluate(source, AsOf, RosterReadObserver.None, CancellationToken.None).Teachers);

        Assert.Equal(("tia@d.org", EligibilityReason.Eligible), (teacher.Email, teacher.Reason));
        Assert.Equal(new[] { "s2", "s1" }, teacher.SchoolSourcedIds);
    }

    [Fact]
    public void CancellationStopsEvaluation()
    {
        _fixture.WithTeacherAndStudent();
        _fixture.Write();
        using var source = new CsvRosterSource(_fixture.Folder);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => EligibilityEngine.Evaluate(source, AsOf, RosterReadObserver.None, cts.Token));
    }
}
