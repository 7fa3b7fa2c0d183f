using System;
using System.Collections.Generic;
using System.Globalization;
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
    private readonly Dictionary<string, int> _users = new(StringComparer.Ordinal);
    private readonly List<byte> _userFlags = new();
    private readonly Dictionary<int, int> _teacherRecordOfUser = new();
    private readonly Dictionary<string, int> _classes = new(StringComparer.Ordinal);
    private readonly string _asOf;

    private RosterIndex(string asOf, Action<DataQualityWarning> warn)
    {
        _asOf = asOf;
        _warn = warn;
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
        var index = new RosterIndex(FormatDate(asOf), warn);
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
        foreach (var user in source.ReadUsers(ct))
        {
            if (user.SourcedId.Length == 0)
            {
                _warn(new DataQualityWarning(user.Location, user.Line, "the user has no sourcedId"));
                continue;
            }
            if (_users.ContainsKey(user.SourcedId))
            {
                _warn(new DataQualityWarning(user.Location, user.Line, "another user has the same sourcedId"));
                continue;
            }
            bool active = RosterStatus.IsActive(user.Status) && RosterStatus.IsEnabled(user.EnabledUser);
            bool isTeacher = false, isStudent = false;
            foreach (string role in user.Roles)
            {
                isTeacher |= string.Equals(role, "teacher", StringComparison.OrdinalIgnoreCase);
                isStudent |= string.Equals(role, "student", StringComparison.OrdinalIgnoreCase);
            }
            int index = _userFlags.Count;
            _users.Add(user.SourcedId, index);
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
                    string email = EmailAddress.Normalize(user.Email);
                    key = EmailAddress.IsValid(email) ? email : user.SourcedId;
                }
                MemberKeys?.Add(key);
                MemberHashes?.Add(key.Length == 0 ? 0 : ClassGroupPlanner.MemberHash(key));
            }
            if (isTeacher)
            {
                _teacherRecordOfUser.Add(index, TeacherRecords.Count);
                TeacherRecords.Add(new TeacherRecord
                {
                    SourcedId = user.SourcedId,
                    Email = EmailAddress.Normalize(user.Email),
                    GivenName = user.GivenName.Trim(),
                    FamilyName = user.FamilyName.Trim(),
                    Active = active,
                    OrgSourcedIds = user.OrgSourcedIds,
                });
            }
        }
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
            if (_classes.ContainsKey(cls.SourcedId))
            {
                _warn(new DataQualityWarning(cls.Location, cls.Line, "another class has the same sourcedId"));
                continue;
            }
            _classes.Add(cls.SourcedId, Classes.Count);
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
        classIndex = -1;
        userOrTeacherIndex = -1;
        if (!_classes.TryGetValue(enrollment.ClassSourcedId, out classIndex))
        {
            _warn(new DataQualityWarning(enrollment.Location, enrollment.Line, "the enrollment refers to a class that is not in the roster"));
            return EnrollmentKind.None;
        }
        if (!_users.TryGetValue(enrollment.UserSourcedId, out int user))
        {
            _warn(new DataQualityWarning(enrollment.Location, enrollment.Line, "the enrollment refers to a user that is not in the roster"));
            return EnrollmentKind.None;
        }
        if (!RosterStatus.IsActive(enrollment.Status) || !Classes[classIndex].Active)
        {
            return EnrollmentKind.None;
        }
        if (!IsCurrent(enrollment))
        {
            return EnrollmentKind.None;
        }
        byte flags = _userFlags[user];
        string role = enrollment.Role;
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

    private bool IsCurrent(RosterEnrollment enrollment)
    {
        if (enrollment.BeginDate.Length > 0)
        {
            if (!TryDate(enrollment.BeginDate, out string begin))
            {
                _warn(new DataQualityWarning(enrollment.Location, enrollment.Line, "the enrollment's beginDate is not a YYYY-MM-DD date"));
                return false;
            }
            if (string.CompareOrdinal(begin, _asOf) > 0)
            {
                return false;
            }
        }
        if (enrollment.EndDate.Length > 0)
        {
            if (!TryDate(enrollment.EndDate, out string end))
            {
                _warn(new DataQualityWarning(enrollment.Location, enrollment.Line, "the enrollment's endDate is not a YYYY-MM-DD date"));
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
    internal static bool TryDate(string value, out string date)
    {
        date = value;
        string s = value.Trim();
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
