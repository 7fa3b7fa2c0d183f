using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using SensoClassLink.Core.Eligibility;

namespace SensoClassLink.Models;

/// <summary>
/// A teacher as the ClassLink roster has them (all records sharing one email), with whether Senso may create
/// an account for them and why not. Binds by property name (Email, GivenName, FamilyName, SourcedIds, School,
/// Eligible, Reason) to the import cmdlet, also after a round trip through Export-Csv/Import-Csv.
/// </summary>
public sealed class ClassLinkTeacher
{
    public ClassLinkTeacher(string email, string givenName, string familyName, IReadOnlyList<string> sourcedIds,
        IReadOnlyList<string> schools, IReadOnlyList<ClassLinkClassSummary> classes, int populatedClassCount,
        int studentCount, bool eligible, EligibilityReason reason)
        : this(email, givenName, familyName, new ClassLinkValueList(sourcedIds), new ClassLinkValueList(schools), classes,
            populatedClassCount, studentCount, eligible, reason)
    {
    }

    private ClassLinkTeacher(string email, string givenName, string familyName, ClassLinkValueList sourcedIds,
        ClassLinkValueList schools, IReadOnlyList<ClassLinkClassSummary> classes, int populatedClassCount,
        int studentCount, bool eligible, EligibilityReason reason)
    {
        Email = email;
        GivenName = givenName;
        FamilyName = familyName;
        SourcedIds = sourcedIds;
        Schools = schools;
        Classes = classes;
        PopulatedClassCount = populatedClassCount;
        StudentCount = studentCount;
        Eligible = eligible;
        Reason = reason;
    }

    /// <remarks>
    /// The object shares the evaluation's value arrays and class records instead of copying them: a whole-district
    /// listing holds every teacher's output and its evaluation at once (at 10M enrollments 70,000 teachers and
    /// 360,000 classes: about 20 MB of copies).
    /// </remarks>
    internal static ClassLinkTeacher From(TeacherEligibility teacher) => new(
        teacher.Email,
        teacher.GivenName,
        teacher.FamilyName,
        ClassLinkValueList.Share(teacher.SourcedIds),
        ClassLinkValueList.Share(teacher.SchoolNames),
        teacher.Classes.Select(c => new ClassLinkClassSummary(c)).ToArray(),
        teacher.PopulatedClassCount,
        teacher.StudentCount,
        teacher.Eligible,
        teacher.Reason);

    /// <summary>Normalized (trimmed, lower-case) roster email: the Senso username. Empty when the roster has none.</summary>
    public string Email { get; }
    public string GivenName { get; }
    public string FamilyName { get; }
    /// <summary>Every roster record merged into this teacher.</summary>
    public ClassLinkValueList SourcedIds { get; }
    /// <summary>School names (or sourcedIds when a school is not in orgs.csv).</summary>
    public ClassLinkValueList Schools { get; }
    /// <summary>The first school: what a site mapping (import.siteBySchool) is looked up by.</summary>
    public string School => Schools.Count > 0 ? Schools[0] : "";
    public IReadOnlyList<ClassLinkClassSummary> Classes { get; }
    /// <summary>Classes with at least one counting student.</summary>
    public int PopulatedClassCount { get; }
    /// <summary>Distinct students across the teacher's classes.</summary>
    public int StudentCount { get; }
    public bool Eligible { get; }
    /// <summary>Eligible, or why not: MissingEmail, InvalidEmail, Inactive, NoClasses, NoStudents (shown and exported by name).</summary>
    public EligibilityReason Reason { get; }

    public string DisplayName => (GivenName + " " + FamilyName).Trim();

    public override string ToString() => Email.Length > 0 ? Email : SourcedIds.ToString();
}

/// <summary>A list of roster values that writes itself as "a,b" so it survives Export-Csv.</summary>
public sealed class ClassLinkValueList : ReadOnlyCollection<string>
{
    public ClassLinkValueList(IEnumerable<string> values)
        : base(values.ToList())
    {
    }

    private ClassLinkValueList(string[] shared)
        : base(shared)
    {
    }

    /// <summary>A list over the evaluation's own array (never written after the evaluation is made), else a copy.</summary>
    internal static ClassLinkValueList Share(IReadOnlyList<string> values) =>
        values is string[] array ? new ClassLinkValueList(array) : new ClassLinkValueList(values);

    public override string ToString() => string.Join(",", this);
}

/// <summary>One of a teacher's classes.</summary>
public sealed class ClassLinkClassSummary
{
    // The evaluation's record of the class, shared rather than copied (one reference instead of five fields).
    private readonly TeacherClass _class;

    public ClassLinkClassSummary(string sourcedId, string title, string school, int studentCount, string term = "")
        : this(new TeacherClass(sourcedId, title, "", school, studentCount, term))
    {
    }

    internal ClassLinkClassSummary(TeacherClass teacherClass) => _class = teacherClass;

    public string SourcedId => _class.SourcedId;
    public string Title => _class.Title;
    /// <summary>The school's name (its sourcedId when the roster does not name it).</summary>
    public string School => _class.SchoolName;
    public int StudentCount => _class.StudentCount;
    /// <summary>The class's term: its current academic session's title, else its sessions' titles, else the term ids ("" when none).</summary>
    public string Term => _class.Term;

    public override string ToString() => $"{Title} ({StudentCount})";
}
