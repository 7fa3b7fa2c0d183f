using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace SensoClassLink.Core.Senso;

/// <summary>
/// Everything the module does to Senso, behind one seam: the embedded SQLite tenant (the default)
/// and the HTTPS Senso tenant API implement it, and one shared test suite holds both to it.
/// </summary>
public interface ISensoProvider : IDisposable
{
    /// <summary>Where this provider writes, safe to show ("local tenant /x.db", "Senso API https://...").</summary>
    string Description { get; }

    Task<IReadOnlyList<SensoRole>> GetRolesAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<SensoSite>> GetSitesAsync(CancellationToken cancellationToken);

    /// <summary>Exact, case-insensitive lookup by email; null when there is none.</summary>
    Task<SensoUser?> FindUserByEmailAsync(string email, CancellationToken cancellationToken);

    /// <summary>Users whose email or display name contains <paramref name="search"/> (all when null), ordered by email.</summary>
    Task<SensoUserPage> SearchUsersAsync(string? search, int top, int skip, CancellationToken cancellationToken);

    /// <summary>Creates the user, or answers Exists with the account already there. Never makes a duplicate.</summary>
    Task<CreateUserResult> CreateUserAsync(NewSensoUser user, CancellationToken cancellationToken);

    /// <summary>
    /// Changes the email (the username) of the user with Senso id <paramref name="userId"/> to <paramref name="newEmail"/>
    /// (normalized) and answers the user as it now is: the same Id, role, site, source, sourcedIds and groups (groups that
    /// name the user as an owner by email follow the rename). Atomic and idempotent: renaming to the email the user already
    /// has (case-insensitive) succeeds and changes nothing, so a retried or repeated rename is safe.
    /// Throws <see cref="SensoEmailInUseException"/> when another account has the new email (nothing changed),
    /// <see cref="SensoUserNotFoundException"/> when there is no such user, <see cref="ArgumentException"/> for an empty email.
    /// </summary>
    Task<SensoUser> RenameUserAsync(string userId, string newEmail, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the status of the user with Senso id <paramref name="userId"/> (Suspended: cannot sign in; Active: can again) and
    /// answers the user as it now is. Nothing else changes: the same Id, email, role, site, sourcedIds and groups; nothing is
    /// ever deleted. Atomic and idempotent: setting the status the user already has succeeds and changes nothing.
    /// Throws <see cref="SensoUserNotFoundException"/> when there is no such user.
    /// </summary>
    Task<SensoUser> SetUserStatusAsync(string userId, SensoUserStatus status, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the set of ClassLink groups owned by <paramref name="ownerEmail"/> equal to <paramref name="groups"/>:
    /// adds and updates those given, and drops the owner from groups not given (a group is deleted only when it
    /// has no owner left). Atomic: either the whole set is applied or nothing is.
    /// </summary>
    Task<GroupReplaceResult> ReplaceUserGroupsAsync(string ownerEmail, IReadOnlyList<SensoGroup> groups, CancellationToken cancellationToken);

    /// <summary>ClassLink groups, all of them or those <paramref name="ownerEmail"/> owns, ordered by key.</summary>
    Task<IReadOnlyList<SensoGroup>> GetGroupsAsync(string? ownerEmail, CancellationToken cancellationToken);

    Task<IntegrationSettings> GetSettingsAsync(CancellationToken cancellationToken);

    Task SaveSettingsAsync(IntegrationSettings settings, CancellationToken cancellationToken);
}
