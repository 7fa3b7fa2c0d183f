using System;
using System.Collections.Generic;
using System.Linq;

namespace SensoClassLink.Core.Eligibility;

/// <summary>Why a teacher can or cannot get a Senso account; when several apply, the first in this order wins.</summary>
public enum EligibilityReason
{
    Eligible,
    MissingEmail,
    InvalidEmail,
    /// <summary>No record of the teacher is active (status blank/active and enabledUser not false).</summary>
    Inactive,
    /// <summary>No counting teacher enrollment in an existing, active class that counts (in scope, in a current term).</summary>
    NoClasses,
    /// <summary>Classes exist but none has a counting, active student.</summary>
    NoStudents,
}

/// <summary>One of a teacher's classes, with its distinct counting students.</summary>
public sealed class TeacherClass
{
    public TeacherClass(string sourcedId, string title, string schoolSourcedId, string schoolName, int studentCount, string term = "")
    {
        Term = term;
        SourcedId = sourcedId;
        Title = title;
        SchoolSourcedId = schoolSourcedId;
        SchoolName = schoolName;
        StudentCount = studentCount;
    }

    public string SourcedId { get; }
    public string Title { get; }
    public string SchoolSourcedId { get; }
    /// <summary>The school's name from orgs.csv, or its sourcedId when the roster does not name it.</summary>
    public string SchoolName { get; }
    public int StudentCount { get; }
    /// <summary>The class's term: the current session's title, else its sessions' titles, else the term ids given ("" when none).</summary>
    public string Term { get; }
}

/// <summary>A teacher (all roster records sharing one normalized email) and whether Senso may create them.</summary>
public sealed class TeacherEligibility
{
    public TeacherEligibility(string email, string givenName, string familyName, IReadOnlyList<string> sourcedIds,
        IReadOnlyList<string> schoolSourcedIds, IReadOnlyList<string> schoolNames, IReadOnlyList<TeacherClass> classes,
        int studentCount, EligibilityReason reason)
    {
        Email = email;
        GivenName = givenName;
        FamilyName = familyName;
        SourcedIds = sourcedIds;
        SchoolSourcedIds = schoolSourcedIds;
        SchoolNames = schoolNames;
        Classes = classes;
        PopulatedClassCount = classes.Count(c => c.StudentCount > 0);
        StudentCount = studentCount;
        Reason = reason;
    }

    /// <summary>Normalized email (the Senso username), or "" when the roster has none.</summary>
    public string Email { get; }
    /// <summary>
    /// At least one of the teacher's records is active (status active, enabledUser not false), whatever else the teacher
    /// lacks: a ClassLink user with such a record has not departed (losing one's classes is not departing).
    /// </summary>
    public bool HasActiveRecord { get; init; } = true;
    public string GivenName { get; }
    public string FamilyName { get; }
    /// <summary>Every roster record merged into this teacher, in file order.</summary>
    public IReadOnlyList<string> SourcedIds { get; }
    /// <summary>The teacher's schools: their records' school orgs, then the schools of their classes.</summary>
    public IReadOnlyList<string> SchoolSourcedIds { get; }
    /// <summary>Names parallel to <see cref="SchoolSourcedIds"/> (the sourcedId when orgs.csv lacks the school).</summary>
    public IReadOnlyList<string> SchoolNames { get; }
    /// <summary>Distinct classes of the counting teacher enrollments of the active records, by sourcedId.</summary>
    public IReadOnlyList<TeacherClass> Classes { get; }
    public int PopulatedClassCount { get; }
    /// <summary>Distinct students across <see cref="Classes"/>.</summary>
    public int StudentCount { get; }
    public EligibilityReason Reason { get; }
    public bool Eligible => Reason == EligibilityReason.Eligible;

    public override string ToString() => $"{(Email.Length > 0 ? Email : SourcedIds.FirstOrDefault())}: {Reason}";
}

/// <summary>Counts from one evaluation, for summaries and run records. Nothing personal.</summary>
public sealed class RosterStatistics
{
    public int Schools { get; init; }
    public int TeacherRecords { get; init; }
    public int Teachers { get; init; }
    public int EligibleTeachers { get; init; }
    public IReadOnlyDictionary<EligibilityReason, int> TeachersByReason { get; init; } = new Dictionary<EligibilityReason, int>();
    /// <summary>Active student records.</summary>
    public int Students { get; init; }
    public int Classes { get; init; }
    /// <summary>Every enrollment row read.</summary>
    public long Enrollments { get; init; }
    /// <summary>Enrollments that are active, current, in an active class and name a known user.</summary>
    public long CountingEnrollments { get; init; }
    /// <summary>Warnings raised by the rules (duplicate sourcedIds, dangling references, bad dates); unreadable rows are reported by the source.</summary>
    public int DataQualityWarnings { get; init; }
}

/// <summary>The eligibility of every teacher in a roster, sorted by email (teachers without one last).</summary>
public sealed class RosterEvaluation
{
    private readonly Dictionary<string, TeacherEligibility> _byEmail;

    public RosterEvaluation(IReadOnlyList<TeacherEligibility> teachers, RosterStatistics statistics)
    {
        Teachers = teachers;
        Statistics = statistics;
        _byEmail = new Dictionary<string, TeacherEligibility>(StringComparer.Ordinal);
        foreach (var teacher in teachers)
        {
            if (teacher.Email.Length > 0 && !_byEmail.ContainsKey(teacher.Email))
            {
                _byEmail.Add(teacher.Email, teacher);
            }
        }
    }

    public IReadOnlyList<TeacherEligibility> Teachers { get; }
    public RosterStatistics Statistics { get; }

    /// <summary>The teacher with this email (normalized before lookup), or null.</summary>
    public TeacherEligibility? Find(string email) =>
        _byEmail.TryGetValue(EmailAddress.Normalize(email), out var teacher) ? teacher : null;
}
