using System.Text;
using System.Text.RegularExpressions;
using SensoClassLink.Core.Reporting;
using SensoClassLink.Core.State;
using SensoClassLink.Core.Sync;
using Xunit;

namespace SensoClassLink.Core.Tests.Reporting;

public sealed class HtmlSyncReportTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    private static SyncRunRecord Run(int day, SyncRunStatus status = SyncRunStatus.Completed, int eligible = 120, int created = 3, int groups = 14, int failed = 0) => new()
    {
        RunId = $"run-{day:00}",
        Kind = SyncOptions.NightlyRunKind,
        StartedAt = Start.AddDays(day),
        EndedAt = Start.AddDays(day).AddSeconds(75),
        Status = status,
        Figures = new SyncRunFigures
        {
            RosterSchools = 4, RosterTeachers = 131, RosterStudents = 2250, RosterClasses = 410, RosterEnrollments = 9650, RosterUsers = 2400,
            EligibleTeachers = eligible,
            TeachersByReason = new Dictionary<string, int> { ["Eligible"] = eligible, ["NoStudents"] = 7, ["NoEmail"] = 4 },
            UsersToCreate = created, UsersCreated = created, UsersExisting = eligible - created,
            GroupSyncsQueued = groups, GroupSyncsCompleted = groups, UsersFailed = failed,
        },
    };

    private static List<SyncRunRecord> NewestFirst(int count) =>
        Enumerable.Range(0, count).Select(d => Run(d, eligible: 100 + d, created: d % 3)).Reverse().ToList();

    private static DataSyncDecision Decision(string email, DataSyncAction action = DataSyncAction.Exists, GroupSyncStatus groupSync = GroupSyncStatus.Unchanged, string message = "") => new()
    {
        Email = email, SourcedId = "t-" + email.Length, Eligibility = SyncEligibility.Eligible, Action = action, GroupSync = groupSync, Message = message,
    };

    private static string Render(SyncRunRecord run, IReadOnlyList<SyncRunRecord>? history = null, IReadOnlyList<DataSyncDecision>? decisions = null) =>
        HtmlSyncReport.Render(new HtmlSyncReportContent(run)
        {
            History = history ?? Array.Empty<SyncRunRecord>(),
            Decisions = decisions,
            TimeZone = TimeZoneInfo.Utc,
            GeneratedAt = Start.AddDays(30),
        });

    private static int Count(string html, string fragment) => Regex.Matches(html, Regex.Escape(fragment)).Count;

    [Fact]
    public void Hostile_roster_text_is_shown_as_text_never_as_markup()
    {
        var run = new SyncRunRecord
        {
            RunId = "run-hostile", Kind = SyncOptions.NightlyRunKind, StartedAt = Start, EndedAt = Start.AddSeconds(5), Status = SyncRunStatus.CompletedWithErrors,
            Message = "Held: <b>bold</b> & more",
            Errors = new[] { "Create <script>alert('e')</script>@d.org failed: <iframe src=\"https://evil.example\">" },
            Figures = new SyncRunFigures { TeachersByReason = new Dictionary<string, int> { ["<svg onload=alert(1)>"] = 2 } },
        };
        var decisions = new[]
        {
            Decision("<script>alert(1)</script>@d.org", DataSyncAction.CreateFailed, message: "Senso said \"no\" & <i>why</i>"),
            new DataSyncDecision
            {
                Email = "o'brien@d.org", SourcedId = "\"><img src=x onerror=alert(2)>", Eligibility = SyncEligibility.Eligible, Action = DataSyncAction.Created,
                GroupSync = GroupSyncStatus.Synced, GroupsAdded = new[] { "</td><script>x</script>" },
            },
        };

        string html = Render(run, decisions: decisions);

        Assert.DoesNotMatch(new Regex("<script", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex("<(img|iframe|i|b)[\\s>]", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("<svg onload", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;@d.org", html);
        Assert.Contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;", html);
        Assert.Contains("o&#39;brien@d.org", html);
        Assert.Contains("Senso said &quot;no&quot; &amp; &lt;i&gt;why&lt;/i&gt;", html);
        Assert.Contains("Held: &lt;b&gt;bold&lt;/b&gt; &amp; more", html);
        Assert.Contains("&lt;iframe src=&quot;https://evil.example&quot;&gt;", html);
        Assert.Contains("&lt;svg onload=alert(1)&gt;", html);
        Assert.Contains("&lt;/td&gt;&lt;script&gt;x&lt;/script&gt;", html);
    }

    [Fact]
    public void The_page_loads_nothing_from_anywhere_else()
    {
        var history = NewestFirst(12);
        string html = Render(history[0], history, new[] { Decision("a@d.org", DataSyncAction.Created, GroupSyncStatus.Synced), Decision("b@d.org") });

        Assert.StartsWith("<!DOCTYPE html>", html);
        var csp = Regex.Match(html, "<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">");
        Assert.True(csp.Success, "the page declares a Content-Security-Policy");
        Assert.True(csp.Index < html.IndexOf("<style>", StringComparison.Ordinal), "the policy comes before any content");
        var directives = csp.Groups[1].Value.Split(';').Select(d => d.Trim()).ToList();
        Assert.Contains("default-src 'none'", directives);
        Assert.Contains("style-src 'unsafe-inline'", directives);
        Assert.Contains("img-src data:", directives);

        // Every URL-bearing attribute is an in-page anchor or a data: URI; nothing else can fetch.
        foreach (Match attribute in Regex.Matches(html, "\\b(src|href|srcset|action|poster|data|xlink:href|background)\\s*=\\s*\"([^\"]*)\"", RegexOptions.IgnoreCase))
        {
            string value = attribute.Groups[2].Value;
            Assert.True(value.StartsWith("#", StringComparison.Ordinal) || value.StartsWith("data:", StringComparison.Ordinal), $"external reference: {attribute.Value}");
        }
        Assert.DoesNotMatch(new Regex("<(script|link|img|iframe|object|embed|base|form)\\b", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex("url\\(|@import|@font-face", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex("https?:|//[a-z]", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex("\\son[a-z]+\\s*=", RegexOptions.IgnoreCase), html);
    }

    [Fact]
    public void The_figures_and_both_charts_are_in_the_page()
    {
        var history = NewestFirst(5);
        var current = Run(9, SyncRunStatus.CompletedWithErrors, eligible: 1268, created: 5, groups: 46, failed: 2);
        string html = Render(current, history);

        Assert.Equal(2, Count(html, "<svg "));
        Assert.Contains("<h2>Teachers by reason</h2>", html);
        // One bar per reason, Eligible first and in its own colour.
        var bars = Regex.Matches(html, "<rect class=\"bar (eligible|ineligible)\"");
        Assert.Equal(3, bars.Count);
        Assert.Equal("eligible", bars[0].Groups[1].Value);
        Assert.Contains(">NoStudents</text>", html);
        // One column per run in each of the six panels, the report's run emphasized.
        Assert.Equal(6, Count(html, " current\" x="));
        Assert.Equal(6 * 5, Count(html, " earlier\" x="));
        foreach (string series in new[] { "Eligible teachers", "Users created", "Group syncs", "Users renamed", "Users suspended", "Failures" })
        {
            Assert.Contains($">{series}</text>", html);
        }
        Assert.Contains("<h2>Last 6 runs</h2>", html);
        Assert.Contains("<div class=\"card-value\">1,268</div>", html);
        Assert.Contains("<div class=\"card-value\">46</div>", html);
        Assert.Contains("<div class=\"card-value\">2</div>", html);
        Assert.Contains("Completed with errors", html);
        Assert.Contains("took 1 min 15 s", html);
        Assert.Contains("2,250 students", html);
    }

    [Fact]
    public void The_school_year_figures_are_cards_chart_panels_and_table_columns()
    {
        var older = Run(0);
        var current = Run(1) with
        {
            Figures = Run(1).Figures with { UsersRenamed = 3, UsersDeparted = 1207, UsersSuspended = 4, UsersReactivated = 2, GroupsRemoved = 19 },
        };
        string html = Render(current, new[] { current, older });

        var cards = Regex.Matches(html, "<div class=\"card ([a-z ]+)\"><div class=\"card-title\">([^<]+)</div><div class=\"card-value\">([^<]+)</div>")
            .ToDictionary(m => m.Groups[2].Value, m => (Class: m.Groups[1].Value, Value: m.Groups[3].Value));
        Assert.Equal(("renamed", "3"), cards["Users renamed"]);
        Assert.Equal(("departed", "1,207"), cards["Users departed"]);
        Assert.Equal(("suspended warn", "4"), cards["Users suspended"]);
        Assert.Equal(("reactivated", "2"), cards["Users reactivated"]);
        Assert.Equal(("removed", "19"), cards["Groups removed"]);
        Assert.Contains("<section class=\"cards school-year\" aria-label=\"Through the school year\">", html);

        // Renames and suspensions are charted per run (the older run, recorded before them, shows 0).
        var renamed = Regex.Matches(html, "<rect class=\"renamed (?:current|earlier)\"[^>]*><title>([^<]*)</title>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(new[] { "Nov 20 · Users renamed: 0", "Nov 21 · Users renamed: 3" }, renamed);
        var suspended = Regex.Matches(html, "<rect class=\"suspended (?:current|earlier)\"[^>]*><title>([^<]*)</title>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(new[] { "Nov 20 · Users suspended: 0", "Nov 21 · Users suspended: 4" }, suspended);

        // The runs table: the five figures after Group syncs, in the header's order, for every run.
        Assert.Contains("<th class=\"n\">Group syncs</th><th class=\"n\">Renamed</th><th class=\"n\">Departed</th><th class=\"n\">Suspended</th><th class=\"n\">Reactivated</th><th class=\"n\">Groups removed</th>", html);
        Assert.Contains("<td class=\"n\">14</td><td class=\"n\">3</td><td class=\"n\">1,207</td><td class=\"n\">4</td><td class=\"n\">2</td><td class=\"n\">19</td>", html);
        Assert.Contains("<td class=\"n\">14</td><td class=\"n\">0</td><td class=\"n\">0</td><td class=\"n\">0</td><td class=\"n\">0</td><td class=\"n\">0</td>", html);
    }

    [Fact]
    public void Without_suspensions_the_suspended_card_is_not_a_warning()
    {
        string html = Render(Run(1));

        Assert.Contains("<div class=\"card suspended\"><div class=\"card-title\">Users suspended</div><div class=\"card-value\">0</div>", html);
    }

    [Fact]
    public void The_history_runs_oldest_to_newest_and_the_table_newest_first()
    {
        var history = NewestFirst(3);
        string html = Render(history[0], history);

        var eligible = Regex.Matches(html, "<rect class=\"eligible (?:current|earlier)\"[^>]*><title>([^<]*)</title>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(new[] { "Nov 20 · Eligible teachers: 100", "Nov 21 · Eligible teachers: 101", "Nov 22 · Eligible teachers: 102" }, eligible);
        var tableDates = Regex.Matches(html, "<tr(?: class=\"current\")?><td>(2026-11-\\d\\d) 02:00</td>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(new[] { "2026-11-22", "2026-11-21", "2026-11-20" }, tableDates);
    }

    [Fact]
    public void An_empty_history_shows_the_run_alone_and_says_so()
    {
        var first = Run(0);
        string html = Render(first, Array.Empty<SyncRunRecord>());

        Assert.Equal(2, Count(html, "<svg "));
        Assert.Equal(6, Count(html, " current\" x="));
        Assert.Equal(0, Count(html, " earlier\" x="));
        Assert.Contains("<h2>Last 1 run</h2>", html);
        Assert.Contains("No earlier run is recorded", html);
    }

    [Fact]
    public void A_run_that_stopped_before_judging_the_roster_has_no_reason_chart_but_a_note()
    {
        var failed = new SyncRunRecord { RunId = "r", Kind = SyncOptions.NightlyRunKind, StartedAt = Start, Status = SyncRunStatus.Failed, Message = "The roster pull was incomplete." };
        string html = Render(failed);

        Assert.Equal(1, Count(html, "<svg "));
        Assert.Contains("No teacher figures: the run stopped before it judged the roster.", html);
        Assert.Contains("not finished", html);
        Assert.Contains("<p class=\"message\">The roster pull was incomplete.</p>", html);
        Assert.Contains("<header class=\"top s-failed\">", html);
    }

    [Fact]
    public void Decisions_list_failures_first_and_fold_the_teachers_with_nothing_to_do()
    {
        var decisions = new[]
        {
            Decision("quiet@d.org"),
            Decision("new@d.org", DataSyncAction.Created, GroupSyncStatus.Synced),
            Decision("ineligible@d.org", DataSyncAction.Ineligible, GroupSyncStatus.None),
            Decision("broken@d.org", DataSyncAction.CreateFailed, GroupSyncStatus.None, "Senso answered 409"),
            Decision("groups@d.org", DataSyncAction.Exists, GroupSyncStatus.Failed),
        };
        string html = Render(Run(1), decisions: decisions);

        var emails = Regex.Matches(html, "<tr(?: class=\"problem\")?><td>([^<]+)</td>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(new[] { "broken@d.org", "groups@d.org", "new@d.org", "quiet@d.org", "ineligible@d.org" }, emails);
        Assert.Equal(2, Count(html, "<tr class=\"problem\">"));
        int details = html.IndexOf("<details><summary>2 teachers with nothing to do", StringComparison.Ordinal);
        Assert.True(details > html.IndexOf(">new@d.org<", StringComparison.Ordinal) && details < html.IndexOf(">quiet@d.org<", StringComparison.Ordinal));
        Assert.Contains("CreateFailed <strong>1</strong>", html);
        Assert.Contains("Group sync failed <strong>1</strong>", html);
    }

    [Fact]
    public void The_decisions_table_names_each_eligibility()
    {
        var decisions = new[]
        {
            Decision("quiet@d.org"),
            new DataSyncDecision { Email = "lonely@d.org", Eligibility = SyncEligibility.NoStudents, Action = DataSyncAction.Ineligible },
            new DataSyncDecision { Email = "gone@d.org", Eligibility = SyncEligibility.NotInRoster, Action = DataSyncAction.NotInRoster },
        };
        string html = Render(Run(1), decisions: decisions);

        // Email, SourcedId, then the Eligibility cell.
        var cells = Regex.Matches(html, "<tr(?: class=\"problem\")?><td>([^<]+)</td><td><code>[^<]*</code></td><td>([^<]*)</td>")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Equal("Eligible", cells["quiet@d.org"]);
        Assert.Equal("NoStudents", cells["lonely@d.org"]);
        Assert.Equal("NotInRoster", cells["gone@d.org"]);
    }

    [Fact]
    public void A_refused_rename_is_a_problem_listed_first_and_a_rename_is_shown_as_done()
    {
        var decisions = new[]
        {
            Decision("quiet@d.org"),
            Decision("renamed@d.org", DataSyncAction.Renamed, GroupSyncStatus.Synced, "Renamed from old@d.org to renamed@d.org."),
            Decision("taken@d.org", DataSyncAction.RenameFailed, GroupSyncStatus.None, "taken@d.org already belongs to another Senso account"),
        };
        string html = Render(Run(1), decisions: decisions);

        var emails = Regex.Matches(html, "<tr(?: class=\"problem\")?><td>([^<]+)</td>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(new[] { "taken@d.org", "renamed@d.org", "quiet@d.org" }, emails);
        Assert.Equal(1, Count(html, "<tr class=\"problem\">"));
        Assert.Contains("<span class=\"tag bad\">RenameFailed</span>", html);
        Assert.Contains("<span class=\"tag good\">Renamed</span>", html);
    }

    [Fact]
    public void Without_decisions_the_report_says_where_to_get_them()
    {
        Assert.Contains("Invoke-ClassLinkSync -ReportPath run.html", Render(Run(1), decisions: null));
        Assert.Contains("No teacher decisions.", Render(Run(1), decisions: Array.Empty<DataSyncDecision>()));
    }

    [Fact]
    public void A_report_replaces_an_older_file_whole_as_utf8_and_leaves_no_temporary_file()
    {
        string path = _temp.File("run.html");
        File.WriteAllText(path, "old");
        var content = new HtmlSyncReportContent(Run(1)) { Decisions = new[] { Decision("zoë@d.org") }, TimeZone = TimeZoneInfo.Utc };

        HtmlSyncReport.Write(path, content);

        byte[] bytes = File.ReadAllBytes(path);
        Assert.NotEqual(0xEF, bytes[0]);
        string html = Encoding.UTF8.GetString(bytes);
        Assert.Equal(HtmlSyncReport.Render(content), html);
        Assert.Contains("zoë@d.org", html);
        Assert.Single(Directory.GetFiles(_temp.Path));
    }

    [Theory]
    [InlineData("run.html", true)]
    [InlineData("RUN.HTM", true)]
    [InlineData("run.csv", false)]
    [InlineData("run.html.txt", false)]
    public void Html_paths_are_known_by_their_extension(string path, bool html) => Assert.Equal(html, HtmlSyncReport.IsHtmlPath(path));

    [Fact]
    public void The_run_report_path_accepts_html_and_names_it_in_its_error()
    {
        DataSyncReport.ValidatePath(_temp.File("run.html"));
        var error = Assert.Throws<ArgumentException>(() => DataSyncReport.ValidatePath(_temp.File("run.txt")));
        Assert.Contains("must end in .csv, .json or .html", error.Message);
        Assert.Contains("run.txt", error.Message);
        Assert.Throws<ArgumentException>(() => DataSyncReport.Write(_temp.File("run.html"), Array.Empty<DataSyncDecision>()));
    }

    public void Dispose() => _temp.Dispose();
}
