using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SensoClassLink.Core.Eligibility;
using System.Threading.Tasks;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Errors;
using SensoClassLink.Core.Sync;
using SensoClassLink.Models;
using SensoClassLink.Session;

namespace SensoClassLink.Commands;

/// <summary>
/// Lists the roster's teachers and whether Senso may create them: by default only the eligible ones,
/// with -IncludeIneligible also the others and the reason they cannot be imported.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ClassLinkTeacher")]
[OutputType(typeof(ClassLinkTeacher))]
public sealed class GetClassLinkTeacherCommand : SensoClassLinkCmdlet
{
    private readonly List<string> _emails = new();

    /// <summary>Only teachers whose email matches one of these patterns (wildcards allowed).</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Email { get; set; }

    /// <summary>Only teachers in one of these schools, by name or sourcedId (wildcards allowed).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? School { get; set; }

    /// <summary>The date enrollments must be current on (default: today).</summary>
    [Parameter]
    public DateTime AsOf { get; set; } = DateTime.Today;

    /// <summary>Also emit teachers who cannot be imported, with the reason.</summary>
    [Parameter]
    public SwitchParameter IncludeIneligible { get; set; }

    protected override void ProcessRecord()
    {
        if (Email is not null)
        {
            _emails.AddRange(Email.Select(e => e.Trim()).Where(e => e.Length > 0));
        }
    }

    protected override void EndProcessing()
    {
        var emailPatterns = _emails.Select(e => WildcardPattern.Get(e, WildcardOptions.IgnoreCase)).ToArray();
        var schoolPatterns = School?.Select(s => WildcardPattern.Get(s.Trim(), WildcardOptions.IgnoreCase)).ToArray();
        var progress = new ProgressReporter(this, 1, "Reading the ClassLink roster");
        var engine = new EngineRun(this, progress);
        // Exact emails only (no wildcards) are looked up with targeted queries where the source allows it (REST).
        var exact = _emails.All(e => !WildcardPattern.ContainsWildcardCharacters(e))
            ? _emails.Select(EmailAddress.Normalize).Where(e => e.Length > 0).Distinct().ToList()
            : null;
        // A command downstream in this pipeline (Import-SensoUser) may reuse this reading instead of reading the
        // district again; it then needs the group data too.
        bool downstream = MyInvocation.PipelinePosition < MyInvocation.PipelineLength;
        var connection = Connection;

        RosterReading reading;
        try
        {
            WriteVerbose($"Reading the roster, enrollments current on {AsOf:yyyy-MM-dd}.");
            var reader = new RosterReader(o => connection.OpenRoster(o), engine.Observer, RosterRules.From(connection.Configuration.Roster, connection.Configuration.Import));
            reading = engine.Run(() => Task.FromResult(reader.Read(AsOf.Date, withGroups: downstream, exact, CancellationToken)), CancellationToken);
        }
        finally
        {
            progress.Complete();
        }

        engine.WriteWarningSummary();
        var handoff = RosterHandoffs.For(connection);
        if (downstream && !reading.Targeted)
        {
            handoff.Offer(RosterHandoffs.KeyFor(connection, AsOf), reading);
        }
        try
        {
            Emit(reading.Evaluation, emailPatterns, schoolPatterns);
        }
        finally
        {
            handoff.Withdraw(reading);
        }
    }

    private void Emit(RosterEvaluation evaluation, WildcardPattern[] emailPatterns, WildcardPattern[]? schoolPatterns)
    {
        var stats = evaluation.Statistics;
        WriteVerbose($"{stats.Teachers:N0} teachers ({stats.TeacherRecords:N0} records), {stats.EligibleTeachers:N0} eligible; " +
            $"{stats.Students:N0} active students, {stats.Classes:N0} classes, {stats.Enrollments:N0} enrollments ({stats.CountingEnrollments:N0} counting).");

        var matchedPatterns = new bool[emailPatterns.Length];
        foreach (var teacher in evaluation.Teachers)
        {
            if (emailPatterns.Length > 0 && !MatchEmail(teacher.Email, emailPatterns, matchedPatterns, teacher.Eligible || IncludeIneligible))
            {
                continue;
            }
            if (schoolPatterns is not null && !teacher.SchoolNames.Concat(teacher.SchoolSourcedIds).Any(s => schoolPatterns.Any(p => p.IsMatch(s))))
            {
                continue;
            }
            if (teacher.Eligible || IncludeIneligible)
            {
                WriteObject(ClassLinkTeacher.From(teacher));
            }
        }

        for (int i = 0; i < emailPatterns.Length; i++)
        {
            if (!matchedPatterns[i] && !WildcardPattern.ContainsWildcardCharacters(_emails[i]))
            {
                ReportNotFound(_emails[i], evaluation);
            }
        }
    }

    private static bool MatchEmail(string email, WildcardPattern[] patterns, bool[] matched, bool emitted)
    {
        bool any = false;
        for (int i = 0; i < patterns.Length; i++)
        {
            if (email.Length > 0 && patterns[i].IsMatch(email))
            {
                any = true;
                matched[i] |= emitted;
            }
        }
        return any;
    }

    private void ReportNotFound(string email, RosterEvaluation evaluation)
    {
        var teacher = evaluation.Find(email);
        if (teacher is not null && !teacher.Eligible && !IncludeIneligible)
        {
            WriteItemError(new ItemNotFoundException($"The teacher '{teacher.Email}' is in the roster but cannot be imported: {teacher.Reason}."),
                ErrorIds.TeacherNotEligible, email,
                "Run Get-ClassLinkTeacher with -IncludeIneligible to see the teacher and the reason.");
            return;
        }
        if (teacher is null)
        {
            WriteItemError(new ItemNotFoundException($"No teacher with the email '{EmailAddress.Normalize(email)}' is in the ClassLink roster."),
                ErrorIds.TeacherNotFound, email);
        }
    }
}
