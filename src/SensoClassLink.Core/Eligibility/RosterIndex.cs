using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using SensoClassLink.Core.OneRoster;

namespace SensoClassLink.Core.Eligibility;

/// <summary>One teacher record (a users row with role teacher), kept whole because teachers are few.</summary>
internal sealed class TeacherRecord
{
    public string SourcedId = "";
    public string Email = "";
    public string GivenName = "";
    public string FamilyName = "";
    public bool Active;
    public IReadOnlyList<string> OrgSourcedIds = Array.Empty<string>();
}

/// <summary>An interned class: its sourcedId maps to an index into these.</summary>
internal sealed class ClassInfo
{
    public string SourcedId = "";
    public string Title = "";
    public string SchoolSourcedId = "";
    public bool Active;
    /// <summary>Active, in the district's scope and (under classTerms: current) in a current term: only then do its enrollments count.</summary>
    public bool Counts;
    /// <summary>The class's term as shown (titles of its sessions, or the ids given), "" when it names none.</summary>
    public string Term = "";
    /// <summary>The name of the class's Senso group (<c>import.groupName</c>; the title by default).</summary>
    public string GroupName = "";
}

/// <summary>What to keep per user for group planning: nothing, the member key, or its 64-bit hash.</summary>
internal enum MemberKeyMode
{
    None,
    Keys,
    Hashes,
}

internal enum EnrollmentKind : byte
{
    /// <summary>Does not count (inactive, not current, inactive class, dangling, other role).</summary>
    None,
    /// <summary>Counts, but is neither a counting student nor a counting teacher enrollment (aide, ended user...).</summary>
    Other,
    Student,
    Teacher,
}

/// <summary>
/// The orgs, users and classes of a roster reduced to what the rules need: sourcedIds interned to ints,
/// a flag byte per user, whole records only for teachers. Enrollments are never stored here; they are
/// classified one at a time by <see cref="Classify"/>. Memory grows with users, classes and teachers.
/// </summary>
internal sealed class RosterIndex
{
    private const byte StudentFlag = 1;
    private const byte TeacherFlag = 2;
    private const byte ActiveFlag = 4;

    private readonly Action<DataQualityWarning> _warn;
    private readonly SourcedIdIndex _users;
    private readonly List<byte> _userFlags = new();
    private readonly Dictionary<int, int> _teacherRecordOfUser = new();
    private readonly SourcedIdIndex _classes;
    private readonly string _asOf;
    private readonly RosterRules _rules;

    private RosterIndex(IRosterSource source, string asOf, RosterRules rules, Action<DataQualityWarning> warn)
    {
        _asOf = asOf;
        _rules = rules;
        _warn = warn;
        _users = new SourcedIdIndex(source);
        _classes = new SourcedIdIndex(source);
    }

    public Dictionary<string, string> OrgNames { get; } = new(StringComparer.Ordinal);
    public HashSet<string> SchoolIds { get; } = new(StringComparer.Ordinal);
    public HashSet<string> NonSchoolOrgIds { get; } = new(StringComparer.Ordinal);
    public List<TeacherRecord> TeacherRecords { get; } = new();
    public List<ClassInfo> Classes { get; } = new();
    /// <summary>Per user: the group member key (valid normalized email, else sourcedId), when asked for.</summary>
    public List<string>? MemberKeys { get; private set; }
    /// <summary>Per user: <see cref="ClassGroupPlanner.MemberHash"/> of the member key, when asked for.</summary>
    public List<ulong>? MemberHashes { get; private set; }
    public int ActiveStudents { get; private set; }
    public int UserCount => _userFlags.Count;

    public static string FormatDate(DateTime asOf) => asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Reads orgs, users and classes (in that order) into an index.</summary>
    public static RosterIndex Build(IRosterSource source, DateTime asOf, Action<DataQualityWarning> warn, MemberKeyMode members, CancellationToken ct,
        RosterRules? rules = null)
    {
        var index = new RosterIndex(source, FormatDate(asOf), rules ?? RosterRules.Default, warn);
        if (members == MemberKeyMode.Keys)
        {
            index.MemberKeys = new List<string>();
        }
        else if (members == MemberKeyMode.Hashes)
        {
            index.MemberHashes = new List<ulong>();
        }
        index.ReadOrgs(source, ct);
        index.ReadUsers(source, asOf, ct);
        index.ReadClasses(source, asOf, ct);
        return index;
    }

    private void ReadOrgs(IRosterSource source, CancellationToken ct)
    {
        foreach (var org in source.ReadOrgs(ct))
        {
            if (org.SourcedId.Length == 0)
            {
                _warn(new DataQualityWarning(org.Location, org.Line, "the org has no sourcedId"));
                continue;
            }
            if (OrgNames.ContainsKey(org.SourcedId))
            {
                _warn(new DataQualityWarning(org.Location, org.Line, "another org has the same sourcedId"));
                continue;
            }
            OrgNames.Add(org.SourcedId, org.Name.Trim());
            if (string.Equals(org.Type.Trim(), "school", StringComparison.OrdinalIgnoreCase))
            {
                SchoolIds.Add(org.SourcedId);
            }
            else
            {
                NonSchoolOrgIds.Add(org.SourcedId);
            }
        }
    }

    private void ReadUsers(IRosterSource source, DateTime asOf, CancellationToken ct)
    {
        if (source is IPooledRosterSource { HasPooledUserRows: true } pooled)
        {
            // Fast path: most users are students, whose names and email (unless planning groups) are never needed,
            // so the reused row reads them only on demand.
            foreach (var row in pooled.ReadUserRows(ct))
            {
                AddUser(row.Location, row.Line, row.SourcedId, row.IsActive && row.IsEnabled, row.IsTeacher, row.IsStudent, row);
            }
            return;
        }
        // Roles with their own dates (OneRoster 1.2) count only when current on the same day as enrollments.
        foreach (var user in source is ISupportsRoleDates dated ? dated.ReadUsers(asOf, ct) : source.ReadUsers(ct))
        {
            bool isTeacher = false, isStudent = false;
            foreach (string role in user.Roles)
            {
                isTeacher |= RosterRoles.IsTeacher(role);
                isStudent |= RosterRoles.IsStudent(role);
            }
            AddUser(user.Location, user.Line, user.SourcedId, user.IsActive && user.IsEnabled, isTeacher, isStudent, new RecordDetails(user));
        }
    }

    [MethodImpl(HotPath.Optimize)]
    private void AddUser(string location, long line, string sourcedId, bool active, bool isTeacher, bool isStudent, IUserDetails details)
    {
        if (sourcedId.Length == 0)
        {
            _warn(new DataQualityWarning(location, line, "the user has no sourcedId"));
            return;
        }
        int index = _userFlags.Count;
        if (!_users.TryAdd(sourcedId, index))
        {
            _warn(new DataQualityWarning(location, line, "another user has the same sourcedId"));
            return;
        }
        _userFlags.Add((byte)((isStudent ? StudentFlag : 0) | (isTeacher ? TeacherFlag : 0) | (active ? ActiveFlag : 0)));
        if (isStudent && active)
        {
            ActiveStudents++;
        }
        if (MemberKeys is not null || MemberHashes is not null)
        {
            string key = "";
            if (isStudent && active)
            {
                string email = EmailAddress.Normalize(details.Email);
                key = EmailAddress.IsValid(email) ? email : sourcedId;
            }
            MemberKeys?.Add(key);
            MemberHashes?.Add(key.Length == 0 ? 0 : ClassGroupPlanner.MemberHash(key));
        }
        if (isTeacher)
        {
            _teacherRecordOfUser.Add(index, TeacherRecords.Count);
            TeacherRecords.Add(new TeacherRecord
            {
                SourcedId = sourcedId,
                Email = EmailAddress.Normalize(details.Email),
                GivenName = details.GivenName.Trim(),
                FamilyName = details.FamilyName.Trim(),
                Active = active,
                OrgSourcedIds = details.OrgSourcedIds,
            });
        }
    }

    private sealed class RecordDetails : IUserDetails
    {
        private readonly RosterUser _user;

        public RecordDetails(RosterUser user) => _user = user;

        public string Email => _user.Email;
        public string GivenName => _user.GivenName;
        public string FamilyName => _user.FamilyName;
        public IReadOnlyList<string> OrgSourcedIds => _user.OrgSourcedIds;
    }

    private void ReadClasses(IRosterSource source, DateTime asOf, CancellationToken ct)
    {
        // Term ids and where each class is, kept only until the sessions have judged them.
        var termIds = new List<IReadOnlyList<string>>();
        var places = new List<(string Location, long Line)>();
        // classCode and periods, kept only when the group name template uses them (and only until the names are made).
        var naming = _rules.GroupNames.IsTitleOnly ? null : new List<(string ClassCode, IReadOnlyList<string> Periods)>();
        foreach (var cls in source.ReadClasses(ct))
        {
            if (cls.SourcedId.Length == 0)
            {
                _warn(new DataQualityWarning(cls.Location, cls.Line, "the class has no sourcedId"));
                continue;
            }
            if (!_classes.TryAdd(cls.SourcedId, Classes.Count))
            {
                _warn(new DataQualityWarning(cls.Location, cls.Line, "another class has the same sourcedId"));
                continue;
            }
            string title = cls.Title.Trim();
            bool inScope = _rules.Scope.IsAll || _rules.Scope.Includes(title, cls.ClassCode, cls.SchoolSourcedId, SchoolName(cls.SchoolSourcedId));
            Classes.Add(new ClassInfo
            {
                SourcedId = cls.SourcedId,
                Title = title,
                SchoolSourcedId = cls.SchoolSourcedId,
                Active = cls.IsActive,
                Counts = cls.IsActive && inScope,
                Term = string.Join(", ", cls.TermSourcedIds),
            });
            termIds.Add(cls.TermSourcedIds);
            places.Add((cls.Location, cls.Line));
            naming?.Add((cls.ClassCode, cls.Periods));
        }
        ApplyTerms(source, asOf, termIds, places, ct);
        NameGroups(naming);
    }

    /// <summary>Each class's group name, once its term is known; the default template is the title itself.</summary>
    private void NameGroups(List<(string ClassCode, IReadOnlyList<string> Periods)>? naming)
    {
        var template = _rules.GroupNames;
        for (int c = 0; c < Classes.Count; c++)
        {
            var info = Classes[c];
            if (naming is null)
            {
                info.GroupName = info.Title;
                continue;
            }
            string school = OrgNames.TryGetValue(info.SchoolSourcedId, out string? name) ? name : "";
            info.GroupName = template.Render(new GroupNameFields(info.Title, naming[c].ClassCode.Trim(), school, info.Term, string.Join(", ", naming[c].Periods)));
        }
    }

    /// <summary>
    /// Under <c>classTerms: current</c>, a class whose known terms are all over (or not begun) on the as-of date stops
    /// counting. The sessions are read once, and only when some class names a term.
    /// </summary>
    private void ApplyTerms(IRosterSource source, DateTime asOf, List<IReadOnlyList<string>> termIds, List<(string Location, long Line)> places, CancellationToken ct)
    {
        // Under classTerms: any the sessions are read only for their titles, when a group name shows {term}. A failed read
        // fails the command as under current: falling back to ids would rename groups back and forth between runs.
        bool judge = _rules.ClassTerms == ClassTermRule.Current;
        if ((!judge && !_rules.GroupNames.Uses(GroupNameField.Term)) || source is not ISupportsAcademicSessions sessions || !termIds.Exists(t => t.Count > 0))
        {
            return;
        }
        var records = sessions.ReadAcademicSessions(ct, out string missing);
        if (records is null)
        {
            if (judge)
            {
                _warn(new DataQualityWarning(missing, 0, "the export has no academic sessions, so classes are not judged by their terms; every class counts"));
            }
            return;
        }
        if (!judge)
        {
            var titles = TermCalendar.Build(records, asOf, _ => { });
            var ignored = new List<string>();
            for (int c = 0; c < Classes.Count; c++)
            {
                if (termIds[c].Count > 0)
                {
                    Classes[c].Term = titles.Judge(termIds[c], ignored).Term;
                }
            }
            return;
        }
        var calendar = TermCalendar.Build(records, asOf, _warn);
        var unresolved = new List<string>();
        for (int c = 0; c < Classes.Count; c++)
        {
            if (termIds[c].Count == 0)
            {
                continue;
            }
            unresolved.Clear();
            var verdict = calendar.Judge(termIds[c], unresolved);
            foreach (string _ in unresolved)
            {
                _warn(new DataQualityWarning(places[c].Location, places[c].Line, "the class refers to a term that is not in the roster's academic sessions"));
            }
            Classes[c].Term = verdict.Term;
            Classes[c].Counts &= verdict.Counts;
        }
    }

    public string SchoolName(string schoolSourcedId) =>
        OrgNames.TryGetValue(schoolSourcedId, out string? name) && name.Length > 0 ? name : schoolSourcedId;

    /// <summary>
    /// Applies the enrollment rules to one row. Counting = status blank/active, current on the as-of date
    /// (beginDate ≤ D &lt; endDate, blanks unbounded), class exists and is active, user exists. A counting row is a
    /// Student enrollment when the user is an active student, a Teacher enrollment when the user is an
    /// active teacher record; anything else counts as Other. Dangling references and unreadable dates are warned.
    /// </summary>
    public EnrollmentKind Classify(RosterEnrollment enrollment, out int classIndex, out int userOrTeacherIndex)
    {
        int cls = _classes.IndexOf(enrollment.ClassSourcedId);
        int user = cls >= 0 ? _users.IndexOf(enrollment.UserSourcedId) : -1;
        return Classify(cls, user, enrollment.Location, enrollment.Line, enrollment.IsActive, enrollment.Role, enrollment.BeginDate, enrollment.EndDate,
            out classIndex, out userOrTeacherIndex);
    }

    /// <summary>For a pooled source's fast path: its pool ids mapped to this index's users (or classes); -1 where none.</summary>
    public PoolIdMap MapPoolIds(IPooledRosterSource source, bool users) => (users ? _users : _classes).ByPoolId(source);

    /// <summary>
    /// Once the enrollments are resolved nothing looks a sourcedId up again: the id maps and the source's string pool
    /// (the largest structures of a read) are freed before the teachers are evaluated.
    /// </summary>
    public void ReleaseIds(IRosterSource source)
    {
        _users.Release();
        _classes.Release();
        (source as IPooledRosterSource)?.ReleasePool();
    }

    /// <summary>
    /// Applies the enrollment rules to one row, given its class and user already looked up (-1 when not in the roster).
    /// Counting = status blank/active, current on the as-of date (beginDate ≤ D &lt; endDate, blanks unbounded), class
    /// exists and is active, user exists. A counting row is a Student enrollment when the user is an active student, a
    /// Teacher enrollment when the user is an active teacher record; anything else counts as Other. Dangling references
    /// and unreadable dates are warned.
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    public EnrollmentKind Classify(int cls, int user, string location, long line, bool active, string role, string beginDate, string endDate,
        out int classIndex, out int userOrTeacherIndex)
    {
        classIndex = cls;
        userOrTeacherIndex = -1;
        if (cls < 0)
        {
            _warn(new DataQualityWarning(location, line, "the enrollment refers to a class that is not in the roster"));
            return EnrollmentKind.None;
        }
        if (user < 0)
        {
            _warn(new DataQualityWarning(location, line, "the enrollment refers to a user that is not in the roster"));
            return EnrollmentKind.None;
        }
        if (!active || !Classes[cls].Counts)
        {
            return EnrollmentKind.None;
        }
        if (!IsCurrent(beginDate, endDate, location, line))
        {
            return EnrollmentKind.None;
        }
        byte flags = _userFlags[user];
        if ((flags & ActiveFlag) != 0)
        {
            if ((flags & StudentFlag) != 0 && RosterRoles.IsStudent(role))
            {
                userOrTeacherIndex = user;
                return EnrollmentKind.Student;
            }
            if ((flags & TeacherFlag) != 0 && RosterRoles.IsTeacher(role))
            {
                userOrTeacherIndex = _teacherRecordOfUser[user];
                return EnrollmentKind.Teacher;
            }
        }
        return EnrollmentKind.Other;
    }

    [MethodImpl(HotPath.Optimize)]
    private bool IsCurrent(string beginDate, string endDate, string location, long line)
    {
        if (OneRosterValues.IsCurrent(beginDate, endDate, _asOf, out string? unreadable))
        {
            return true;
        }
        if (unreadable is not null)
        {
            _warn(new DataQualityWarning(location, line, $"the enrollment's {unreadable} is not a YYYY-MM-DD date"));
        }
        return false;
    }

    /// <summary>The date rule of <see cref="OneRosterValues.TryParseDate"/>.</summary>
    internal static bool TryDate(string value, out string date) => OneRosterValues.TryParseDate(value, out date);

    /// <summary>
    /// Teacher records grouped into teachers: records sharing a non-empty normalized email are one teacher;
    /// a record without an email stands alone. Groups and their records are in file order.
    /// </summary>
    public List<List<int>> GroupTeachers()
    {
        var groups = new List<List<int>>();
        var byEmail = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < TeacherRecords.Count; i++)
        {
            string email = TeacherRecords[i].Email;
            if (email.Length == 0)
            {
                groups.Add(new List<int> { i });
                continue;
            }
            if (!byEmail.TryGetValue(email, out var group))
            {
                group = new List<int>();
                byEmail.Add(email, group);
                groups.Add(group);
            }
            group.Add(i);
        }
        return groups;
    }
}
