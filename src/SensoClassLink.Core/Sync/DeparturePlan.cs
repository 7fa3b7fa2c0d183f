using System;
using System.Collections.Generic;
using System.Linq;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.Senso;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// Departed teachers: a ClassLink-created Senso user has departed when the (complete) roster holds no active teacher record
/// for them, by any of their sourcedIds or by their email: the record is gone, tobedeleted or inactive, or enabledUser is
/// false. Losing one's classes is not departing. Days are counted from the first roster date (a successful run's as-of
/// date) on which the user was seen departed; with SuspendDepartedUsers on, a user departed SuspendAfterDays days or more
/// is suspended. A suspended user with an active record again is reactivated. Users made by hand in Senso never take part.
/// Pure: <see cref="For"/> reads nothing and writes nothing.
/// </summary>
public sealed class DeparturePlan
{
    public static readonly DeparturePlan Empty = new(DateTime.Today);

    private DeparturePlan(DateTime asOf) => AsOf = asOf.Date;

    /// <summary>The roster date the days are counted to.</summary>
    public DateTime AsOf { get; }

    /// <summary>Every departed ClassLink user, in email order, each with its day count and what happens to it.</summary>
    public List<DepartedUser> Departed { get; } = new();

    /// <summary>The departed users to suspend in this run (due, SuspendDepartedUsers on, still active).</summary>
    public IEnumerable<DepartedUser> Suspensions => Departed.Where(d => d.Suspend);

    /// <summary>Suspended ClassLink users with an active teacher record again: reactivated, then their groups synced.</summary>
    public List<SensoUser> Reactivations { get; } = new();

    /// <summary>Departed users not departed in the last successful run (new to the count): what the shrink guard weighs.</summary>
    public int NewDepartures => Departed.Count(d => !d.Tracked);

    /// <summary>What a successful run records: Senso user id to the first roster date each departed user was seen departed.</summary>
    public IReadOnlyDictionary<string, DateTime> Tracking =>
        Departed.ToDictionary(d => d.User.Id, d => d.FirstDepartedOn, StringComparer.Ordinal);

    /// <summary>Plans departures and reactivations. <paramref name="tracked"/>: the stored first departure dates by Senso user id.</summary>
    public static DeparturePlan For(IEnumerable<TeacherEligibility> teachers, IEnumerable<SensoUser> sensoUsers,
        IReadOnlyDictionary<string, DateTime> tracked, DateTime asOf, bool suspendDepartedUsers, int suspendAfterDays)
    {
        var plan = new DeparturePlan(asOf);
        var activeIds = new HashSet<string>(StringComparer.Ordinal);
        var activeEmails = new HashSet<string>(StringComparer.Ordinal);
        foreach (var teacher in teachers.Where(t => t.HasActiveRecord))
        {
            activeIds.UnionWith(teacher.SourcedIds);
            if (teacher.Email.Length > 0)
            {
                activeEmails.Add(teacher.Email);
            }
        }
        foreach (var user in sensoUsers.Where(SyncPipeline.IsFromClassLink).OrderBy(u => EmailAddress.Normalize(u.Email), StringComparer.Ordinal))
        {
            string email = EmailAddress.Normalize(user.Email);
            bool present = activeEmails.Contains(email) || user.SourcedIds.Any(activeIds.Contains);
            if (present)
            {
                if (user.Status == SensoUserStatus.Suspended)
                {
                    plan.Reactivations.Add(user);
                }
                continue;
            }
            bool known = tracked.TryGetValue(user.Id, out var first);
            // A run for an earlier roster date than the one stored moves the first date back: the user was gone then too.
            var since = known && first.Date <= plan.AsOf ? first.Date : plan.AsOf;
            int days = (plan.AsOf - since).Days;
            bool due = suspendDepartedUsers && days >= suspendAfterDays;
            plan.Departed.Add(new DepartedUser(user, email, since, days, known,
                suspend: due && user.Status != SensoUserStatus.Suspended, due: due));
        }
        return plan;
    }
}

/// <summary>One departed ClassLink user: since when, for how many days, and whether this run suspends them.</summary>
public sealed class DepartedUser
{
    internal DepartedUser(SensoUser user, string email, DateTime firstDepartedOn, int daysDeparted, bool tracked, bool suspend, bool due)
    {
        User = user;
        Email = email;
        FirstDepartedOn = firstDepartedOn;
        DaysDeparted = daysDeparted;
        Tracked = tracked;
        Suspend = suspend;
        Due = due;
    }

    public SensoUser User { get; }
    /// <summary>The user's (normalized) email.</summary>
    public string Email { get; }
    /// <summary>The first roster date on which the user was seen departed.</summary>
    public DateTime FirstDepartedOn { get; }
    /// <summary>Calendar days from <see cref="FirstDepartedOn"/> to the run's as-of date (0 on the first day).</summary>
    public int DaysDeparted { get; }
    /// <summary>True when a successful run had already seen the user departed.</summary>
    public bool Tracked { get; }
    /// <summary>True when this run suspends the user.</summary>
    public bool Suspend { get; }
    /// <summary>SuspendDepartedUsers is on and the days reached SuspendAfterDays (suspended now or already).</summary>
    public bool Due { get; }
}

/// <summary>What one planned suspension or reactivation did (or, under what-if, would do).</summary>
public sealed class StatusChangeOutcome
{
    public StatusChangeOutcome(SensoUser user, SensoUserStatus status, bool changed, string reason, string message)
    {
        User = user;
        Status = status;
        Changed = changed;
        Reason = reason;
        Message = message;
    }

    /// <summary>The user as planned (its status before the change).</summary>
    public SensoUser User { get; }
    /// <summary>The status set: Suspended or Active.</summary>
    public SensoUserStatus Status { get; }
    /// <summary>True when the status was (or would be) set; false when Senso refused or failed it.</summary>
    public bool Changed { get; }
    /// <summary>Eligible when changed; SensoError or NotInSenso when not.</summary>
    public string Reason { get; }
    public string Message { get; }
}
