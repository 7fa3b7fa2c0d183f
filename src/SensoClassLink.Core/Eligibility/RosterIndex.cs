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

    private RosterIndex(IRosterSource source, string asOf, Action<DataQualityWarning> warn)
    {
        _asOf = asOf;
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
    public static RosterIndex Build(IRosterSource source, DateTime asOf, Action<DataQualityWarning> warn, MemberKeyMode members, CancellationToken ct)
    {
        var index = new RosterIndex(source, FormatDate(asOf), warn);
        if (members == MemberKeyMode.Keys)
        {
            index.MemberKeys = new List<string>();
        }
        else if (members == MemberKeyMode.Hashes)
        {
            index.MemberHashes = new List<ulong>();
        }
        index.ReadOrgs(source, ct);
        index.ReadUsers(source, ct);
        index.ReadClasses(source, ct);
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

    private void ReadUsers(IRosterSource source, CancellationToken ct)
    {
        if (source is IPooledRosterSource { HasUserRows: true } pooled)
        {
            // Fast path: most users are students, whose names and email (unless planning groups) are never needed,
            // so the reused row reads them only on demand.
            foreach (var row in pooled.ReadUserRows(ct))
            {
                AddUser(row.Location, row.Line, row.SourcedId, row.Status, row.EnabledUser, row.IsTeacher, row.IsStudent, row);
            }
            return;
        }
        foreach (var user in source.ReadUsers(ct))
        {
            bool isTeacher = false, isStudent = false;
            foreach (string role in user.Roles)
            {
                isTeacher |= string.Equals(role, "teacher", StringComparison.OrdinalIgnoreCase);
                isStudent |= string.Equals(role, "student", StringComparison.OrdinalIgnoreCase);
            }
            AddUser(user.Location, user.Line, user.SourcedId, user.Status, user.EnabledUser, isTeacher, isStudent, new RecordDetails(user));
        }
    }

    [MethodImpl(HotPath.Optimize)]
    private void AddUser(string location, long line, string sourcedId, string status, string enabledUser, bool isTeacher, bool isStudent, IUserDetails details)
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
        bool active = RosterStatus.IsActive(status) && RosterStatus.IsEnabled(enabledUser);
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

    private void ReadClasses(IRosterSource source, CancellationToken ct)
    {
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
            Classes.Add(new ClassInfo
            {
                SourcedId = cls.SourcedId,
                Title = cls.Title.Trim(),
                SchoolSourcedId = cls.SchoolSourcedId,
                Active = RosterStatus.IsActive(cls.Status),
            });
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
        return Classify(cls, user, enrollment.Location, enrollment.Line, enrollment.Status, enrollment.Role, enrollment.BeginDate, enrollment.EndDate,
            out classIndex, out userOrTeacherIndex);
    }

    /// <summary>For a pooled source's fast path: its pool ids mapped to this index's users (or classes); -1 where none.</summary>
    public int[] MapPoolIds(IPooledRosterSource source, bool users) => (users ? _users : _classes).ByPoolId(source);

    /// <summary>
    /// Applies the enrollment rules to one row, given its class and user already looked up (-1 when not in the roster).
    /// Counting = status blank/active, current on the as-of date (beginDate ≤ D &lt; endDate, blanks unbounded), class
    /// exists and is active, user exists. A counting row is a Student enrollment when the user is an active student, a
    /// Teacher enrollment when the user is an active teacher record; anything else counts as Other. Dangling references
    /// and unreadable dates are warned.
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    public EnrollmentKind Classify(int cls, int user, string location, long line, string status, string role, string beginDate, string endDate,
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
        if (!RosterStatus.IsActive(status) || !Classes[cls].Active)
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
            if ((flags & StudentFlag) != 0 && string.Equals(role, "student", StringComparison.OrdinalIgnoreCase))
            {
                userOrTeacherIndex = user;
                return EnrollmentKind.Student;
            }
            if ((flags & TeacherFlag) != 0 && string.Equals(role, "teacher", StringComparison.OrdinalIgnoreCase))
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
        if (beginDate.Length > 0)
        {
            if (!TryDate(beginDate, out string begin))
            {
                _warn(new DataQualityWarning(location, line, "the enrollment's beginDate is not a YYYY-MM-DD date"));
                return false;
            }
            if (string.CompareOrdinal(begin, _asOf) > 0)
            {
                return false;
            }
        }
        if (endDate.Length > 0)
        {
            if (!TryDate(endDate, out string end))
            {
                _warn(new DataQualityWarning(location, line, "the enrollment's endDate is not a YYYY-MM-DD date"));
                return false;
            }
            if (string.CompareOrdinal(_asOf, end) >= 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>YYYY-MM-DD, optionally followed by a time ("T..."/" ..."), which is ignored.</summary>
    [MethodImpl(HotPath.Optimize)]
    internal static bool TryDate(string value, out string date)
    {
        date = value;
        string s = value.Length > 0 && (value[0] == ' ' || value[value.Length - 1] == ' ') ? value.Trim() : value;
        if (s.Length < 10 || (s.Length > 10 && s[10] != 'T' && s[10] != ' '))
        {
            return false;
        }
        for (int i = 0; i < 10; i++)
        {
            bool dash = i == 4 || i == 7;
            if (dash ? s[i] != '-' : s[i] < '0' || s[i] > '9')
            {
                return false;
            }
        }
        int month = (s[5] - '0') * 10 + (s[6] - '0');
        int day = (s[8] - '0') * 10 + (s[9] - '0');
        if (month < 1 || month > 12 || day < 1 || day > 31)
        {
            return false;
        }
        date = s.Length == 10 ? s : s.Substring(0, 10);
        return true;
    }

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
