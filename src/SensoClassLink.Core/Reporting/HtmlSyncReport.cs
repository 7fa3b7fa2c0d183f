using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using SensoClassLink.Core.State;
using SensoClassLink.Core.Sync;

namespace SensoClassLink.Core.Reporting;

/// <summary>What one HTML sync report shows: a run, the runs before it, and (when known) its teacher decisions.</summary>
public sealed class HtmlSyncReportContent
{
    public HtmlSyncReportContent(SyncRunRecord run) => Run = run ?? throw new ArgumentNullException(nameof(run));

    /// <summary>The run the report is about.</summary>
    public SyncRunRecord Run { get; }

    /// <summary>Recent runs, newest first as the state store returns them; <see cref="Run"/> is added when missing.</summary>
    public IReadOnlyList<SyncRunRecord> History { get; init; } = Array.Empty<SyncRunRecord>();

    /// <summary>The run's teacher decisions, or null when they are not known (the state store does not keep them).</summary>
    public IReadOnlyList<DataSyncDecision>? Decisions { get; init; }

    public DateTimeOffset GeneratedAt { get; init; } = DateTimeOffset.Now;

    /// <summary>The time zone times are shown in (the machine's by default).</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;
}

/// <summary>
/// Renders a data sync run as one self-contained HTML page for a person to read: inline CSS and inline SVG only,
/// no script, and a Content-Security-Policy that forbids loading anything, so the file shows the same offline, from a
/// mail attachment or a file share. Every roster value and message is escaped (<see cref="HtmlText"/>).
/// </summary>
public static class HtmlSyncReport
{
    /// <summary>How many runs the history chart shows unless asked otherwise.</summary>
    public const int DefaultHistoryCount = 30;

    /// <summary>The policy the page declares: nothing may load; only the page's own style element and data: images.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

    /// <summary>True when <paramref name="path"/> ends in .html or .htm.</summary>
    public static bool IsHtmlPath(string path)
    {
        string extension = Path.GetExtension(path);
        return string.Equals(extension, ".html", StringComparison.OrdinalIgnoreCase) || string.Equals(extension, ".htm", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Writes the report to <paramref name="path"/>, whole or not at all.</summary>
    public static void Write(string path, HtmlSyncReportContent content)
    {
        string html = Render(content);
        AtomicTextFile.Write(path, writer => writer.Write(html));
    }

    public static string Render(HtmlSyncReportContent content)
    {
        var run = content.Run;
        var history = ChronologicalHistory(content);
        var html = new StringBuilder(64 * 1024);
        string status = StatusText(run.Status);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(ContentSecurityPolicy).Append("\">\n")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(HtmlText.Escape($"{status} · Roster Server data sync · {Time(run.StartedAt, content.TimeZone, "yyyy-MM-dd HH:mm")}"))
            .Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n");

        AppendHeader(html, content, status);
        AppendFigures(html, run);
        html.Append("<div class=\"charts\">\n");
        AppendReasons(html, run);
        AppendHistoryChart(html, history, run, content.TimeZone);
        html.Append("</div>\n");
        AppendErrors(html, run);
        AppendDecisions(html, content.Decisions);
        html.Append("<footer>Generated ").Append(HtmlText.Escape(Time(content.GeneratedAt, content.TimeZone, "yyyy-MM-dd HH:mm:ss"))).Append(' ')
            .Append(HtmlText.Escape(Offset(content.GeneratedAt, content.TimeZone)))
            .Append(" by SensoClassLink. This file is self-contained: it loads nothing from anywhere else.</footer>\n")
            .Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static List<SyncRunRecord> ChronologicalHistory(HtmlSyncReportContent content)
    {
        var runs = content.History.ToList();
        if (!runs.Any(r => r.RunId == content.Run.RunId))
        {
            runs.Add(content.Run);
        }
        return runs.OrderBy(r => r.StartedAt).ToList();
    }

    private static void AppendHeader(StringBuilder html, HtmlSyncReportContent content, string status)
    {
        var run = content.Run;
        html.Append("<header class=\"top ").Append(StatusClass(run.Status)).Append("\">\n<div class=\"heading\"><h1>Roster Server data sync</h1>")
            .Append("<span class=\"pill status\">").Append(HtmlText.Escape(status)).Append("</span>");
        if (run.Forced)
        {
            html.Append("<span class=\"pill note\">Forced</span>");
        }
        html.Append("</div>\n<p class=\"meta\">Started <strong>").Append(HtmlText.Escape(Time(run.StartedAt, content.TimeZone, "dddd yyyy-MM-dd HH:mm:ss")))
            .Append("</strong> ").Append(HtmlText.Escape(Offset(run.StartedAt, content.TimeZone)));
        html.Append(run.EndedAt is { } end ? " · took " + HtmlText.Escape(Duration(end - run.StartedAt)) : " · not finished");
        html.Append(" · run <code>").Append(HtmlText.Escape(run.RunId)).Append("</code></p>\n");
        if (!string.IsNullOrEmpty(run.Message))
        {
            html.Append("<p class=\"message\">").Append(HtmlText.Escape(run.Message)).Append("</p>\n");
        }
        html.Append("</header>\n");
    }

    private static void AppendFigures(StringBuilder html, SyncRunRecord run)
    {
        int failures = run.Figures.UsersFailed + run.Figures.GroupSyncsFailed;
        html.Append("<section class=\"cards\" aria-label=\"Figures\">\n");
        Card(html, "Eligible teachers", run.Figures.EligibleTeachers, $"of {Number(run.Figures.RosterTeachers)} teachers in the roster", "eligible");
        Card(html, "Users created", run.Figures.UsersCreated, $"{Number(run.Figures.UsersToCreate)} planned · {Number(run.Figures.UsersExisting)} already in Senso", "created");
        Card(html, "Group syncs", run.Figures.GroupSyncsCompleted, $"{Number(run.Figures.GroupSyncsQueued)} queued · {Number(run.Figures.GroupSyncsPending)} waiting to retry", "groups");
        Card(html, "Failures", failures, $"{Number(run.Figures.UsersFailed)} user creates · {Number(run.Figures.GroupSyncsFailed)} group syncs", failures > 0 ? "failures bad" : "failures");
        Card(html, "Errors", run.Errors.Count, run.Errors.Count == 0 ? "none recorded" : "listed below", run.Errors.Count > 0 ? "bad" : "");
        Card(html, "Data quality warnings", run.Figures.DataQualityWarnings, "unreadable rows and rule warnings", run.Figures.DataQualityWarnings > 0 ? "warn" : "");
        html.Append("</section>\n");
        AppendSchoolYearFigures(html, run.Figures);
        html.Append("<p class=\"roster\">Roster: ")
            .Append(Number(run.Figures.RosterSchools)).Append(" schools · ").Append(Number(run.Figures.RosterTeachers)).Append(" teachers · ")
            .Append(Number(run.Figures.RosterStudents)).Append(" students · ").Append(Number(run.Figures.RosterClasses)).Append(" classes · ")
            .Append(Number(run.Figures.RosterEnrollments)).Append(" enrollments · ").Append(Number(run.Figures.RosterUsers)).Append(" users</p>\n");
    }

    /// <summary>
    /// What the run changed as the school year moves: renames by sourcedId, departures and what became of them, and
    /// groups taken away (a class out of term, an owner who left). Runs recorded before these figures existed show 0.
    /// </summary>
    private static void AppendSchoolYearFigures(StringBuilder html, SyncRunFigures figures)
    {
        html.Append("<section class=\"cards school-year\" aria-label=\"Through the school year\">\n");
        Card(html, "Users renamed", figures.UsersRenamed, "new roster email, same sourcedId and account", "renamed");
        Card(html, "Users departed", figures.UsersDeparted, "no active teacher record in the roster", "departed");
        Card(html, "Users suspended", figures.UsersSuspended, "departed long enough; nothing deleted", figures.UsersSuspended > 0 ? "suspended warn" : "suspended");
        Card(html, "Users reactivated", figures.UsersReactivated, "suspended, back in the roster", "reactivated");
        Card(html, "Groups removed", figures.GroupsRemoved, "no current class or owner behind them", "removed");
        html.Append("</section>\n");
    }

    private static void Card(StringBuilder html, string title, int value, string detail, string cssClass) =>
        html.Append("<div class=\"card ").Append(cssClass).Append("\"><div class=\"card-title\">").Append(HtmlText.Escape(title))
            .Append("</div><div class=\"card-value\">").Append(Number(value)).Append("</div><div class=\"card-detail\">")
            .Append(HtmlText.Escape(detail)).Append("</div></div>\n");

    private static void AppendReasons(StringBuilder html, SyncRunRecord run)
    {
        html.Append("<section class=\"panel\" id=\"reasons\">\n<h2>Teachers by reason</h2>\n");
        if (run.Figures.TeachersByReason.Count == 0)
        {
            html.Append("<p class=\"empty\">No teacher figures: the run stopped before it judged the roster.</p>\n");
        }
        else
        {
            var bars = run.Figures.TeachersByReason
                .OrderBy(p => p.Key == "Eligible" ? 0 : 1).ThenByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new ChartBar(p.Key, p.Value, p.Key == "Eligible" ? "bar eligible" : "bar ineligible"))
                .ToList();
            html.Append(SvgChart.HorizontalBars("Teachers by eligibility reason", bars)).Append('\n');
        }
        html.Append("</section>\n");
    }

    private static void AppendHistoryChart(StringBuilder html, IReadOnlyList<SyncRunRecord> history, SyncRunRecord current, TimeZoneInfo zone)
    {
        html.Append("<section class=\"panel\" id=\"history\">\n<h2>Last ").Append(Number(history.Count)).Append(history.Count == 1 ? " run" : " runs").Append("</h2>\n");
        bool oneRunPerDay = history.Select(r => Time(r.StartedAt, zone, "yyyy-MM-dd")).Distinct().Count() == history.Count;
        var labels = history.Select(r => Time(r.StartedAt, zone, oneRunPerDay ? "MMM d" : "MMM d HH:mm")).ToList();
        var series = new List<ChartSeries>
        {
            new("Eligible teachers", history.Select(r => r.Figures.EligibleTeachers).ToList(), "eligible"),
            new("Users created", history.Select(r => r.Figures.UsersCreated).ToList(), "created"),
            new("Group syncs", history.Select(r => r.Figures.GroupSyncsCompleted).ToList(), "groups"),
            new("Users renamed", history.Select(r => r.Figures.UsersRenamed).ToList(), "renamed"),
            new("Users suspended", history.Select(r => r.Figures.UsersSuspended).ToList(), "suspended"),
            new("Failures", history.Select(r => r.Figures.UsersFailed + r.Figures.GroupSyncsFailed).ToList(), "failures"),
        };
        var statuses = history.Select(r => (StatusClass(r.Status), StatusText(r.Status))).ToList();
        html.Append(SvgChart.ColumnPanels("Eligible teachers, users created, group syncs, renames, suspensions and failures per run", labels, series, statuses)).Append('\n');
        if (history.Count == 1)
        {
            html.Append("<p class=\"empty\">No earlier run is recorded; the chart grows with every run.</p>\n");
        }
        html.Append("<p class=\"legend\"><span class=\"key s-completed\"></span>completed <span class=\"key s-completedwitherrors\"></span>with errors ")
            .Append("<span class=\"key s-held\"></span>held <span class=\"key s-failed\"></span>failed <span class=\"key s-running\"></span>running or interrupted</p>\n");
        AppendHistoryTable(html, history, current, zone);
        html.Append("</section>\n");
    }

    private static void AppendErrors(StringBuilder html, SyncRunRecord run)
    {
        html.Append("<section class=\"panel\" id=\"errors\">\n<h2>Errors <span class=\"count\">").Append(Number(run.Errors.Count)).Append("</span></h2>\n");
        if (run.Errors.Count == 0)
        {
            html.Append("<p class=\"empty\">No errors.</p>\n");
        }
        else
        {
            html.Append("<ol class=\"errors\">\n");
            foreach (string error in run.Errors)
            {
                html.Append("<li>").Append(HtmlText.Escape(error)).Append("</li>\n");
            }
            html.Append("</ol>\n");
        }
        html.Append("</section>\n");
    }

    private static void AppendDecisions(StringBuilder html, IReadOnlyList<DataSyncDecision>? decisions)
    {
        html.Append("<section class=\"panel\" id=\"decisions\">\n<h2>Teacher decisions");
        if (decisions is null)
        {
            html.Append("</h2>\n<p class=\"empty\">The state store keeps each run's figures, not its decisions about each teacher. ")
                .Append("Write this report with <code>Invoke-ClassLinkSync -ReportPath run.html</code> to include them.</p>\n</section>\n");
            return;
        }
        html.Append(" <span class=\"count\">").Append(Number(decisions.Count)).Append("</span></h2>\n");
        if (decisions.Count == 0)
        {
            html.Append("<p class=\"empty\">No teacher decisions.</p>\n</section>\n");
            return;
        }
        html.Append("<p class=\"chips\">");
        foreach (var group in decisions.GroupBy(d => d.Action).OrderBy(g => ActionRank(g.Key)).ThenBy(g => g.Key.ToString(), StringComparer.Ordinal))
        {
            html.Append("<span class=\"chip ").Append(ActionClass(group.Key)).Append("\">").Append(HtmlText.Escape(group.Key.ToString())).Append(" <strong>")
                .Append(Number(group.Count())).Append("</strong></span>");
        }
        int groupFailures = decisions.Count(d => d.GroupSync == GroupSyncStatus.Failed);
        if (groupFailures > 0)
        {
            html.Append("<span class=\"chip bad\">Group sync failed <strong>").Append(Number(groupFailures)).Append("</strong></span>");
        }
        html.Append("</p>\n");
        var ordered = decisions.Select((d, i) => (d, i)).OrderBy(p => DecisionRank(p.d)).ThenBy(p => p.i).Select(p => p.d).ToList();
        var notable = ordered.Where(IsNotable).ToList();
        var quiet = ordered.Where(d => !IsNotable(d)).ToList();
        if (notable.Count == 0)
        {
            html.Append("<p class=\"empty\">Nothing changed and nothing failed.</p>\n");
        }
        else
        {
            html.Append("<p class=\"hint\">Failures first, then accounts created and groups that changed.</p>\n");
            DecisionTable(html, notable);
        }
        if (quiet.Count > 0)
        {
            html.Append("<details><summary>").Append(Number(quiet.Count)).Append(quiet.Count == 1 ? " teacher" : " teachers")
                .Append(" with nothing to do (account exists and groups unchanged, or not eligible)</summary>\n");
            DecisionTable(html, quiet);
            html.Append("</details>\n");
        }
        html.Append("</section>\n");
    }

    /// <summary>A decision a reader should see at once: a failure, an account made or missing, or groups that changed.</summary>
    private static bool IsNotable(DataSyncDecision d) =>
        d.Action is not (DataSyncAction.Exists or DataSyncAction.Ineligible) || d.GroupSync is not (GroupSyncStatus.None or GroupSyncStatus.Unchanged);

    private static void DecisionTable(StringBuilder html, IReadOnlyList<DataSyncDecision> decisions)
    {
        html.Append("<div class=\"table-wrap\"><table class=\"decisions\">\n<thead><tr><th>Email</th><th>SourcedId</th><th>Eligibility</th><th>Action</th>")
            .Append("<th>Reason</th><th>Group sync</th><th>Groups</th><th>Message</th></tr></thead>\n<tbody>\n");
        foreach (var d in decisions)
        {
            bool problem = d.Action is DataSyncAction.CreateFailed or DataSyncAction.RenameFailed or DataSyncAction.SuspendFailed or DataSyncAction.ReactivateFailed || d.GroupSync == GroupSyncStatus.Failed;
            html.Append(problem ? "<tr class=\"problem\">" : "<tr>")
                .Append("<td>").Append(HtmlText.Escape(d.Email)).Append("</td>")
                .Append("<td><code>").Append(HtmlText.Escape(d.SourcedId)).Append("</code></td>")
                .Append("<td>").Append(HtmlText.Escape(d.Eligibility.ToString())).Append("</td>")
                .Append("<td><span class=\"tag ").Append(ActionClass(d.Action)).Append("\">").Append(HtmlText.Escape(d.Action.ToString())).Append("</span></td>")
                .Append("<td>").Append(HtmlText.Escape(d.Reason)).Append("</td>")
                .Append("<td><span class=\"tag ").Append(GroupClass(d.GroupSync)).Append("\">").Append(HtmlText.Escape(d.GroupSync.ToString())).Append("</span></td>")
                .Append("<td class=\"groups\">");
            GroupList(html, "+", "added", d.GroupsAdded);
            GroupList(html, "~", "updated", d.GroupsUpdated);
            GroupList(html, "−", "removed", d.GroupsRemoved);
            html.Append("</td><td>").Append(HtmlText.Escape(d.Message)).Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table></div>\n");
    }

    private static void GroupList(StringBuilder html, string sign, string cssClass, IReadOnlyList<string> groups)
    {
        if (groups.Count == 0)
        {
            return;
        }
        html.Append("<span class=\"").Append(cssClass).Append("\">").Append(sign).Append(' ').Append(HtmlText.Escape(string.Join(", ", groups))).Append("</span> ");
    }

    private static void AppendHistoryTable(StringBuilder html, IReadOnlyList<SyncRunRecord> history, SyncRunRecord current, TimeZoneInfo zone)
    {
        html.Append("<details id=\"runs\"><summary>The runs as a table</summary>\n<div class=\"table-wrap\"><table class=\"runs\">\n")
            .Append("<thead><tr><th>Started</th><th>Status</th><th>Took</th><th class=\"n\">Eligible</th><th class=\"n\">Created</th>")
            .Append("<th class=\"n\">Group syncs</th><th class=\"n\">Renamed</th><th class=\"n\">Departed</th><th class=\"n\">Suspended</th>")
            .Append("<th class=\"n\">Reactivated</th><th class=\"n\">Groups removed</th><th class=\"n\">Failures</th><th class=\"n\">Errors</th><th>Message</th></tr></thead>\n<tbody>\n");
        for (int i = history.Count - 1; i >= 0; i--)
        {
            var run = history[i];
            html.Append(run.RunId == current.RunId ? "<tr class=\"current\">" : "<tr>")
                .Append("<td>").Append(HtmlText.Escape(Time(run.StartedAt, zone, "yyyy-MM-dd HH:mm"))).Append("</td>")
                .Append("<td><span class=\"tag ").Append(StatusClass(run.Status)).Append("\">").Append(HtmlText.Escape(StatusText(run.Status))).Append("</span></td>")
                .Append("<td>").Append(run.EndedAt is { } end ? HtmlText.Escape(Duration(end - run.StartedAt)) : "–").Append("</td>")
                .Append("<td class=\"n\">").Append(Number(run.Figures.EligibleTeachers)).Append("</td>")
                .Append("<td class=\"n\">").Append(Number(run.Figures.UsersCreated)).Append("</td>")
                .Append("<td class=\"n\">").Append(Number(run.Figures.GroupSyncsCompleted)).Append("</td>")
                .Append("<td class=\"n\">").Append(Number(run.Figures.UsersRenamed)).Append("</td>")
                .Append("<td class=\"n\">").Append(Number(run.Figures.UsersDeparted)).Append("</td>")
                .Append("<td class=\"n\">").Append(Number(run.Figures.UsersSuspended)).Append("</td>")
                .Append("<td class=\"n\">").Append(Number(run.Figures.UsersReactivated)).Append("</td>")
                .Append("<td class=\"n\">").Append(Number(run.Figures.GroupsRemoved)).Append("</td>")
                .Append("<td class=\"n\">").Append(Number(run.Figures.UsersFailed + run.Figures.GroupSyncsFailed)).Append("</td>")
                .Append("<td class=\"n\">").Append(Number(run.Errors.Count)).Append("</td>")
                .Append("<td>").Append(HtmlText.Escape(run.Message)).Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table></div>\n</details>\n");
    }

    private static int DecisionRank(DataSyncDecision d) =>
        d.Action is DataSyncAction.CreateFailed or DataSyncAction.RenameFailed or DataSyncAction.SuspendFailed or DataSyncAction.ReactivateFailed || d.GroupSync == GroupSyncStatus.Failed ? 0
        : d.GroupSync == GroupSyncStatus.Pending ? 1
        : ActionRank(d.Action) + 2;

    // What changed an account comes first, then what would, then what a reader should know; unchanged accounts last.
    private static int ActionRank(DataSyncAction action) => action switch
    {
        DataSyncAction.CreateFailed or DataSyncAction.RenameFailed or DataSyncAction.SuspendFailed or DataSyncAction.ReactivateFailed => 0,
        DataSyncAction.Created or DataSyncAction.Renamed or DataSyncAction.Suspended or DataSyncAction.Reactivated => 1,
        DataSyncAction.WouldCreate or DataSyncAction.WouldRename or DataSyncAction.WouldSuspend or DataSyncAction.WouldReactivate => 2,
        DataSyncAction.NotCreated or DataSyncAction.Departed => 3,
        DataSyncAction.Exists => 4,
        DataSyncAction.NotInRoster => 5,
        DataSyncAction.Ineligible => 6,
        _ => 7,
    };

    private static string ActionClass(DataSyncAction action) => action switch
    {
        DataSyncAction.CreateFailed or DataSyncAction.RenameFailed or DataSyncAction.SuspendFailed or DataSyncAction.ReactivateFailed => "bad",
        DataSyncAction.Created or DataSyncAction.Renamed or DataSyncAction.Reactivated => "good",
        DataSyncAction.WouldCreate or DataSyncAction.WouldRename or DataSyncAction.WouldSuspend or DataSyncAction.WouldReactivate => "info",
        DataSyncAction.NotCreated or DataSyncAction.Departed or DataSyncAction.Suspended => "warn",
        DataSyncAction.NotInRoster => "warn",
        _ => "muted",
    };

    private static string GroupClass(GroupSyncStatus groupSync) => groupSync switch
    {
        GroupSyncStatus.Failed => "bad",
        GroupSyncStatus.Pending => "warn",
        GroupSyncStatus.Synced => "good",
        GroupSyncStatus.WouldSync => "info",
        _ => "muted",
    };

    private static string StatusText(SyncRunStatus status) => status switch
    {
        SyncRunStatus.Completed => "Completed",
        SyncRunStatus.CompletedWithErrors => "Completed with errors",
        SyncRunStatus.Held => "Held",
        SyncRunStatus.Failed => "Failed",
        SyncRunStatus.Running => "Running or interrupted",
        _ => status.ToString(),
    };

    private static string StatusClass(SyncRunStatus status) => "s-" + status.ToString().ToLowerInvariant();

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset value, TimeZoneInfo zone, string format) =>
        TimeZoneInfo.ConvertTime(value, zone).ToString(format, CultureInfo.InvariantCulture);

    private static string Offset(DateTimeOffset value, TimeZoneInfo zone)
    {
        var offset = TimeZoneInfo.ConvertTime(value, zone).Offset;
        return offset == TimeSpan.Zero ? "UTC" : "UTC" + (offset < TimeSpan.Zero ? "−" : "+") + offset.ToString(@"hh\:mm", CultureInfo.InvariantCulture);
    }

    private static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }
        if (duration.TotalSeconds < 60)
        {
            return duration.TotalSeconds.ToString(duration.TotalSeconds < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " s";
        }
        if (duration.TotalMinutes < 60)
        {
            return $"{(int)duration.TotalMinutes} min {duration.Seconds} s";
        }
        return $"{(int)duration.TotalHours} h {duration.Minutes} min";
    }

    // One stylesheet, inline: the page must not load anything (see ContentSecurityPolicy). System fonts only.
    private const string Css = """

        :root { --ink:#1f2328; --muted:#59636e; --line:#d1d9e0; --paper:#ffffff; --wash:#f6f8fa;
          --good:#1a7f37; --good-bg:#dafbe1; --warn:#9a6700; --warn-bg:#fff8c5; --bad:#cf222e; --bad-bg:#ffebe9;
          --info:#0969da; --info-bg:#ddf4ff; --held:#bc4c00; --held-bg:#fff1e5; --eligible:#0969da; --created:#1a7f37; --groups:#8250df;
          --renamed:#0550ae; --departed:#bc4c00; --suspended:#9a6700; --reactivated:#1a7f37; --removed:#6e7781; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--wash); color: var(--ink);
          font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial, sans-serif; }
        main { max-width: 1240px; margin: 0 auto; padding: 24px; }
        h1 { font-size: 22px; margin: 0; }
        h2 { font-size: 16px; margin: 0 0 12px; }
        code { font: 12px ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; }
        .top { background: var(--paper); border: 1px solid var(--line); border-left: 6px solid var(--muted); border-radius: 8px; padding: 16px 20px; margin-bottom: 16px; }
        .top.s-completed { border-left-color: var(--good); } .top.s-completedwitherrors { border-left-color: var(--warn); }
        .top.s-held { border-left-color: var(--held); } .top.s-failed { border-left-color: var(--bad); } .top.s-running { border-left-color: var(--info); }
        .heading { display: flex; flex-wrap: wrap; align-items: center; gap: 10px; }
        .pill { display: inline-block; padding: 2px 12px; border-radius: 999px; font-weight: 600; font-size: 13px; background: var(--wash); color: var(--muted); }
        .s-completed .pill.status { background: var(--good-bg); color: var(--good); }
        .s-completedwitherrors .pill.status { background: var(--warn-bg); color: var(--warn); }
        .s-held .pill.status { background: var(--held-bg); color: var(--held); }
        .s-failed .pill.status { background: var(--bad-bg); color: var(--bad); }
        .s-running .pill.status { background: var(--info-bg); color: var(--info); }
        .pill.note { background: var(--info-bg); color: var(--info); font-weight: 500; }
        .meta { margin: 8px 0 0; color: var(--muted); }
        .message { margin: 12px 0 0; padding: 10px 12px; border-radius: 6px; background: var(--wash); white-space: pre-wrap; }
        .s-held .message { background: var(--held-bg); } .s-failed .message { background: var(--bad-bg); } .s-completedwitherrors .message { background: var(--warn-bg); }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; }
        .card { background: var(--paper); border: 1px solid var(--line); border-top: 4px solid var(--line); border-radius: 8px; padding: 12px 14px; }
        .card.eligible { border-top-color: var(--eligible); } .card.created { border-top-color: var(--created); } .card.groups { border-top-color: var(--groups); }
        .cards.school-year { margin-top: 12px; }
        .card.renamed { border-top-color: var(--renamed); } .card.departed { border-top-color: var(--departed); }
        .card.suspended { border-top-color: var(--suspended); } .card.reactivated { border-top-color: var(--reactivated); } .card.removed { border-top-color: var(--removed); }
        .card.bad { border-top-color: var(--bad); } .card.bad .card-value { color: var(--bad); }
        .card.warn { border-top-color: var(--warn); } .card.warn .card-value { color: var(--warn); }
        .card-title { color: var(--muted); font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; }
        .card-value { font-size: 30px; font-weight: 700; line-height: 1.2; font-variant-numeric: tabular-nums; }
        .card-detail { color: var(--muted); font-size: 12px; }
        .roster { color: var(--muted); margin: 10px 2px 16px; }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 16px; align-items: start; }
        details { margin-top: 12px; } summary { cursor: pointer; color: var(--info); } details .table-wrap { margin-top: 8px; }
        .panel { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin-bottom: 16px; min-width: 0; }
        .count { display: inline-block; min-width: 24px; padding: 0 8px; border-radius: 999px; background: var(--wash); color: var(--muted); font-size: 12px; text-align: center; }
        .empty, .hint, .legend { color: var(--muted); margin: 8px 0 0; }
        svg { display: block; width: 100%; height: auto; font-family: inherit; }
        svg.chart-bars { max-width: 620px; } svg.chart-panels { max-width: 760px; }
        .charts { margin-bottom: 16px; } .charts .panel { margin-bottom: 0; }
        svg .label, svg .series-name { font-size: 13px; fill: var(--ink); }
        svg .value { font-size: 13px; font-weight: 600; fill: var(--ink); }
        svg .series-value { font-size: 24px; font-weight: 700; }
        svg .axis { font-size: 11px; fill: var(--muted); } svg .axis.newest { fill: var(--ink); font-weight: 600; }
        svg .track { fill: var(--wash); } svg .gridline { stroke: var(--wash); } svg .baseline { stroke: var(--line); }
        svg .bar.eligible, svg .eligible { fill: var(--eligible); } svg .bar.ineligible { fill: #8c959f; }
        svg .created { fill: var(--created); } svg .groups { fill: var(--groups); } svg .failures { fill: var(--bad); }
        svg .renamed { fill: var(--renamed); } svg .suspended { fill: var(--suspended); }
        svg .renamed-text { fill: var(--renamed); } svg .suspended-text { fill: var(--suspended); }
        svg .eligible-text { fill: var(--eligible); } svg .created-text { fill: var(--created); } svg .groups-text { fill: var(--groups); } svg .failures-text { fill: var(--bad); }
        svg .earlier { opacity: .55; }
        svg .s-completed, .key.s-completed { fill: var(--good); background: var(--good); } svg .s-completedwitherrors, .key.s-completedwitherrors { fill: #d4a72c; background: #d4a72c; }
        svg .s-held, .key.s-held { fill: var(--held); background: var(--held); } svg .s-failed, .key.s-failed { fill: var(--bad); background: var(--bad); }
        svg .s-running, .key.s-running { fill: var(--info); background: var(--info); }
        .key { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 4px 0 10px; vertical-align: -1px; }
        .key:first-child { margin-left: 0; }
        .errors { margin: 0; padding-left: 24px; } .errors li { padding: 4px 0; border-bottom: 1px solid var(--wash); color: var(--bad); white-space: pre-wrap; word-break: break-word; }
        .chips { display: flex; flex-wrap: wrap; gap: 8px; margin: 0; }
        .chip, .tag { display: inline-block; border-radius: 999px; padding: 1px 10px; background: var(--wash); color: var(--muted); white-space: nowrap; }
        .tag { font-size: 12px; padding: 0 8px; }
        .good { background: var(--good-bg); color: var(--good); } .warn { background: var(--warn-bg); color: var(--warn); }
        .bad { background: var(--bad-bg); color: var(--bad); } .info { background: var(--info-bg); color: var(--info); }
        .tag.s-completed { background: var(--good-bg); color: var(--good); } .tag.s-completedwitherrors { background: var(--warn-bg); color: var(--warn); }
        .tag.s-held { background: var(--held-bg); color: var(--held); } .tag.s-failed { background: var(--bad-bg); color: var(--bad); } .tag.s-running { background: var(--info-bg); color: var(--info); }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; }
        th { text-align: left; color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--line); padding: 6px 8px; position: sticky; top: 0; background: var(--paper); }
        td { border-bottom: 1px solid var(--wash); padding: 5px 8px; vertical-align: top; word-break: break-word; }
        tbody tr:nth-child(even) td { background: #fbfcfd; }
        tr.problem td { background: var(--bad-bg) !important; } tr.current td { font-weight: 600; }
        .n { text-align: right; font-variant-numeric: tabular-nums; }
        .groups { font-size: 12px; } .groups .added { color: var(--good); } .groups .updated { color: var(--info); } .groups .removed { color: var(--bad); }
        footer { color: var(--muted); font-size: 12px; text-align: center; margin: 8px 0 24px; }
        @media print { body { background: #fff; } .panel, .card, .top { break-inside: avoid; } th { position: static; } }

        """;
}
