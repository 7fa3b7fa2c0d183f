using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using SensoClassLink.Core.OneRoster;

namespace SensoClassLink.Core.Eligibility;

/// <summary>
/// Decides which roster teachers Senso may create ("teachers who have classes linked to them populated with
/// students"), in one streaming pass per collection. Enrollment rows are never kept: each is classified and
/// reduced to an int in its class's student list or a (class, teacher record) pair.
/// </summary>
public static class EligibilityEngine
{
    public static RosterEvaluation Evaluate(IRosterSource source, DateTime asOf, RosterReadObserver observer, CancellationToken ct, RosterRules? rules = null) =>
        RosterPass.Read(source, asOf, observer, withGroups: false, ct, rules).Evaluation;

    /// <summary>The eligibility of every teacher, from a pass's index, pairs and deduplicated student lists.</summary>
    internal static RosterEvaluation Evaluate(RosterIndex index, TeacherClassPairs pairs, ClassStudentLists students,
        long enrollments, long counting, int warnings, CancellationToken ct)
    {
        var teachers = new List<TeacherEligibility>();
        var distinct = new HashSet<int>();
        foreach (var group in index.GroupTeachers())
        {
            ct.ThrowIfCancellationRequested();
            teachers.Add(BuildTeacher(index, group, pairs, students, distinct));
        }
        teachers.Sort(CompareTeachers);

        var byReason = Enum.GetValues(typeof(EligibilityReason)).Cast<EligibilityReason>().ToDictionary(r => r, _ => 0);
        foreach (var teacher in teachers)
        {
            byReason[teacher.Reason]++;
        }
        var statistics = new RosterStatistics
        {
            Schools = index.SchoolIds.Count,
            TeacherRecords = index.TeacherRecords.Count,
            Teachers = teachers.Count,
            EligibleTeachers = byReason[EligibilityReason.Eligible],
            TeachersByReason = byReason,
            Students = index.ActiveStudents,
            Classes = index.Classes.Count,
            Enrollments = enrollments,
            CountingEnrollments = counting,
            DataQualityWarnings = warnings,
        };
        return new RosterEvaluation(teachers, statistics);
    }

    /// <summary>The one pass over enrollments: each row is classified and reduced to an int pair, then dropped.</summary>
    [MethodImpl(HotPath.Optimize)]
    internal static void ReadEnrollments(IRosterSource source, RosterIndex index, ClassStudentLists students, List<long> teacherClasses,
        CancellationToken ct, out long enrollments, out long counting)
    {
        enrollments = 0;
        counting = 0;
        if (source is IPooledRosterSource pooled)
        {
            // Same rules without a record object or an id lookup per row: the source hands out pool ids.
            var userOfPoolId = index.MapPoolIds(pooled, users: true);
            var classOfPoolId = index.MapPoolIds(pooled, users: false);
            foreach (var row in pooled.ReadEnrollmentRows(ct))
            {
                enrollments++;
                int cls = classOfPoolId.IndexOf(row.ClassId);
                int user = userOfPoolId.IndexOf(row.UserId);
                switch (index.Classify(cls, user, row.Location, row.Line, row.IsActive, row.Role, row.BeginDate, row.EndDate, out int c, out int who))
                {
                    case EnrollmentKind.Student:
                        counting++;
                        students.Add(c, who);
                        break;
                    case EnrollmentKind.Teacher:
                        counting++;
                        teacherClasses.Add(((long)c << 32) | (uint)who);
                        break;
                    case EnrollmentKind.Other:
                        counting++;
                        break;
                }
            }
            return;
        }
        foreach (var enrollment in source.ReadEnrollments(ct))
        {
            enrollments++;
            switch (index.Classify(enrollment, out int cls, out int who))
            {
                case EnrollmentKind.Student:
                    counting++;
                    students.Add(cls, who);
                    break;
                case EnrollmentKind.Teacher:
                    counting++;
                    teacherClasses.Add(((long)cls << 32) | (uint)who);
                    break;
                case EnrollmentKind.Other:
                    counting++;
                    break;
            }
        }
    }

    private static TeacherEligibility BuildTeacher(RosterIndex index, List<int> group, TeacherClassPairs pairs,
        ClassStudentLists students, HashSet<int> distinct)
    {
        var records = group.Select(i => index.TeacherRecords[i]).ToList();
        var named = records.FirstOrDefault(r => r.Active) ?? records[0];
        string email = records[0].Email;

        var classIndexes = new SortedSet<int>();
        foreach (int record in group)
        {
            if (index.TeacherRecords[record].Active)
            {
                classIndexes.UnionWith(pairs.ClassesOf(record));
            }
        }

        distinct.Clear();
        var classes = new List<TeacherClass>(classIndexes.Count);
        foreach (int cls in classIndexes)
        {
            var info = index.Classes[cls];
            int count = students.Count(cls);
            for (int i = 0; i < count; i++)
            {
                distinct.Add(students.Get(cls, i));
            }
            classes.Add(new TeacherClass(info.SourcedId, info.Title, info.SchoolSourcedId, index.SchoolName(info.SchoolSourcedId), count, info.Term));
        }
        classes.Sort((a, b) => string.CompareOrdinal(a.SourcedId, b.SourcedId));

        // Schools: the records' orgs that are schools (or unknown to orgs.csv), then the classes' schools.
        var schoolIds = new List<string>();
        foreach (var record in records)
        {
            foreach (string org in record.OrgSourcedIds)
            {
                if (!index.NonSchoolOrgIds.Contains(org) && !schoolIds.Contains(org))
                {
                    schoolIds.Add(org);
                }
            }
        }
        foreach (var cls in classes)
        {
            if (cls.SchoolSourcedId.Length > 0 && !schoolIds.Contains(cls.SchoolSourcedId))
            {
                schoolIds.Add(cls.SchoolSourcedId);
            }
        }

        EligibilityReason reason =
            email.Length == 0 ? EligibilityReason.MissingEmail
            : !EmailAddress.IsValid(email) ? EligibilityReason.InvalidEmail
            : !records.Any(r => r.Active) ? EligibilityReason.Inactive
            : classes.Count == 0 ? EligibilityReason.NoClasses
            : distinct.Count == 0 ? EligibilityReason.NoStudents
            : EligibilityReason.Eligible;

        return new TeacherEligibility(email, named.GivenName, named.FamilyName, records.Select(r => r.SourcedId).ToArray(),
            schoolIds, schoolIds.Select(index.SchoolName).ToArray(), classes, distinct.Count, reason)
        {
            HasActiveRecord = records.Any(r => r.Active),
        };
    }

    private static int CompareTeachers(TeacherEligibility a, TeacherEligibility b)
    {
        if (a.Email.Length == 0 != (b.Email.Length == 0))
        {
            return a.Email.Length == 0 ? 1 : -1;
        }
        int byEmail = string.CompareOrdinal(a.Email, b.Email);
        return byEmail != 0 ? byEmail : string.CompareOrdinal(a.SourcedIds[0], b.SourcedIds[0]);
    }
}

/// <summary>
/// Per-class lists of student ints. Exact distinct counts need every distinct (class, student) pair once:
/// 4 bytes each (about 40 MB for 10M enrollments), far below holding the rows (hundreds of bytes each).
/// Sorting each list afterwards removes duplicate rows.
/// </summary>
internal sealed class ClassStudentLists
{
    private readonly int[]?[] _lists;
    private readonly int[] _counts;

    public ClassStudentLists(int classes)
    {
        _lists = new int[]?[classes];
        _counts = new int[classes];
    }

    [MethodImpl(HotPath.Optimize)]
    public void Add(int cls, int student)
    {
        var list = _lists[cls];
        int count = _counts[cls];
        if (list is null)
        {
            list = _lists[cls] = new int[8];
        }
        else if (count == list.Length)
        {
            Array.Resize(ref list, count * 2);
            _lists[cls] = list;
        }
        list[count] = student;
        _counts[cls] = count + 1;
    }

    public void SortAndDeduplicate()
    {
        for (int c = 0; c < _lists.Length; c++)
        {
            var list = _lists[c];
            int count = _counts[c];
            if (list is null || count < 2)
            {
                continue;
            }
            Array.Sort(list, 0, count);
            int kept = 1;
            for (int i = 1; i < count; i++)
            {
                if (list[i] != list[kept - 1])
                {
                    list[kept++] = list[i];
                }
            }
            _counts[c] = kept;
        }
    }

    public int Count(int cls) => _counts[cls];

    public int Get(int cls, int i) => _lists[cls]![i];
}
