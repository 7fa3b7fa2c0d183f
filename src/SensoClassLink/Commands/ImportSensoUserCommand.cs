using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SensoClassLink.Completers;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.State;
using SensoClassLink.Core.Sync;
using SensoClassLink.Errors;
using SensoClassLink.Models;
using SensoClassLink.Session;

namespace SensoClassLink.Commands;

/// <summary>
/// Creates Senso accounts for eligible ClassLink teachers, one or in bulk, and queues (and by default runs)
/// a group sync for each of them. Idempotent: a teacher who has an account already is reported as Exists.
/// </summary>
[Cmdlet(VerbsData.Import, "SensoUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SensoUserImportResult))]
public sealed class ImportSensoUserCommand : SensoCommandBase
{
    private readonly List<(object Input, ImportDecision Decision)> _decisions = new();
    private readonly List<ImportJournalEntry> _journal = new();
    private readonly string _runId = Guid.NewGuid().ToString("D");
    private OrderedWorkWindow<ImportDecision>? _window;
    private TeacherImporter? _importer;
    private RosterEvaluation? _roster;
    private RosterSession? _rosterSession;
    private ProgressReporter? _progress;
    private bool _whatIf;
    private int _received;

    /// <summary>Teacher emails; binds from the Email property of piped objects (ClassLinkTeacher, CSV rows).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Email { get; set; } = Array.Empty<string>();

    /// <summary>The piped object itself, kept only as the target of its error record.</summary>
    [Parameter(ValueFromPipeline = true, DontShow = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Accepted from piped objects for the display name when the roster has none; never trusted for eligibility.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? GivenName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? FamilyName { get; set; }

    /// <summary>The Senso role for the new accounts; defaults to the integration's DefaultRole.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(SensoRoleNameCompleter))]
    public string? Role { get; set; }

    /// <summary>The Senso site for the new accounts; defaults to import.siteBySchool, then DefaultSite.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(SensoSiteNameCompleter))]
    public string? Site { get; set; }

    /// <summary>The date eligibility is judged on; defaults to today.</summary>
    [Parameter]
    public DateTime AsOf { get; set; } = DateTime.Today;

    /// <summary>Neither queue nor run a group sync after the import.</summary>
    [Parameter]
    public SwitchParameter NoGroupSync { get; set; }

    /// <summary>Queue the group syncs but leave them for Sync-SensoUserGroup or the next data sync.</summary>
    [Parameter]
    public SwitchParameter QueueOnly { get; set; }

    /// <summary>How many Senso requests run at once.</summary>
    [Parameter]
    [ValidateRange(1, 32)]
    public int ThrottleLimit { get; set; } = 4;

    protected override void BeginProcessing()
    {
        _whatIf = WhatIfRequested;
        _progress = new ProgressReporter(this, 2, "Importing teachers into Senso");
        // With group syncs the roster is read twice (evaluate, then plan): one shared read, snapshotted over REST.
        _rosterSession = new RosterSession(this, Connection, _progress, readsMoreThanOnce: !_whatIf && !NoGroupSync && !QueueOnly);
        var senso = Senso;
        PlacementPlanner placement;
        try
        {
            var settings = Await(senso.GetSettingsAsync(CancellationToken));
            placement = Await(PlacementPlanner.CreateAsync(senso, Role, Site, settings, Connection.Configuration.Import.SiteBySchool, CancellationToken));
        }
        catch (NameNotFoundException ex)
        {
            ThrowCallFailure(ex, ex.Requested);
            return;
        }
        catch (PlacementException ex)
        {
            ThrowCallFailure(ex);
            return;
        }
        _importer = new TeacherImporter(senso, placement, _whatIf);
        _window = new OrderedWorkWindow<ImportDecision>(RequestConcurrency, EventChannel.Pump);
    }

    protected override void ProcessRecord()
    {
        // The roster is evaluated once, when the first teacher arrives (memory grows with teachers, not enrollments).
        // A few teachers named with -Email are looked up with targeted queries where the source allows it (REST).
        var targeted = MyInvocation.ExpectingInput ? null : Email.Select(EmailAddress.Normalize).Where(e => e.Length > 0).Distinct().ToList();
        _roster ??= _rosterSession!.Evaluate(AsOf, CancellationToken, targeted);
        foreach (string email in Email)
        {
            _received++;
            var request = new ImportRequest { Email = email, GivenName = GivenName, FamilyName = FamilyName };
            var teacher = _roster.Find(EmailAddress.Normalize(email));
            object target = (object?)InputObject ?? email;
            if (!_whatIf && !ShouldProcess(email, "Create Senso user"))
            {
                Collect(target, Declined(email));
                continue;
            }
            if (_whatIf)
            {
                ShouldProcess(email, "Create Senso user");
            }
            foreach (var (item, decision) in _window!.Add(target, _importer!.ImportAsync(request, teacher, CancellationToken)))
            {
                Collect(item!, decision);
            }
            _progress!.Report($"{_decisions.Count:N0} of {_received:N0} teachers decided", Email.Length > 1 && _received <= Email.Length ? _received * 100 / Email.Length : -1);
        }
    }

    protected override void EndProcessing()
    {
        try
        {
            foreach (var (item, decision) in _window!.Drain())
            {
                Collect(item!, decision);
            }
            FlushJournal();
            _rosterSession!.WriteWarningSummary();
            RunGroupSyncs();
            foreach (var (input, decision) in _decisions)
            {
                if (decision.Status == ImportStatus.Failed)
                {
                    WriteItemError(new InvalidOperationException($"{decision.Email}: {decision.Message}"), ErrorIds.ImportFailedFor(decision.Reason), input);
                }
                WriteObject(new SensoUserImportResult(decision));
            }
            WriteOverview();
        }
        finally
        {
            _progress?.Complete();
            _rosterSession?.Dispose();
        }
    }

    /// <summary>A stopped or failed import still deletes its roster snapshot.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rosterSession?.Dispose();
        }
        base.Dispose(disposing);
    }

    private void RunGroupSyncs()
    {
        var withAccount = _decisions.Select(d => d.Decision).Where(d => d.HasAccount).ToList();
        if (_whatIf || NoGroupSync || withAccount.Count == 0)
        {
            return;
        }
        var emails = withAccount.Select(d => d.Email).Distinct(StringComparer.Ordinal).ToList();
        Connection.State.GroupSyncQueue.Enqueue(emails, "import");
        if (QueueOnly)
        {
            withAccount.ForEach(d => d.GroupSync = GroupSyncState.Queued);
            return;
        }
        _progress!.Report($"Syncing class groups of {emails.Count:N0} users", force: true);
        var planned = _rosterSession!.PlanGroups(AsOf, emails, CancellationToken);
        if (!_rosterSession.Complete)
        {
            WriteWarning($"The roster could not be read completely ({_rosterSession.Truncation}), so no group was changed; the group syncs stay queued.");
            withAccount.ForEach(d => d.GroupSync = GroupSyncState.Queued);
            return;
        }
        var processor = new GroupSyncProcessor(Senso, Connection.State.GroupSyncQueue, new GroupSyncRetryPolicy(), RequestConcurrency);
        var outcomes = Await(processor.ProcessAsync(emails, planned, rosterComplete: true, whatIf: false, completed: null, CancellationToken))
            .ToDictionary(o => o.Email, StringComparer.Ordinal);
        foreach (var decision in withAccount)
        {
            decision.GroupSync = outcomes[decision.Email].Status;
            if (decision.GroupSync == GroupSyncState.Failed)
            {
                WriteWarning($"{decision.Email}: imported, but the group sync failed and stays queued: {outcomes[decision.Email].Message}");
            }
        }
    }

    private void Collect(object input, ImportDecision decision)
    {
        _decisions.Add((input, decision));
        WriteVerbose($"{decision.Email}: {decision.Status} ({decision.Reason})");
        if (_whatIf)
        {
            return;
        }
        _journal.Add(new ImportJournalEntry
        {
            Time = DateTimeOffset.UtcNow, RunId = _runId, Email = decision.Email, Status = decision.Status.ToString(),
            Reason = decision.Reason, UserId = decision.UserId,
        });
        // Journal in small batches so a killed run still shows most of its decisions.
        if (_journal.Count >= 100)
        {
            FlushJournal();
        }
    }

    private void FlushJournal()
    {
        if (_journal.Count == 0 || _whatIf)
        {
            return;
        }
        Connection.State.ImportJournal.Append(_journal);
        _journal.Clear();
    }

    private void WriteOverview()
    {
        int created = _decisions.Count(d => d.Decision.Status == ImportStatus.Created);
        int existing = _decisions.Count(d => d.Decision.Status == ImportStatus.Exists);
        int failed = _decisions.Count(d => d.Decision.Status == ImportStatus.Failed);
        string overview = _whatIf
            ? $"What if: {_decisions.Count(d => d.Decision.Status == ImportStatus.WhatIf)} teachers would be imported or kept, {failed} would fail."
            : $"Import: {created} created, {existing} existing, {failed} failed.";
        WriteInformation(new InformationRecord(overview, "Import-SensoUser"));
    }

    private ImportDecision Declined(string email) => new()
    {
        Email = EmailAddress.Normalize(email), Status = ImportStatus.Failed, Reason = "Declined", Message = "Not confirmed; nothing was created.",
    };
}
