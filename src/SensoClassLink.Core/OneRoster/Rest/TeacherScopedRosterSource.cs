using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>
/// The roster as far as one teacher is concerned, read with targeted requests: the user records with
/// that email (<c>filter=email='...'</c>), their enrollments (<c>filter=user.sourcedId='...'</c>), each of
/// their classes (<c>/classes/{id}</c>) with its enrollments (<c>/schools/{school}/classes/{id}/enrollments</c>)
/// and users, and the orgs all of these name. Values that fail the filter allow-list fall back to a
/// full pull matched locally, so the answer always equals the full computation's for this teacher.
/// The scope is read once, on first use, and is small (one teacher's classes), so it is held in memory.
/// </summary>
public sealed class TeacherScopedRosterSource : IRosterSource, ISupportsAcademicSessions
{
    private static readonly IReadOnlyList<KeyValuePair<string, string>> NoQuery = Array.Empty<KeyValuePair<string, string>>();
    private readonly RestRosterSource _source;
    private readonly string _email;
    private readonly RosterReadObserver _observer;
    private Scope? _scope;

    public TeacherScopedRosterSource(RestRosterSource source, string email, RosterReadObserver? observer = null)
    {
        _source = source;
        _email = email.Trim();
        _observer = observer ?? RosterReadObserver.None;
    }

    public string Description => $"{_source.Description}, scoped to one teacher";

    /// <summary>True when a lookup had to fall back to a full pull (the email or an id failed the filter allow-list, or the filter matched nothing).</summary>
    public bool UsedFullPull { get; private set; }

    public IEnumerable<RosterOrg> ReadOrgs(CancellationToken cancellationToken) => Load(cancellationToken).Orgs;

    public IEnumerable<RosterUser> ReadUsers(CancellationToken cancellationToken) => Load(cancellationToken).Users;

    public IEnumerable<RosterClass> ReadClasses(CancellationToken cancellationToken) => Load(cancellationToken).Classes;

    public IEnumerable<RosterEnrollment> ReadEnrollments(CancellationToken cancellationToken) => Load(cancellationToken).Enrollments;

    /// <summary>The district's sessions (few), so a scoped teacher's classes are judged by the same terms as a full read.</summary>
    public IEnumerable<RosterAcademicSession>? ReadAcademicSessions(CancellationToken cancellationToken, out string missing) =>
        _source.ReadAcademicSessions(cancellationToken, out missing);

    public void Dispose()
    {
    }

    private Scope Load(CancellationToken cancellationToken) => _scope ??= Build(cancellationToken);

    private Scope Build(CancellationToken token)
    {
        var client = _source.Client;
        var scope = new Scope();

        // 1. The teacher's user records.
        var teachers = FindUsersByEmail(token);
        foreach (var user in teachers)
        {
            scope.AddUser(user);
        }

        // 2. Their enrollments.
        var classIds = new List<string>();
        foreach (var user in teachers)
        {
            foreach (var enrollment in EnrollmentsOfUser(user.SourcedId, token))
            {
                scope.AddEnrollment(enrollment);
                if (!classIds.Contains(enrollment.ClassSourcedId))
                {
                    classIds.Add(enrollment.ClassSourcedId);
                }
            }
        }

        // 3. Each class, its enrollments and its users.
        foreach (string classId in classIds)
        {
            token.ThrowIfCancellationRequested();
            var cls = client.GetSingleAsync(RosterCollections.Classes, "/classes/" + OneRosterRestClient.Segment(classId), token).GetAwaiter().GetResult();
            if (cls is null)
            {
                continue; // the full pull would not have it either
            }
            scope.AddClass(cls);
            string school = cls.SchoolSourcedId.Length > 0 ? cls.SchoolSourcedId
                : scope.Enrollments.FirstOrDefault(e => e.ClassSourcedId == classId)?.SchoolSourcedId ?? "";
            string path = "/schools/" + OneRosterRestClient.Segment(school) + "/classes/" + OneRosterRestClient.Segment(classId) + "/enrollments";
            foreach (var enrollment in _source.ReadCollection(RosterCollections.Enrollments, path, NoQuery, token))
            {
                if (enrollment.ClassSourcedId == classId)
                {
                    scope.AddEnrollment(enrollment);
                }
            }
            foreach (string members in new[] { "/students", "/teachers" })
            {
                foreach (var user in _source.ReadCollection(RosterCollections.Users, "/classes/" + OneRosterRestClient.Segment(classId) + members, NoQuery, token))
                {
                    scope.AddUser(user);
                }
            }
        }
        foreach (string userId in scope.Enrollments.Select(e => e.UserSourcedId).Where(id => !scope.HasUser(id)).Distinct().ToList())
        {
            var user = client.GetSingleAsync(RosterCollections.Users, "/users/" + OneRosterRestClient.Segment(userId), token).GetAwaiter().GetResult();
            if (user is not null)
            {
                scope.AddUser(user);
            }
        }

        // 4. The orgs they name, with their parents (a district above a school).
        var pending = new Queue<string>(scope.Users.SelectMany(u => u.OrgSourcedIds)
            .Concat(scope.Classes.Select(c => c.SchoolSourcedId))
            .Concat(scope.Enrollments.Select(e => e.SchoolSourcedId))
            .Where(id => id.Length > 0).Distinct());
        var visited = new HashSet<string>(StringComparer.Ordinal);
        while (pending.Count > 0 && visited.Count < 1000)
        {
            string orgId = pending.Dequeue();
            if (!visited.Add(orgId))
            {
                continue;
            }
            var org = client.GetSingleAsync(RosterCollections.Orgs, "/orgs/" + OneRosterRestClient.Segment(orgId), token).GetAwaiter().GetResult();
            if (org is not null)
            {
                scope.Orgs.Add(org);
                if (org.ParentSourcedId is { Length: > 0 } parent)
                {
                    pending.Enqueue(parent);
                }
            }
        }
        _observer.Verbose?.Invoke($"Teacher scope read with {client.AttemptCount} requests: {scope.Users.Count} users, {scope.Classes.Count} classes, {scope.Enrollments.Count} enrollments, {scope.Orgs.Count} orgs{(UsedFullPull ? " (fell back to a full pull for a value outside the filter allow-list or an empty filtered answer)" : "")}.");
        return scope;
    }

    private List<RosterUser> FindUsersByEmail(CancellationToken token)
    {
        bool Matches(RosterUser u) => string.Equals(u.Email.Trim(), _email, StringComparison.OrdinalIgnoreCase);
        if (OneRosterFilter.Equal("email", _email) is { } filter)
        {
            var found = _source.ReadCollection(RosterCollections.Users, "/users", new[] { filter }, token).Where(Matches).ToList();
            if (found.Count > 0)
            {
                return found;
            }
            // Servers may compare emails case-sensitively; the full computation does not. Confirm the absence with a full pull.
        }
        UsedFullPull = true;
        return _source.ReadCollection(RosterCollections.Users, "/users", NoQuery, token).Where(Matches).ToList();
    }

    private IEnumerable<RosterEnrollment> EnrollmentsOfUser(string userId, CancellationToken token)
    {
        IReadOnlyList<KeyValuePair<string, string>> query = NoQuery;
        if (OneRosterFilter.Equal("user.sourcedId", userId) is { } filter)
        {
            query = new[] { filter };
        }
        else
        {
            UsedFullPull = true;
        }
        return _source.ReadCollection(RosterCollections.Enrollments, "/enrollments", query, token).Where(e => e.UserSourcedId == userId);
    }

    private sealed class Scope
    {
        private readonly HashSet<string> _userIds = new(StringComparer.Ordinal);
        private readonly HashSet<string> _classIds = new(StringComparer.Ordinal);
        private readonly HashSet<string> _enrollmentIds = new(StringComparer.Ordinal);

        public List<RosterOrg> Orgs { get; } = new();
        public List<RosterUser> Users { get; } = new();
        public List<RosterClass> Classes { get; } = new();
        public List<RosterEnrollment> Enrollments { get; } = new();

        public bool HasUser(string id) => _userIds.Contains(id);

        public void AddUser(RosterUser user)
        {
            if (_userIds.Add(user.SourcedId))
            {
                Users.Add(user);
            }
        }

        public void AddClass(RosterClass cls)
        {
            if (_classIds.Add(cls.SourcedId))
            {
                Classes.Add(cls);
            }
        }

        public void AddEnrollment(RosterEnrollment enrollment)
        {
            if (_enrollmentIds.Add(enrollment.SourcedId))
            {
                Enrollments.Add(enrollment);
            }
        }
    }
}
