using System;
using System.Collections.Generic;
using System.Linq;

namespace SensoClassLink.Core.Sync;

/// <summary>Which users one run of the pipeline is about.</summary>
public enum SyncScopeKind
{
    /// <summary>These teachers, created when eligible and then their groups synced (Import-SensoUser).</summary>
    Import,

    /// <summary>These Senso users' groups synced, nobody created (Sync-SensoUserGroup -Email; -All resolves to it).</summary>
    Users,

    /// <summary>The nightly data sync: every teacher in the roster and every ClassLink user in Senso (Invoke-ClassLinkSync).</summary>
    Nightly,
}

/// <summary>The scope of one pipeline run: a kind and, for the first two kinds, the users named.</summary>
public sealed class SyncScope
{
    private SyncScope(SyncScopeKind kind, IReadOnlyList<ImportRequest> requests, bool namedTeachersOnly)
    {
        Kind = kind;
        Requests = requests;
        NamedTeachersOnly = namedTeachersOnly;
    }

    public SyncScopeKind Kind { get; }

    /// <summary>The users named, in the caller's order (repeats kept: an import answers each request).</summary>
    public IReadOnlyList<ImportRequest> Requests { get; }

    /// <summary>
    /// True when the users were named on the command line (not piped in bulk): a source that can read one teacher's
    /// data on its own (REST) then reads only theirs, when they are few.
    /// </summary>
    public bool NamedTeachersOnly { get; }

    /// <summary>The normalized, distinct, non-empty emails of <see cref="Requests"/>.</summary>
    public IReadOnlyList<string> Emails => Requests.Select(r => Eligibility.EmailAddress.Normalize(r.Email)).Where(e => e.Length > 0)
        .Distinct(StringComparer.Ordinal).ToList();

    public static SyncScope Import(IReadOnlyList<ImportRequest> requests, bool namedTeachersOnly = false) =>
        new(SyncScopeKind.Import, requests, namedTeachersOnly);

    public static SyncScope Users(IEnumerable<string> emails, bool namedTeachersOnly = false) =>
        new(SyncScopeKind.Users, emails.Select(e => new ImportRequest { Email = e }).ToList(), namedTeachersOnly);

    public static SyncScope Nightly { get; } = new(SyncScopeKind.Nightly, Array.Empty<ImportRequest>(), false);
}
