using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
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
/// Issue 11 item 4, <c>import.groupName</c>: the template (parse, validate, render), its configuration key, the names
/// it gives groups over CSV and REST, and a changed template renaming groups in the next nightly without re-creating them.
/// </summary>
public sealed class GroupNameTemplateTests : IDisposable
{
    private static readonly DateTime AsOf = new(2025, 10, 1);
    private readonly RosterFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private static GroupNameFields Fields(string title = "Algebra I", string code = "", string school = "", string term = "", string period = "") =>
        new(title, code, school, term, period);

    private static RosterRules Named(string template) => new() { GroupNames = GroupNameTemplate.Parse(template) };

    // ---- The template, pure ----

    [Theory]
    [InlineData("Algebra I")]
    [InlineData("Drama\nand Stagecraft")]
    [InlineData("English 8 \"Honors\"")]
    [InlineData("Geometry,  Period 2")]
    [InlineData("{braces} (and) - dashes -")]
    [InlineData("")]
    public void The_default_is_the_title_byte_for_byte(string title)
    {
        var template = GroupNameTemplate.Default;
        Assert.True(template.IsTitleOnly);
        Assert.Equal("{title}", template.Text);
        Assert.Same(title, template.Render(Fields(title, "C-1", "Lincoln High", "Fall", "1")));
        Assert.Same(title, GroupNameTemplate.Parse("{title}").Render(Fields(title)));
    }

    [Theory]
    [InlineData("{classCode} {title}", "C-ALG1", "", "", "C-ALG1 Algebra I")]
    [InlineData("{classCode} {title}", "", "", "", "Algebra I")]
    [InlineData("{title} {period} - {term}", "", "", "", "Algebra I")]
    [InlineData("{title} {period} - {term}", "", "", "Fall 2025", "Algebra I - Fall 2025")]
    [InlineData("{title} {period} - {term}", "", "3", "", "Algebra I 3")]
    [InlineData("{title} - {period} - {term}", "", "", "Fall 2025", "Algebra I - Fall 2025")]
    [InlineData("{title} ({period})", "", "1, 2", "", "Algebra I (1, 2)")]
    [InlineData("{title} ({period})", "", "", "", "Algebra I")]
    [InlineData("{title} ({period}) - {term}", "", "1, 2", "Fall 2025", "Algebra I (1, 2) - Fall 2025")] // the README's example
    [InlineData("{title} ({period}) - {term}", "", "", "Fall 2025", "Algebra I - Fall 2025")]
    [InlineData("{title} ({period}) - {term}", "", "", "", "Algebra I")]
    [InlineData("{title} (P{period}) {term}", "", "", "Fall", "Algebra I Fall")]
    [InlineData("{title} (P{period}) {term}", "", "2", "Fall", "Algebra I (P2) Fall")]
    [InlineData("[{classCode}] {title}", "", "", "", "Algebra I")]
    [InlineData("[{classCode}] {title}", "C-1", "", "", "[C-1] Algebra I")]
    [InlineData("{classCode}-{title}", "", "", "", "Algebra I")]
    [InlineData("{classCode}-{title}", "C-1", "", "", "C-1-Algebra I")]
    [InlineData("  {title}   {term}  ", "", "", "Fall", "Algebra I Fall")]
    [InlineData("Senso: {title}", "", "", "", "Senso: Algebra I")]
    [InlineData("{{{classCode}}} {title}", "C-1", "", "", "{C-1} Algebra I")]
    [InlineData("{Title} {CLASSCODE}", "C-1", "", "", "Algebra I C-1")]
    public void A_template_renders_its_fields_and_leaves_out_what_has_no_value(string template, string code, string period, string term, string expected)
    {
        Assert.Equal(expected, GroupNameTemplate.Parse(template).Render(Fields(code: code, period: period, term: term)));
    }

    [Fact]
    public void The_school_field_renders_the_school_name_and_every_field_is_used_once_named()
    {
        var template = GroupNameTemplate.Parse("{school}: {classCode} {title}, {term}");
        Assert.Equal("Lincoln High: C-1 Algebra I, Fall", template.Render(Fields(code: "C-1", school: "Lincoln High", term: "Fall")));
        Assert.True(template.Uses(GroupNameField.Term));
        Assert.False(template.Uses(GroupNameField.Period));
        Assert.False(template.IsTitleOnly);
    }

    [Theory]
    [InlineData("{titel}", 0, "'{titel}', which is not known (did you mean '{title}'?)")]
    [InlineData("{classCode} {titel}", 12, "did you mean '{title}'?")]
    [InlineData("{room} {title}", 0, "'{room}', which is not known.")]
    [InlineData("{title", 0, "'{' that is never closed")]
    [InlineData("{title {classCode}", 0, "'{' that is never closed")]
    [InlineData("{title}}", 7, "'}' that closes no field")]
    [InlineData("Algebra", 0, "names no field")]
    [InlineData("{{title}}", 0, "names no field")]
    [InlineData("{}", 0, "'{}', which is not known")]
    public void A_bad_template_names_the_problem_the_place_and_the_known_fields(string text, int offset, string message)
    {
        Assert.False(GroupNameTemplate.TryParse(text, out var template, out var problem));
        Assert.Null(template);
        Assert.Equal(offset, problem!.Offset);
        Assert.Contains(message, problem.Message);
        Assert.Contains("{title}, {classCode}, {school}, {term}, {period}", problem.Message);
        Assert.Throws<FormatException>(() => GroupNameTemplate.Parse(text));
    }

    // ---- Configuration ----

    private static SensoClassLinkConfiguration Load(string yaml) => ConfigurationLoader.Load(new StringReader(yaml), "test.yml", Path.GetTempPath());

    private const string Csv = "classlink:\n  csv:\n    path: ./d\n";

    [Fact]
    public void The_key_defaults_to_the_title_and_reads_a_template()
    {
        Assert.Same(GroupNameTemplate.Default, Load(Csv).Import.GroupName);
        Assert.Equal("{classCode} {title}", Load(Csv + "import:\n  groupName: '{classCode} {title}'\n").Import.GroupName.Text);
        Assert.Equal("{title} - {term}", Load(Csv + "import:\n  groupName: \"{title} - {term}\"\n").Import.GroupName.Text);
        Assert.Same(GroupNameTemplate.Default, RosterRules.From(new RosterSettings()).GroupNames);
        var config = Load(Csv + "import:\n  groupName: '{period} {title}'\n");
        Assert.Equal("{period} {title}", RosterRules.From(config.Roster, config.Import).GroupNames.Text);
    }

    [Theory]
    // line 5 is "  groupName: '{classCode} {titel}'": the value's quote is column 14, {titel} starts at column 27.
    [InlineData("  groupName: '{classCode} {titel}'\n", 27, "did you mean '{title}'?")]
    [InlineData("  groupName: \"{title\"\n", 15, "never closed")]
    [InlineData("  groupName: title}\n", 19, "closes no field")]
    [InlineData("  groupName: Algebra\n", 14, "names no field")]
    [InlineData("  groupName: {title}\n", 14, "must be quoted")]
    [InlineData("  groupName: [a]\n", 14, "single value")]
    public void A_bad_group_name_is_an_error_naming_the_key_line_and_column(string line, long column, string message)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load(Csv + "import:\n" + line));
        var problem = Assert.Single(ex.Problems);
        Assert.Equal(("import.groupName", 5L, column), (problem.Key, problem.Line, problem.Column));
        Assert.Contains(message, problem.Message);
        Assert.Contains("import.groupName", ex.Message);
    }

    [Fact]
    public void The_written_configuration_holds_the_default_with_a_comment_and_loads_back()
    {
        using var temp = new TempDirectory();
        string path = temp.File("config.yml");
        ConfigurationWriter.Write(new ConfigurationDraft { RosterSource = RosterSourceKind.csv, CsvPath = "./district" }, path, overwrite: false);

        string text = File.ReadAllText(path).Replace("\r\n", "\n");
        Assert.Matches("\n  # Senso group names: [^\n]*\\{classCode\\}[^\n]*\n  groupName: \"\\{title\\}\"\n", text);
        Assert.True(ConfigurationLoader.LoadFile(path).Import.GroupName.IsTitleOnly);
    }

    // ---- The names groups get, and their fingerprints ----

    /// <summary>t1 teaches Algebra I (C-ALG1, periods 1 and 2, Fall 2025, North High) and Art (no code, no period, no term).</summary>
    private void District()
    {
        _fixture.Sessions = new List<string> { Session("fall", "Fall 2025", "2025-08-01", "2025-12-20") };
        _fixture.Users.Add(User("t1", "teacher", "t1@district.org"));
        _fixture.Users.Add(User("s1", "student", "s1@district.org"));
        _fixture.Classes.Add(Class("c-alg", "Algebra I", terms: "fall", classCode: "C-ALG1", periods: "1, 2"));
        _fixture.Classes.Add(Class("c-art", "Art", school: "s-unknown", terms: ""));
        foreach (string cls in new[] { "c-alg", "c-art" })
        {
            _fixture.Enrollments.Add(Enrollment("e-t-" + cls, cls, "t1", "teacher"));
            _fixture.Enrollments.Add(Enrollment("e-s-" + cls, cls, "s1", "student"));
        }
        _fixture.Write();
    }

    private RosterPass Read(RosterRules rules, IRosterSource? source = null)
    {
        using var csv = new CsvRosterSource(_fixture.Folder);
        return RosterPass.Read(source ?? csv, AsOf, null, withGroups: true, CancellationToken.None, rules);
    }

    private static string Names(RosterPass pass) => string.Join("|", pass.PlanGroups(new[] { "t1@district.org" })["t1@district.org"].Select(g => g.Key + "=" + g.Name));

    [Fact]
    public void Groups_are_named_by_the_template_with_school_term_and_periods_from_the_roster()
    {
        District();
        Assert.Equal("c-alg=Algebra I|c-art=Art", Names(Read(RosterRules.Default)));
        Assert.Equal("c-alg=C-ALG1 Algebra I|c-art=Art", Names(Read(Named("{classCode} {title}"))));
        Assert.Equal("c-alg=Algebra I (1, 2) - Fall 2025, North High|c-art=Art", Names(Read(Named("{title} ({period}) - {term}, {school}"))));
        // classTerms: any does not judge terms, but a template showing {term} still gets the session's title.
        Assert.Equal("c-alg=Algebra I Fall 2025|c-art=Art", Names(Read(new RosterRules { ClassTerms = ClassTermRule.Any, GroupNames = GroupNameTemplate.Parse("{title} {term}") })));
    }

    [Fact]
    public void The_fingerprint_changes_with_the_template_and_agrees_with_the_planned_groups()
    {
        District();
        var plain = Read(RosterRules.Default);
        var coded = Read(Named("{classCode} {title}"));
        var same = Read(Named("{classCode}  {title}"));

        // The default's fingerprint is the one stored before templates existed: title as the name.
        Assert.Equal(ClassGroupPlanner.Fingerprint(plain.PlanGroups(new[] { "t1@district.org" })["t1@district.org"]), plain.GroupFingerprints()["t1@district.org"]);
        Assert.NotEqual(plain.GroupFingerprints()["t1@district.org"], coded.GroupFingerprints()["t1@district.org"]);
        Assert.Equal(ClassGroupPlanner.Fingerprint(coded.PlanGroups(new[] { "t1@district.org" })["t1@district.org"]), coded.GroupFingerprints()["t1@district.org"]);
        // Two spellings that name groups alike fingerprint alike: no needless resync.
        Assert.Equal(coded.GroupFingerprints()["t1@district.org"], same.GroupFingerprints()["t1@district.org"]);

        // A class field the template shows changes the fingerprint; one it does not show leaves it alone.
        string periods = Read(Named("{title} {period}")).GroupFingerprints()["t1@district.org"];
        _fixture.Classes[0] = Class("c-alg", "Algebra I", terms: "fall", classCode: "C-ALG1", periods: "3");
        _fixture.Write();
        Assert.NotEqual(periods, Read(Named("{title} {period}")).GroupFingerprints()["t1@district.org"]);
        Assert.Equal(coded.GroupFingerprints()["t1@district.org"], Read(Named("{classCode} {title}")).GroupFingerprints()["t1@district.org"]);
        Assert.Equal("c-alg=Algebra I 3|c-art=Art", Names(Read(Named("{title} {period}"))));
    }

    [Fact]
    public async Task Over_REST_periods_and_names_are_the_same_as_over_CSV()
    {
        District();
        await using var server = await OneRosterServer.StartAsync(new TestServerOptions
        {
            DataFolder = _fixture.Folder,
            ConsumerKey = "district-key",
            ConsumerSecret = RestTestContext.ConsumerSecret,
            MaxPageSize = 2,
        });
        using var rest = RestTestContext.Open(RestTestContext.OAuth1(server, pageSize: 2));
        Assert.Equal(new[] { "1", "2" }, rest.ReadClasses(default).Single(c => c.SourcedId == "c-alg").Periods);
        var rules = Named("{classCode} {title} ({period}) {term}");
        Assert.Equal("c-alg=C-ALG1 Algebra I (1, 2) Fall 2025|c-art=Art", Names(Read(rules, rest)));
        Assert.Equal(Names(Read(rules)), Names(Read(rules, rest)));
    }

    // ---- Through the nightly: a changed template renames the groups in place ----

    [Fact]
    public async Task A_changed_template_renames_groups_in_the_next_nightly_keeping_them_and_their_members()
    {
        using var temp = new TempDirectory();
        using var senso = new LocalTenantProvider(temp.File("tenant.db"), new[] { "Teacher" }, new[] { "Main" });
        await senso.SaveSettingsAsync(new IntegrationSettings { AutomaticallyCreateUsers = true, DefaultRole = "Teacher", DefaultSite = "Main" }, default);
        using var state = new StateStore(temp.File("state.db"));
        District();
        IRosterSource Open(RosterReadObserver o) => new CsvRosterSource(_fixture.Folder, o);
        async Task<DataSyncDecision> Nightly(RosterRules rules) =>
            (await new SyncPipeline(Open, senso, state, new SyncOptions { AsOf = AsOf, Roster = rules }).RunAsync(SyncScope.Nightly, default))
                .Run!.Decisions.Single(d => d.Email == "t1@district.org");

        var first = await Nightly(RosterRules.Default);
        Assert.Equal(new[] { "c-alg", "c-art" }, first.GroupsAdded.Order());
        Assert.Equal(GroupSyncStatus.Unchanged, (await Nightly(RosterRules.Default)).GroupSync); // unchanged fingerprint: no resync

        var renamed = await Nightly(Named("{classCode} {title}"));
        Assert.Equal(new[] { "c-alg" }, renamed.GroupsUpdated); // Art has no classCode: its name, and so its group, is unchanged
        Assert.Empty(renamed.GroupsAdded);
        Assert.Empty(renamed.GroupsRemoved);
        var groups = await senso.GetGroupsAsync("t1@district.org", default);
        Assert.Equal(new[] { "c-alg=C-ALG1 Algebra I", "c-art=Art" }, groups.Select(g => g.Key + "=" + g.Name));
        Assert.All(groups, g => Assert.Equal(new[] { "s1@district.org" }, g.Members));
        Assert.Equal(GroupSyncStatus.Unchanged, (await Nightly(Named("{classCode} {title}"))).GroupSync);

        // Back to the default: the names return, still in place.
        var back = await Nightly(RosterRules.Default);
        Assert.Equal(new[] { "c-alg" }, back.GroupsUpdated);
        Assert.Equal((0, 0), (back.GroupsAdded.Count, back.GroupsRemoved.Count));
        Assert.Equal("Algebra I", (await senso.GetGroupsAsync("t1@district.org", default)).First().Name);
    }
}
