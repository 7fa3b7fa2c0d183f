using System;
using System.Collections.Generic;
using System.Linq;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.Senso;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// Identity by sourcedId: which ClassLink users in Senso a roster teacher already is. A teacher whose sourcedId belongs to
/// exactly one ClassLink-created user with another email is that user under a new email (a rename); a teacher whose
/// sourcedIds point at two users, or whose new email is another account's, is a conflict that changes nothing.
/// Users made by hand in Senso (source other than classlink) are never matched, so never renamed.
/// </summary>
public sealed class IdentityPlan
{
    public static readonly IdentityPlan Empty = new();

    /// <summary>Accounts to rename, in roster order.</summary>
    public List<PlannedRename> Renames { get; } = new();

    /// <summary>Teachers whose account cannot be told apart or renamed; nothing changes for them.</summary>
    public List<IdentityConflict> Conflicts { get; } = new();

    /// <summary>The rename of the teacher with this (new, normalized) email, or null.</summary>
    public PlannedRename? RenameFor(string email) => Renames.FirstOrDefault(r => r.NewEmail == email);

    /// <summary>The conflict of the teacher with this email, or null.</summary>
    public IdentityConflict? ConflictFor(string email) => Conflicts.FirstOrDefault(c => c.Email == email);

    /// <summary>
    /// Plans the identity of <paramref name="teachers"/> against every Senso user (keyed by normalized email). Pure.
    /// Only teachers with an active record and a valid email take part: an inactive record says nothing about who someone is now.
    /// </summary>
    public static IdentityPlan For(IEnumerable<TeacherEligibility> teachers, IReadOnlyDictionary<string, SensoUser> sensoUsers)
    {
        var plan = new IdentityPlan();
        var bySourcedId = new Dictionary<string, List<SensoUser>>(StringComparer.Ordinal);
        foreach (var user in sensoUsers.Values.Where(SyncPipeline.IsFromClassLink))
        {
            foreach (string id in user.SourcedIds.Distinct(StringComparer.Ordinal))
            {
                if (!bySourcedId.TryGetValue(id, out var list))
                {
                    bySourcedId.Add(id, list = new List<SensoUser>());
                }
                list.Add(user);
            }
        }
        if (bySourcedId.Count == 0)
        {
            return plan;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var claims = new Dictionary<string, int>(StringComparer.Ordinal); // user id -> roster teachers that are this user
        foreach (var teacher in teachers)
        {
            if (teacher.Email.Length == 0 || !seen.Add(teacher.Email)
                || teacher.Reason is EligibilityReason.Inactive or EligibilityReason.MissingEmail or EligibilityReason.InvalidEmail)
            {
                continue;
            }
            var matches = teacher.SourcedIds
                .SelectMany(id => bySourcedId.TryGetValue(id, out var users) ? users : Enumerable.Empty<SensoUser>())
                .GroupBy(u => u.Id, StringComparer.Ordinal).Select(g => g.First())
                .OrderBy(u => u.Email, StringComparer.Ordinal).ToList();
            if (matches.Count == 0)
            {
                continue;
            }
            if (matches.Count > 1)
            {
                plan.Conflicts.Add(new IdentityConflict(teacher.Email, OutcomeReason.AmbiguousIdentity, matches,
                    $"The roster record's sourcedIds belong to {matches.Count} Senso users ({string.Join(", ", matches.Select(u => u.Email))}); nothing was changed. Merge or remove the extra account in Senso."));
                continue;
            }
            var user = matches[0];
            claims[user.Id] = claims.TryGetValue(user.Id, out int n) ? n + 1 : 1;
            string current = EmailAddress.Normalize(user.Email);
            if (current == teacher.Email)
            {
                continue;
            }
            if (sensoUsers.ContainsKey(teacher.Email))
            {
                plan.Conflicts.Add(new IdentityConflict(teacher.Email, OutcomeReason.EmailInUse, matches,
                    $"The roster changed this teacher's email from {current}, but {teacher.Email} already belongs to another Senso account; nothing was changed."));
                continue;
            }
            plan.Renames.Add(new PlannedRename(user, current, teacher.Email));
        }
        // One account claimed by two roster teachers (one of them perhaps still under its email) cannot be both: it is not renamed.
        foreach (var rename in plan.Renames.Where(r => claims[r.User.Id] > 1).ToList())
        {
            plan.Renames.Remove(rename);
            plan.Conflicts.Add(new IdentityConflict(rename.NewEmail, OutcomeReason.AmbiguousIdentity, new[] { rename.User },
                $"The Senso account {rename.OldEmail} holds the sourcedIds of {claims[rename.User.Id]} roster teachers; nothing was changed."));
        }
        return plan;
    }
}

/// <summary>One ClassLink user to rename: the account as Senso holds it, its email now and the roster's email.</summary>
public sealed class PlannedRename
{
    public PlannedRename(SensoUser user, string oldEmail, string newEmail)
    {
        User = user;
        OldEmail = oldEmail;
        NewEmail = newEmail;
    }

    public SensoUser User { get; }
    public string OldEmail { get; }
    public string NewEmail { get; }
}

/// <summary>A teacher whose account is not renamed: <see cref="OutcomeReason.EmailInUse"/> or <see cref="OutcomeReason.AmbiguousIdentity"/>.</summary>
public sealed class IdentityConflict
{
    public IdentityConflict(string email, string reason, IReadOnlyList<SensoUser> users, string message)
    {
        Email = email;
        Reason = reason;
        Users = users;
        Message = message;
    }

    /// <summary>The roster teacher's (normalized) email.</summary>
    public string Email { get; }
    public string Reason { get; }
    /// <summary>The ClassLink users the record's sourcedIds point at.</summary>
    public IReadOnlyList<SensoUser> Users { get; }
    public string Message { get; }
}

/// <summary>What a planned rename did (or, under what-if, would do).</summary>
public sealed class RenameOutcome
{
    public RenameOutcome(PlannedRename rename, bool renamed, string reason, string message, SensoUser? user)
    {
        Rename = rename;
        Renamed = renamed;
        Reason = reason;
        Message = message;
        User = user;
    }

    public PlannedRename Rename { get; }
    /// <summary>True when the account was (or would be) renamed; false when Senso refused it.</summary>
    public bool Renamed { get; }
    /// <summary>Eligible when renamed; EmailInUse or SensoError when not.</summary>
    public string Reason { get; }
    public string Message { get; }
    /// <summary>The account as Senso now holds it (null when the rename failed or under what-if).</summary>
    public SensoUser? User { get; }
}
