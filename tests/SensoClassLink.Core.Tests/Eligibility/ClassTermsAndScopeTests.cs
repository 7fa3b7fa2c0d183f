using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.OneRoster.Rest;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.Senso.Local;
using SensoClassLink.Core.State;
using SensoClassLink.Core.Sync;
using SensoClassLink.Core.Tests.OneRoster;
using SensoClassLink.OneRosterTestServer;
using Xunit;
using static SensoClassLink.Core.Tests.OneRoster.RosterFixture;

namespace SensoClassLink.Core.Tests.Eligibility;

/// <summary>
/// Issue 11 items 3 and 4 (scope part): a class counts only in a current term (roster.classTerms), in a listed school
/// (roster.schools) and when no exclusion pattern matches it (roster.excludeClasses); the same over CSV and REST.
/// </summary>
public sealed class ClassTermsAndScopeTests : IDisposable
{
    private static readonly DateTime AsOf = new(2025, 10, 1);
    private static readonly RosterRules AnyTerm = new() { ClassTerms = ClassTermRule.Any };
    private readonly RosterFixture _fixture = new();
    private readonly List<DataQualityWarning> _warnings = new();

    public void Dispose() => _fixture.Dispose();

    /// <summary>t1 teaches c-fall (Fall 2025, current on the as-of date) and c-spring (Spring 2025, ended); t2 only c-spring2 (ended).</summary>
    private void TwoTerms()
    {
        _fixture.Sessions = new List<string>
        {
            Session("fall", "Fall 2025", "2025-08-01", "2025-12-20"),
            Session("spring", "Spring 2025", "2025-01-06", "2025-06-15"),
        };
        _fixture.Users.Add(User("t1", "teacher", "t1@district.org"));
        _fixture.Users.Add(User("t2", "teacher", "t2@district.org"));
        _fixture.Users.Add(User("s1", "student", "s1@district.org"));
        _fixture.Classes.Add(Class("c-fall", "Algebra", terms: "fall"));
        _fixture.Classes.Add(Class("c-spring", "Geometry", terms: "spring"));
        _fixture.Classes.Add(Class("c-spring2", "Biology", terms: "spring"));
        foreach (var (cls, teacher) in new[] { ("c-fall", "t1"), ("c-spring", "t1"), ("c-spring2", "t2") })
        {
            _fixture.Enrollments.Add(Enrollment("e-t-" + cls, cls, teacher, "teacher"));
            _fixture.Enrollments.Add(Enrollment("e-s-" + cls, cls, "s1", "student"));
        }
    }

    private RosterEvaluation Evaluate(RosterRules? rules = null, DateTime? asOf = null)
    {
        _fixture.Write();
        var observer = new RosterReadObserver { Warning = _warnings.Add };
        using var source = new CsvRosterSource(_fixture.Folder, observer);
        return EligibilityEngine.Evaluate(source, asOf ?? AsOf, observer, CancellationToken.None, rules);
    }

    private static TeacherEligibility Teacher(RosterEvaluation evaluation, string email) => evaluation.Find(email)!;

    private static string Classes(TeacherEligibility teacher) => string.Join(",", teacher.Classes.Select(c => c.SourcedId));

    // ---- The term rule, pure ----

    private static TermCalendar Calendar(params RosterAcademicSession[] sessions) =>
        TermCalendar.Build(sessions, AsOf, _ => { });

    private static RosterAcademicSession S(string id, string start, string end, string status = "") =>
        new() { SourcedId = id, Title = id.ToUpperInvariant(), StartDate = start, EndDate = end, Status = status };

    [Theory]
    [InlineData("2025-10-01", "2025-12-20", true)] // starts on the as-of date
    [InlineData("2025-08-01", "2025-10-01", true)] // ends on the as-of date: both ends inclusive
    [InlineData("2025-08-01", "2025-09-30", false)]
    [InlineData("2025-10-02", "2025-12-20", false)]
    [InlineData("2025-08-01", "", true)] // a blank end is open
    [InlineData("2025-08-01T00:00:00Z", "2025-12-20T23:59:59Z", true)] // date-times are read by their date
    public void A_term_is_current_between_its_start_and_end_both_inclusive(string start, string end, bool counts)
    {
        var verdict = Calendar(S("t", start, end)).Judge(new[] { "t" }, new List<string>());
        Assert.Equal(counts, verdict.Counts);
    }

    [Fact]
    public void A_class_counts_when_any_of_its_known_terms_is_current_and_unknown_terms_are_reported()
    {
        var calendar = Calendar(S("old", "2024-08-01", "2025-06-15"), S("now", "2025-08-01", "2026-06-15"), S("gone", "2025-08-01", "2026-06-15", "tobedeleted"));
        var unresolved = new List<string>();

        var both = calendar.Judge(new[] { "old", "now" }, unresolved);
        Assert.True(both.Counts);
        Assert.Equal("NOW", both.Term);
        Assert.Empty(unresolved);

        Assert.False(calendar.Judge(new[] { "old", "missing" }, unresolved).Counts); // the known term decides
        Assert.Equal(new[] { "missing" }, unresolved);

        unresolved.Clear();
        var unknown = calendar.Judge(new[] { "gone", "missing" }, unresolved); // a tobedeleted session is as if absent
        Assert.True(unknown.Counts); // no term information: the class counts
        Assert.Equal(new[] { "gone", "missing" }, unresolved);
    }

    // ---- The scope rule, pure ----

    [Theory]
    [InlineData("", "", "Algebra I", "ALG1", "s1", "North High", true)] // empty: everything
    [InlineData("north high", "", "Algebra I", "ALG1", "s1", "North High", true)] // by name, case-insensitive
    [InlineData("S1", "", "Algebra I", "ALG1", "s1", "North High", true)] // by sourcedId, case-insensitive
    [InlineData("s2", "", "Algebra I", "ALG1", "s1", "North High", false)]
    [InlineData("", "dept meeting*", "Dept Meeting - Math", "DM1", "s1", "North High", false)] // title, wildcard, any case
    [InlineData("", "HR-??", "Homeroom", "HR-12", "s1", "North High", false)] // classCode, ?
    [InlineData("", "HR-??", "Homeroom", "HR-123", "s1", "North High", true)] // ? is exactly one character
    [InlineData("", "Study Hall*", "Algebra (Study Hall)", "ALG", "s1", "North High", true)] // the whole value must match
    [InlineData("", "a.b", "axb", "", "s1", "North High", true)] // other characters are literal
    public void The_scope_limits_schools_and_drops_excluded_classes(string schools, string exclude, string title, string code, string school, string schoolName, bool included)
    {
        var scope = new ClassScope(schools.Split('|', StringSplitOptions.RemoveEmptyEntries), exclude.Split('|', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(included, scope.Includes(title, code, school, schoolName));
    }

    // ---- Through the engine, over CSV ----

    [Fact]
    public void A_class_whose_term_has_ended_does_not_count_and_classTerms_any_restores_the_old_answer()
    {
        TwoTerms();

        var current = Evaluate();
        Assert.Equal((EligibilityReason.Eligible, "c-fall"), (Teacher(current, "t1@district.org").Reason, Classes(Teacher(current, "t1@district.org"))));
        Assert.Equal("Fall 2025", Teacher(current, "t1@district.org").Classes[0].Term);
        Assert.Equal(EligibilityReason.NoClasses, Teacher(current, "t2@district.org").Reason);
        Assert.Empty(_warnings);

        var any = Evaluate(AnyTerm);
        Assert.Equal("c-fall,c-spring", Classes(Teacher(any, "t1@district.org")));
        Assert.Equal(EligibilityReason.Eligible, Teacher(any, "t2@district.org").Reason);
    }

    [Fact]
    public void On_an_as_of_date_in_the_spring_term_the_spring_classes_count_instead()
    {
        TwoTerms();
        var spring = Evaluate(asOf: new DateTime(2025, 3, 1));
        Assert.Equal("c-spring", Classes(Teacher(spring, "t1@district.org")));
        Assert.Equal(EligibilityReason.Eligible, Teacher(spring, "t2@district.org").Reason);
    }

    [Fact]
    public void Unresolved_term_references_count_and_are_warned_with_file_and_line_but_no_values()
    {
        _fixture.WithTeacherAndStudent();
        _fixture.Classes[0] = Class("c1", "Class c1", terms: "nowhere-1,nowhere-2");

        var teacher = Teacher(Evaluate(), "t1@district.org");

        Assert.Equal(EligibilityReason.Eligible, teacher.Reason);
        Assert.Equal(2, _warnings.Count);
        Assert.All(_warnings, w => Assert.Equal(("classes.csv", 2L), (w.Location, w.Line)));
        Assert.All(_warnings, w => Assert.DoesNotContain("nowhere", w.ToString()));
    }

    [Fact]
    public void A_class_without_term_ids_counts_without_a_warning()
    {
        _fixture.WithTeacherAndStudent();
        _fixture.Classes[0] = Class("c1", "Class c1", terms: "");
        _fixture.Sessions = new List<string> { Session("term-1", "Ended", "2020-01-01", "2020-06-01") };

        Assert.Equal(EligibilityReason.Eligible, Teacher(Evaluate(), "t1@district.org").Reason);
        Assert.Empty(_warnings);
    }

    [Fact]
    public void Without_academicSessions_csv_every_class_counts_with_one_warning_naming_the_file()
    {
        _fixture.WithTeacherAndStudent("t1", "t1@district.org", "c1").WithTeacherAndStudent("t2", "t2@district.org", "c2");
        _fixture.Sessions = null;

        var evaluation = Evaluate();

        Assert.All(evaluation.Teachers, t => Assert.Equal(EligibilityReason.Eligible, t.Reason));
        var warning = Assert.Single(_warnings);
        Assert.Contains("academicSessions.csv", warning.ToString());
    }

    [Fact]
    public void The_OneRoster_1_0_header_termSourcedId_is_read()
    {
        TwoTerms();
        _fixture.Write();
        string classes = Path.Combine(_fixture.Folder, "classes.csv");
        File.WriteAllText(classes, File.ReadAllText(classes).Replace("termSourcedIds", "termSourcedId"));
        var observer = new RosterReadObserver { Warning = _warnings.Add };
        using var source = new CsvRosterSource(_fixture.Folder, observer);

        var evaluation = EligibilityEngine.Evaluate(source, AsOf, observer, CancellationToken.None);

        Assert.Equal(EligibilityReason.NoClasses, evaluation.Find("t2@district.org")!.Reason);
    }

    [Fact]
    public void Classes_outside_the_listed_schools_or_excluded_by_pattern_do_not_count()
    {
        _fixture.Users.Add(User("t1", "teacher", "t1@district.org"));
        _fixture.Users.Add(User("t2", "teacher", "t2@district.org"));
        _fixture.Users.Add(User("s1", "student", "s1@district.org"));
        _fixture.Classes.Add(Class("c-north", "Algebra", school: "s1"));
        _fixture.Classes.Add(Class("c-south", "Algebra", school: "s2"));
        _fixture.Classes.Add(Class("c-meet", "Dept Meeting Math", school: "s1"));
        _fixture.Classes.Add(Class("c-hall", "Quiet room", school: "s1", classCode: "STUDY-HALL-3"));
        foreach (var (cls, teacher) in new[] { ("c-north", "t1"), ("c-south", "t1"), ("c-meet", "t1"), ("c-meet", "t2"), ("c-hall", "t2") })
        {
            _fixture.Enrollments.Add(Enrollment($"e-{teacher}-{cls}", cls, teacher, "teacher"));
            _fixture.Enrollments.Add(Enrollment($"e-s-{teacher}-{cls}", cls, "s1", "student"));
        }
        var rules = new RosterRules { Scope = new ClassScope(new[] { "NORTH HIGH" }, new[] { "dept meeting*", "study-hall-*" }) };

        var scoped = Evaluate(rules);
        Assert.Equal("c-north", Classes(Teacher(scoped, "t1@district.org")));
        Assert.Equal(EligibilityReason.NoClasses, Teacher(scoped, "t2@district.org").Reason);

        var all = Evaluate();
        Assert.Equal("c-hall,c-meet,c-north,c-south", string.Join(",", Teacher(all, "t1@district.org").Classes.Concat(Teacher(all, "t2@district.org").Classes).Select(c => c.SourcedId).Distinct().Order()));
    }

    // ---- REST gives the same answer ----

    [Fact]
    public async Task Over_REST_the_terms_and_the_scope_give_the_same_answer_as_over_CSV()
    {
        TwoTerms();
        _fixture.Sessions!.Add(Session("gone", "Deleted", "2025-08-01", "2026-06-01", "tobedeleted"));
        _fixture.Classes.Add(Class("c-meet", "Dept Meeting", terms: "gone,nowhere"));
        _fixture.Enrollments.Add(Enrollment("e-t-meet", "c-meet", "t2", "teacher"));
        _fixture.Enrollments.Add(Enrollment("e-s-meet", "c-meet", "s1", "student"));
        _fixture.Write();
        await using var server = await OneRosterServer.StartAsync(new TestServerOptions
        {
            DataFolder = _fixture.Folder,
            ConsumerKey = "district-key",
            ConsumerSecret = RestTestContext.ConsumerSecret,
            MaxPageSize = 2,
        });

        foreach (var rules in new[] { RosterRules.Default, AnyTerm, new RosterRules { Scope = new ClassScope(Array.Empty<string>(), new[] { "Dept*" }) } })
        {
            var csvWarnings = new List<string>();
            var restWarnings = new List<string>();
            var restLocations = new List<string>();
            string csv, rest;
            using (var source = new CsvRosterSource(_fixture.Folder))
            {
                csv = Render(EligibilityEngine.Evaluate(source, AsOf, new RosterReadObserver { Warning = w => csvWarnings.Add(w.Reason) }, default, rules));
            }
            using (var source = RestTestContext.Open(RestTestContext.OAuth1(server, pageSize: 2)))
            {
                rest = Render(EligibilityEngine.Evaluate(source, AsOf, new RosterReadObserver { Warning = w => { restWarnings.Add(w.Reason); restLocations.Add(w.Location); } }, default, rules));
            }
            Assert.Equal(csv, rest);
            Assert.Equal(csvWarnings, restWarnings);
            Assert.All(restLocations, l => Assert.Equal("classes", l)); // a REST warning names the collection
        }
        using (var source = new CsvRosterSource(_fixture.Folder))
        {
            // The deleted and the missing term are unknown: c-meet counts, with a warning for each reference.
            Assert.Contains("t2@district.org:Eligible:c-meet", Render(EligibilityEngine.Evaluate(source, AsOf, RosterReadObserver.None, default)));
        }

        // The teacher scope reads the same sessions: the same answer for one teacher; two scopes of one command share one read.
        server.Stats.Paths.Clear();
        using var whole = RestTestContext.Open(RestTestContext.OAuth1(server, pageSize: 2));
        using (var scoped = whole.ScopeToTeacher("t1@district.org"))
        {
            var teacher = EligibilityEngine.Evaluate(scoped, AsOf, RosterReadObserver.None, default).Find("t1@district.org")!;
            Assert.Equal(("c-fall", "Fall 2025"), (Classes(teacher), teacher.Classes[0].Term));
        }
        using (var scoped = whole.ScopeToTeacher("t2@district.org"))
        {
            Assert.Equal("c-meet", Classes(EligibilityEngine.Evaluate(scoped, AsOf, RosterReadObserver.None, default).Find("t2@district.org")!));
        }
        Assert.Equal(2, server.Stats.Paths.Count(p => p.EndsWith("/academicSessions", StringComparison.Ordinal))); // two pages of 2
    }

    private static string Render(RosterEvaluation evaluation) => string.Join("\n", evaluation.Teachers.Select(t =>
        $"{t.Email}:{t.Reason}:{string.Join(",", t.Classes.Select(c => c.SourcedId + "=" + c.Term))}"))
        .Replace("=Fall 2025", "").Replace("=Spring 2025", "").Replace("=gone, nowhere", "");

    // ---- Through the pipeline: the ended class's group goes ----

    [Fact]
    public async Task Through_the_pipeline_the_group_of_an_ended_class_goes_and_a_teacher_with_no_current_class_has_no_classes()
    {
        using var temp = new TempDirectory();
        using var senso = new LocalTenantProvider(temp.File("tenant.db"), new[] { "Teacher" }, new[] { "Main" });
        await senso.SaveSettingsAsync(new IntegrationSettings { AutomaticallyCreateUsers = true, DefaultRole = "Teacher", DefaultSite = "Main" }, default);
        using var state = new StateStore(temp.File("state.db"));
        TwoTerms();
        _fixture.Write();
        IRosterSource Open(RosterReadObserver o) => new CsvRosterSource(_fixture.Folder, o);

        // In the spring both teachers are created with their spring groups.
        var spring = new SyncOptions { AsOf = new DateTime(2025, 3, 1) };
        var first = await new SyncPipeline(Open, senso, state, spring).RunAsync(SyncScope.Nightly, default);
        Assert.Equal(2, first.Run!.Run.Figures.UsersCreated);
        Assert.Equal(new[] { "c-spring" }, (await senso.GetGroupsAsync("t1@district.org", default)).Select(g => g.Key));

        // In the fall: t1 keeps only the current class's group; t2's only class ended, so t2 has no classes and no group.
        var fall = new SyncOptions { AsOf = AsOf };
        var reading = new RosterReader(Open, rules: fall.Roster).Read(fall.AsOf, withGroups: true, null, default);
        Assert.Equal(EligibilityReason.NoClasses, reading.Evaluation.Find("t2@district.org")!.Reason);
        await new SyncPipeline(Open, senso, state, fall).RunAsync(SyncScope.Users(new[] { "t1@district.org", "t2@district.org" }, namedTeachersOnly: true), default);
        Assert.Equal(new[] { "c-fall" }, (await senso.GetGroupsAsync("t1@district.org", default)).Select(g => g.Key));
        Assert.Empty(await senso.GetGroupsAsync("t2@district.org", default));

        // classTerms: any: the ended classes count again.
        var any = new SyncOptions { AsOf = AsOf, Roster = AnyTerm };
        await new SyncPipeline(Open, senso, state, any).RunAsync(SyncScope.Users(new[] { "t1@district.org", "t2@district.org" }, namedTeachersOnly: true), default);
        Assert.Equal(new[] { "c-fall", "c-spring" }, (await senso.GetGroupsAsync("t1@district.org", default)).Select(g => g.Key).Order());
    }

    // ---- Configuration ----

    private static SensoClassLinkConfiguration Load(string yaml) => ConfigurationLoader.Load(new StringReader(yaml), "test.yml", Path.GetTempPath());

    [Fact]
    public void The_roster_section_is_read_and_defaults_to_current_terms_in_every_school()
    {
        var defaults = Load("classlink:\n  csv:\n    path: ./d\n").Roster;
        Assert.Equal((ClassTermRule.Current, 0, 0), (defaults.ClassTerms, defaults.Schools.Count, defaults.ExcludeClasses.Count));

        var set = Load("classlink:\n  csv:\n    path: ./d\nroster:\n  classTerms: any\n  schools: [North High, s2]\n  excludeClasses:\n    - Dept Meeting*\n    - Study Hall*\n").Roster;
        Assert.Equal(ClassTermRule.Any, set.ClassTerms);
        Assert.Equal(new[] { "North High", "s2" }, set.Schools);
        Assert.Equal(new[] { "Dept Meeting*", "Study Hall*" }, set.ExcludeClasses);
    }

    [Fact]
    public void A_bad_roster_value_or_key_is_reported_with_key_line_and_a_hint()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load("classlink:\n  csv:\n    path: ./d\nroster:\n  classTerms: sometimes\n  excludeClass: [x]\n  schools: North\n"));
        Assert.Contains(ex.Problems, p => p.Key == "roster.classTerms" && p.Line == 5 && p.Message.Contains("current, any"));
        Assert.Contains(ex.Problems, p => p.Key == "roster.excludeClass" && p.Line == 6 && p.Message.Contains("excludeClasses"));
        Assert.Contains(ex.Problems, p => p.Key == "roster.schools" && p.Line == 7);
    }
}
