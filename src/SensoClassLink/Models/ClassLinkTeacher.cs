using System;
using System.Collections.Generic;

namespace SensoClassLink.Models;

/// <summary>
/// A teacher as the ClassLink roster has them, with whether Senso may create an account for them and why not.
/// Binds by property name to Import-SensoUser.
/// </summary>
public sealed class ClassLinkTeacher
{
    public ClassLinkTeacher(string email, string givenName, string familyName, IReadOnlyList<string> sourcedIds,
        IReadOnlyList<string> schools, IReadOnlyList<ClassLinkClassSummary> classes, int populatedClassCount,
        int studentCount, bool eligible, string reason)
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

    /// <summary>Normalized (trimmed, lower-case) roster email: the Senso username.</summary>
    public string Email { get; }
    public string GivenName { get; }
    public string FamilyName { get; }
    public IReadOnlyList<string> SourcedIds { get; }
    /// <summary>School names (or sourcedIds when a school is not in the roster).</summary>
    public IReadOnlyList<string> Schools { get; }
    public IReadOnlyList<ClassLinkClassSummary> Classes { get; }
    public int PopulatedClassCount { get; }
    /// <summary>Distinct students across the teacher's classes.</summary>
    public int StudentCount { get; }
    public bool Eligible { get; }
    /// <summary>"Eligible", or why not: MissingEmail, InvalidEmail, Inactive, NoClasses, NoStudents.</summary>
    public string Reason { get; }

    public string DisplayName => (GivenName + " " + FamilyName).Trim();

    public override string ToString() => Email;
}

/// <summary>One of a teacher's classes.</summary>
public sealed class ClassLinkClassSummary
{
    public ClassLinkClassSummary(string sourcedId, string title, string school, int studentCount)
    {
        SourcedId = sourcedId;
        Title = title;
        School = school;
        StudentCount = studentCount;
    }

    public string SourcedId { get; }
    public string Title { get; }
    public string School { get; }
    public int StudentCount { get; }

    public override string ToString() => $"{Title} ({StudentCount})";
}
