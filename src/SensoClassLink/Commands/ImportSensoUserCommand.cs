using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SensoClassLink.Completers;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.Senso;
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
    /// <summary>In input order: each request the pipeline answers, or the decision made here (declined) for one it never sees.</summary>
    private readonly List<(object Target, ImportRequest? Request, ImportDecision? Declined)> _inputs = new();
    private RosterReading? _upstreamReading;
    private SyncPipeline? _pipeline;
    private EngineRun? _engine;
    private ProgressReporter? _progress;
    private bool _whatIf;

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
        _engine = new EngineRun(this, _progress);
        // Placement (role, site) is resolved first, so an unknown name fails before anything is read or written.
        var connection = Connection;
        var options = new SyncOptions
        {
            AsOf = AsOf, WhatIf = _whatIf, QueueOnly = QueueOnly, NoGroupSync = NoGroupSync, MaxConcurrency = RequestConcurrency,
            Role = Role, Site = Site, SiteBySchool = connection.Configuration.Import.SiteBySchool,
            Roster = RosterRules.From(connection.Configuration.Roster, connection.Configuration.Import),
        };
        var pipeline = new SyncPipeline(o => connection.OpenRoster(o), Senso, _whatIf ? connection.ExistingState : connection.State, options, _engine.Observer);
        try
        {
            _engine.Run(async () => { await pipeline.PrepareImportAsync(CancellationToken).ConfigureAwait(false); return true; }, CancellationToken);
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
        _pipeline = pipeline;
    }

    protected override void ProcessRecord()
    {
        if (_inputs.Count == 0 && MyInvocation.ExpectingInput)
        {
            // Get-ClassLinkTeacher | Import-SensoUser: the upstream command's reading of the same roster on the same date,
            // while it is still emitting, so the district is read (and its warnings shown) once.
            var connection = Connection;
            _upstreamReading = RosterHandoffs.For(connection).Take(RosterHandoffs.KeyFor(connection, AsOf), needGroups: !_whatIf && !NoGroupSync && !QueueOnly);
            if (_upstreamReading is not null)
            {
                WriteVerbose("Using the roster reading of the upstream command (same roster, same date).");
            }
        }
        foreach (string email in Email)
        {
            object target = (object?)InputObject ?? email;
            if (!_whatIf && !ShouldProcess(email, "Create Senso user"))
            {
                _inputs.Add((target, null, Declined(email)));
                continue;
            }
            if (_whatIf)
            {
                ShouldProcess(email, "Create Senso user");
            }
            _inputs.Add((target, new ImportRequest { Email = email, GivenName = GivenName, FamilyName = FamilyName }, null));
        }
    }

    protected override void EndProcessing()
    {
        try
        {
            var requests = _inputs.Where(i => i.Request is not null).Select(i => i.Request!).ToList();
            var pipeline = _pipeline!;
            if (_upstreamReading is not null)
            {
                pipeline.UseReading(_upstreamReading);
            }
            // A few teachers named with -Email are read with targeted queries where the source allows it (REST).
            var scope = SyncScope.Import(requests, namedTeachersOnly: !MyInvocation.ExpectingInput);
            var result = requests.Count == 0 ? null : _engine!.Run(() => pipeline.RunAsync(scope, CancellationToken), CancellationToken);
            _engine!.WriteWarningSummary();
            var decided = result?.Imports ?? Array.Empty<ImportDecision>();
            var decisions = new List<(object Target, ImportDecision Decision)>();
            int next = 0;
            foreach (var input in _inputs)
            {
                decisions.Add((input.Target, input.Declined ?? decided[next++]));
            }
            foreach (var outcome in result?.GroupSyncs.Where(o => o.Status == GroupSyncStatus.Failed) ?? Enumerable.Empty<GroupSyncOutcome>())
            {
                WriteWarning($"{outcome.Email}: imported, but the group sync failed and stays queued: {outcome.Message}");
            }
            foreach (var (input, decision) in decisions)
            {
                if (decision.Status == ImportStatus.Failed)
                {
                    WriteItemError(new InvalidOperationException($"{decision.Email}: {decision.Message}"), ErrorIds.ImportFailedFor(decision.Reason), input);
                }
                WriteObject(new SensoUserImportResult(decision));
            }
            WriteOverview(decisions.Select(d => d.Decision).ToList());
        }
        finally
        {
            _progress?.Complete();
        }
    }

    private void WriteOverview(IReadOnlyList<ImportDecision> decisions)
    {
        int created = decisions.Count(d => d.Status == ImportStatus.Created);
        int existing = decisions.Count(d => d.Status == ImportStatus.Exists);
        int failed = decisions.Count(d => d.Status == ImportStatus.Failed);
        int renamed = decisions.Count(d => d.Status == ImportStatus.Renamed);
        int reactivated = decisions.Count(d => d.Status == ImportStatus.Reactivated);
        string overview = _whatIf
            ? $"What if: {decisions.Count(d => d.Status == ImportStatus.WhatIf)} teachers would be imported or kept, {failed} would fail."
            : $"Import: {created} created, " + (renamed > 0 ? $"{renamed} renamed, " : "") + (reactivated > 0 ? $"{reactivated} reactivated, " : "") +
              $"{existing} existing, {failed} failed.";
        WriteInformation(new InformationRecord(overview, "Import-SensoUser"));
    }

    private ImportDecision Declined(string email) => new()
    {
        Email = EmailAddress.Normalize(email), Status = ImportStatus.Failed, Reason = "Declined", Message = "Not confirmed; nothing was created.",
    };
}
