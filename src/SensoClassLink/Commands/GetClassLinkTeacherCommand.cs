using System;
using System.Linq;
using System.Management.Automation;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Models;

namespace SensoClassLink.Commands;

/// <summary>Lists teachers from the ClassLink roster.</summary>
[Cmdlet(VerbsCommon.Get, "ClassLinkTeacher")]
[OutputType(typeof(ClassLinkTeacher))]
public sealed class GetClassLinkTeacherCommand : SensoClassLinkCmdlet
{
    /// <summary>Only teachers whose email matches (wildcards allowed).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? Email { get; set; }

    protected override void EndProcessing()
    {
        var patterns = Email?.Select(e => WildcardPattern.Get(e.Trim(), WildcardOptions.IgnoreCase)).ToArray();
        var progress = new ProgressReporter(this, 1, "Reading the ClassLink roster");
        var observer = new RosterReadObserver
        {
            Warning = w => WriteWarning(w.ToString()),
            Progress = p => progress.Report($"{p.Collection}: {p.RecordsRead:N0} records", p.PercentComplete),
        };
        try
        {
            using IRosterSource roster = Connection.OpenRoster(observer);
            foreach (var user in roster.ReadUsers(CancellationToken))
            {
                if (!user.Roles.Contains("teacher"))
                {
                    continue;
                }
                string email = user.Email.Trim().ToLowerInvariant();
                if (patterns is not null && !patterns.Any(p => p.IsMatch(email)))
                {
                    continue;
                }
                WriteObject(new ClassLinkTeacher(email, user.GivenName, user.FamilyName, new[] { user.SourcedId },
                    user.OrgSourcedIds, Array.Empty<ClassLinkClassSummary>(), 0, 0, true, "Eligible"));
            }
        }
        catch (RosterReadException ex)
        {
            ThrowCallError(ex, "RosterUnreadable", ErrorCategory.ReadError);
        }
        finally
        {
            progress.Complete();
        }
    }
}
