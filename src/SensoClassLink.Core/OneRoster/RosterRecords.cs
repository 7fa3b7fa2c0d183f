using System;
using System.Collections.Generic;

namespace SensoClassLink.Core.OneRoster;

/// <summary>
/// Where a record came from, so rules applied later (eligibility) can name the file and line of a bad
/// record without ever quoting its values. CSV sources fill both; REST sources give the collection and 0.
/// </summary>
public abstract class RosterRecord
{
    /// <summary>The file (CSV) or collection (REST) the record was read from.</summary>
    public string Location { get; init; } = "";

    /// <summary>The 1-based line the record starts on in a CSV file, or 0 when not applicable.</summary>
    public long Line { get; init; }
}

/// <summary>An organisation (district or school) as the roster names it.</summary>
public sealed class RosterOrg : RosterRecord
{
    public string SourcedId { get; init; } = "";
    public string Status { get; init; } = "";
    /// <summary>The OneRoster status rule: blank or "active"; tobedeleted and the legacy inactive are not.</summary>
    public bool IsActive => RosterStatus.IsActive(Status);
    public string Name { get; init; } = "";
    public string Type { get; init; } = "";
    public string? ParentSourcedId { get; init; }
}

/// <summary>
/// A user record. <see cref="Roles"/> holds every role the record carries: one for OneRoster 1.1
/// (<c>role</c>), possibly several for 1.2 (<c>roles[]</c>), lower-cased.
/// </summary>
public sealed class RosterUser : RosterRecord
{
    public string SourcedId { get; init; } = "";
    public string Status { get; init; } = "";
    /// <summary>The OneRoster status rule: blank or "active"; tobedeleted and the legacy inactive are not.</summary>
    public bool IsActive => RosterStatus.IsActive(Status);
    /// <summary>The raw enabledUser value ("true", "false" or blank); blank means enabled.</summary>
    public string EnabledUser { get; init; } = "";
    /// <summary>enabledUser: blank means true; only "false" disables.</summary>
    public bool IsEnabled => RosterStatus.IsEnabled(EnabledUser);
    public IReadOnlyList<string> Roles { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> OrgSourcedIds { get; init; } = Array.Empty<string>();
    public string Username { get; init; } = "";
    public string GivenName { get; init; } = "";
    public string FamilyName { get; init; } = "";
    public string Email { get; init; } = "";
    public string Identifier { get; init; } = "";
}

/// <summary>A class section: the unit a Senso class group is made from.</summary>
public sealed class RosterClass : RosterRecord
{
    public string SourcedId { get; init; } = "";
    public string Status { get; init; } = "";
    /// <summary>The OneRoster status rule: blank or "active"; tobedeleted and the legacy inactive are not.</summary>
    public bool IsActive => RosterStatus.IsActive(Status);
    public string Title { get; init; } = "";
    public string ClassCode { get; init; } = "";
    public string SchoolSourcedId { get; init; } = "";
    public string CourseSourcedId { get; init; } = "";
    /// <summary>The academicSessions (terms) the class runs in: <c>termSourcedIds</c> (CSV) or <c>terms</c> (REST).</summary>
    public IReadOnlyList<string> TermSourcedIds { get; init; } = Array.Empty<string>();
    /// <summary>The class's periods (<c>periods</c>: a quoted list in CSV, an array in REST), trimmed, blanks dropped.</summary>
    public IReadOnlyList<string> Periods { get; init; } = Array.Empty<string>();
}

/// <summary>An academic session (term, semester, school year) with its dates, as classes reference it.</summary>
public sealed class RosterAcademicSession : RosterRecord
{
    public string SourcedId { get; init; } = "";
    public string Status { get; init; } = "";
    /// <summary>The OneRoster status rule: blank or "active"; tobedeleted and the legacy inactive are not.</summary>
    public bool IsActive => RosterStatus.IsActive(Status);
    public string Title { get; init; } = "";
    /// <summary>Raw dates as the source gave them; parsed by the term rule.</summary>
    public string StartDate { get; init; } = "";
    public string EndDate { get; init; } = "";
}

/// <summary>One user's enrollment in one class, with its role there and its dates.</summary>
public sealed class RosterEnrollment : RosterRecord
{
    public string SourcedId { get; init; } = "";
    public string Status { get; init; } = "";
    /// <summary>The OneRoster status rule: blank or "active"; tobedeleted and the legacy inactive are not.</summary>
    public bool IsActive => RosterStatus.IsActive(Status);
    public string ClassSourcedId { get; init; } = "";
    public string SchoolSourcedId { get; init; } = "";
    public string UserSourcedId { get; init; } = "";
    public string Role { get; init; } = "";
    /// <summary>Raw YYYY-MM-DD (or blank) as the source gave it; parsed by the eligibility rules.</summary>
    public string BeginDate { get; init; } = "";
    public string EndDate { get; init; } = "";
}
