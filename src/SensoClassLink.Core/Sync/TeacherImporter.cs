using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.Senso;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// The one code path that creates Senso accounts for ClassLink teachers, used by Import-SensoUser and by the
/// data sync's automatic creation. It never trusts the caller's idea of eligibility: it checks the roster.
/// Safe to call concurrently; two requests for the same email in one importer create at most one user.
/// </summary>
public sealed class TeacherImporter
{
    private readonly ISensoProvider _senso;
    private readonly PlacementPlanner _placement;
    private readonly bool _whatIf;
    private readonly ConcurrentDictionary<string, Lazy<Task<ImportDecision>>> _byEmail = new(StringComparer.Ordinal);

    public TeacherImporter(ISensoProvider senso, PlacementPlanner placement, bool whatIf)
    {
        _senso = senso;
        _placement = placement;
        _whatIf = whatIf;
    }

    /// <summary>
    /// Decides and (unless what-if) carries out the import of one teacher. Failures are answered as a Failed
    /// decision with a reason code, never thrown, so one teacher never stops the others; cancellation is thrown.
    /// </summary>
    public Task<ImportDecision> ImportAsync(ImportRequest request, TeacherEligibility? rosterEntry, CancellationToken cancellationToken)
    {
        string email = EmailAddress.Normalize(request.Email);
        if (email.Length == 0)
        {
            return Task.FromResult(Failed(request, rosterEntry, OutcomeReason.MissingEmail, "The input has no email."));
        }
        // A repeated email in one run shares the first request's work: one create, then Exists.
        var first = _byEmail.GetOrAdd(email, _ => new Lazy<Task<ImportDecision>>(() => DecideAsync(request, email, rosterEntry, cancellationToken)));
        if (first.IsValueCreated)
        {
            return RepeatAsync(first.Value);
        }
        return first.Value;
    }

    private static async Task<ImportDecision> RepeatAsync(Task<ImportDecision> firstDecision)
    {
        var first = await firstDecision.ConfigureAwait(false);
        if (first.Status != ImportStatus.Created)
        {
            return first;
        }
        return new ImportDecision
        {
            Email = first.Email, DisplayName = first.DisplayName, Role = first.Role, Site = first.Site,
            Status = ImportStatus.Exists, Reason = OutcomeReason.Eligible, UserId = first.UserId,
            Message = "Already imported earlier in this run.",
        };
    }

    private async Task<ImportDecision> DecideAsync(ImportRequest request, string email, TeacherEligibility? teacher, CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (teacher is null)
        {
            return Failed(request, null, OutcomeReason.NotInRoster, $"'{email}' is not a teacher in the ClassLink roster.");
        }
        if (!teacher.Eligible)
        {
            return Failed(request, teacher, teacher.Reason.ToString(), IneligibleMessage(teacher));
        }
        string displayName = DisplayName(request, teacher);
        string? site = _placement.SiteFor(teacher);
        if (site is null)
        {
            return Failed(request, teacher, OutcomeReason.NoSite,
                "No site for this teacher: their school is not in import.siteBySchool and no -Site or DefaultSite was given.");
        }

        try
        {
            if (_whatIf)
            {
                var existing = await _senso.FindUserByEmailAsync(email, cancellationToken).ConfigureAwait(false);
                return new ImportDecision
                {
                    Email = email, DisplayName = displayName, Role = existing?.Role ?? _placement.Role, Site = existing?.Site ?? site,
                    Status = ImportStatus.WhatIf, Reason = OutcomeReason.Eligible, UserId = existing?.Id,
                    Message = existing is null ? $"Would create the user with role '{_placement.Role}' at site '{site}'."
                        : IsReturning(existing) ? "Exists, suspended; would be reactivated (the teacher has an active roster record again)."
                        : "Exists already; would be left as it is.",
                };
            }

            var result = await _senso.CreateUserAsync(new NewSensoUser
            {
                Email = email, DisplayName = displayName, Role = _placement.Role, Site = site, SourcedIds = teacher.SourcedIds,
            }, cancellationToken).ConfigureAwait(false);
            bool created = result.Outcome == CreateUserOutcome.Created;
            if (!created && IsReturning(result.User))
            {
                // The same rule as the data sync: a suspended ClassLink teacher with an active record is reactivated, never failed.
                var active = await _senso.SetUserStatusAsync(result.User.Id, SensoUserStatus.Active, cancellationToken).ConfigureAwait(false);
                return new ImportDecision
                {
                    Email = email, DisplayName = active.DisplayName, Role = active.Role, Site = active.Site,
                    Status = ImportStatus.Reactivated, Reason = OutcomeReason.Eligible, UserId = active.Id,
                    Message = "Reactivated: the account was suspended and the teacher has an active roster record again.",
                };
            }
            return new ImportDecision
            {
                Email = email, DisplayName = result.User.DisplayName, Role = result.User.Role, Site = result.User.Site,
                Status = created ? ImportStatus.Created : ImportStatus.Exists, Reason = OutcomeReason.Eligible, UserId = result.User.Id,
                Message = created ? "Created." : "Exists already; role and site left as they are.",
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return Failed(request, teacher, OutcomeReason.SensoError, "Senso refused or failed the request: " + ex.Message);
        }
    }

    /// <summary>A suspended account the integration made (never one made by hand), for a teacher who is eligible again.</summary>
    private static bool IsReturning(SensoUser user) => user.Status == SensoUserStatus.Suspended && SyncPipeline.IsFromClassLink(user);

    private ImportDecision Failed(ImportRequest request, TeacherEligibility? teacher, string reason, string message) => new()
    {
        Email = EmailAddress.Normalize(request.Email),
        DisplayName = teacher is null ? Join(request.GivenName, request.FamilyName) : DisplayName(request, teacher),
        Role = _placement.Role,
        Site = teacher is null ? "" : _placement.SiteFor(teacher) ?? "",
        Status = ImportStatus.Failed,
        Reason = reason,
        Message = message,
    };

    private static string IneligibleMessage(TeacherEligibility teacher) => teacher.Reason switch
    {
        EligibilityReason.MissingEmail => "The roster has no email for this teacher.",
        EligibilityReason.InvalidEmail => "The roster email is not a valid address.",
        EligibilityReason.Inactive => "No active roster record: the teacher is tobedeleted, inactive or disabled.",
        EligibilityReason.NoClasses => "The teacher has no current classes in the roster.",
        EligibilityReason.NoStudents => "None of the teacher's classes has students.",
        _ => "The teacher is not eligible: " + teacher.Reason,
    };

    private static string DisplayName(ImportRequest request, TeacherEligibility teacher)
    {
        string fromRoster = Join(teacher.GivenName, teacher.FamilyName);
        return fromRoster.Length > 0 ? fromRoster : Join(request.GivenName, request.FamilyName) is { Length: > 0 } given ? given : teacher.Email;
    }

    private static string Join(string? given, string? family) => ((given ?? "").Trim() + " " + (family ?? "").Trim()).Trim();
}
