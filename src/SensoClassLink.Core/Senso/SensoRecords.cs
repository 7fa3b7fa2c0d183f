using System;
using System.Collections.Generic;

namespace SensoClassLink.Core.Senso;

/// <summary>A Senso role a user can be given (Teacher, Administrator, ...).</summary>
public sealed class SensoRole
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
}

/// <summary>A Senso site (a school or campus in Senso's own terms).</summary>
public sealed class SensoSite
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
}

/// <summary>A Senso user account. For users from ClassLink the username is the roster email.</summary>
public sealed class SensoUser
{
    public string Id { get; init; } = "";
    public string Email { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string Role { get; init; } = "";
    public string Site { get; init; } = "";
    /// <summary>Where the account came from: "classlink" for accounts this module created.</summary>
    public string Source { get; init; } = "";
    public IReadOnlyList<string> SourcedIds { get; init; } = Array.Empty<string>();
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Active, or Suspended (cannot sign in; the account, its role, site and groups are kept).</summary>
    public SensoUserStatus Status { get; init; } = SensoUserStatus.Active;
}

/// <summary>Whether a Senso user may sign in. Accounts are never deleted by this module: a departed teacher is suspended.</summary>
public enum SensoUserStatus
{
    Active,
    Suspended,
}

/// <summary>What to create: the email is the username.</summary>
public sealed class NewSensoUser
{
    public string Email { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string Role { get; init; } = "";
    public string Site { get; init; } = "";
    public IReadOnlyList<string> SourcedIds { get; init; } = Array.Empty<string>();
}

public enum CreateUserOutcome
{
    Created,
    Exists,
}

/// <summary>The answer to a create: the user now in Senso, and whether this call made it.</summary>
public sealed class CreateUserResult
{
    public CreateUserResult(CreateUserOutcome outcome, SensoUser user)
    {
        Outcome = outcome;
        User = user;
    }

    public CreateUserOutcome Outcome { get; }
    public SensoUser User { get; }
}

/// <summary>
/// A ClassLink class group as Senso should hold it. Key = class sourcedId; owners = teacher emails;
/// members = student emails, or student sourcedIds for students without an email.
/// </summary>
public sealed class SensoGroup
{
    public string Key { get; init; } = "";
    public string Name { get; init; } = "";
    public IReadOnlyList<string> Owners { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> Members { get; init; } = Array.Empty<string>();
}

/// <summary>What replacing one user's groups changed, by group key.</summary>
public sealed class GroupReplaceResult
{
    public IReadOnlyList<string> Added { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> Removed { get; init; } = Array.Empty<string>();
    /// <summary>Groups kept whose name or members were brought up to date.</summary>
    public IReadOnlyList<string> Updated { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> Unchanged { get; init; } = Array.Empty<string>();

    public bool HasChanges => Added.Count + Removed.Count + Updated.Count > 0;
}

/// <summary>The ClassLink integration's settings in Senso.</summary>
public sealed class IntegrationSettings
{
    public bool AutomaticallyCreateUsers { get; init; }
    public string? DefaultRole { get; init; }
    public string? DefaultSite { get; init; }

    /// <summary>Suspend ClassLink users who have left the roster (after <see cref="SuspendAfterDays"/>); off: they are only listed.</summary>
    public bool SuspendDepartedUsers { get; init; }

    /// <summary>Consecutive roster days a user must be departed before suspension (0: the first run that sees it).</summary>
    public int SuspendAfterDays { get; init; } = DefaultSuspendAfterDays;

    public const int DefaultSuspendAfterDays = 7;

    /// <summary>The largest SuspendAfterDays accepted (a school year).</summary>
    public const int MaxSuspendAfterDays = 365;
}

/// <summary>One page of a user listing.</summary>
public sealed class SensoUserPage
{
    public IReadOnlyList<SensoUser> Users { get; init; } = Array.Empty<SensoUser>();
    public int Total { get; init; }
}
