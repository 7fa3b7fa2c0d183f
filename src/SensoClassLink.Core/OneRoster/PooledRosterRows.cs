using System.Collections.Generic;

namespace SensoClassLink.Core.OneRoster;

/// <summary>One enrollment for the engine's fast path (<see cref="IPooledRosterSource"/>); reused from row to row.</summary>
internal sealed class PooledEnrollmentRow
{
    /// <summary>The file (CSV) or collection (REST: blank, like its records) the row came from.</summary>
    public string Location = "";
    public long Line;
    public int ClassId;
    public int UserId;
    public string Status = "";
    public string Role = "";
    public string BeginDate = "";
    public string EndDate = "";

    /// <summary>The OneRoster status rule (<see cref="RosterStatus.IsActive"/>).</summary>
    public bool IsActive => RosterStatus.IsActive(Status);
}

/// <summary>What the eligibility rules read of a user beyond id, status and role; fetched only for the users that need it.</summary>
internal interface IUserDetails
{
    string Email { get; }
    string GivenName { get; }
    string FamilyName { get; }
    IReadOnlyList<string> OrgSourcedIds { get; }
}

/// <summary>The current row's fields by column ordinal, as a pooled source reads them (a column it lacks reads as blank).</summary>
internal abstract class PooledRowFields
{
    public abstract string Get(int ordinal);

    /// <summary>A list field: by default one comma- or semicolon-separated value, as a CSV export spells it.</summary>
    public virtual IReadOnlyList<string> GetList(int ordinal) => CsvRosterSource.SplitList(Get(ordinal));
}

/// <summary>One user for the engine's fast path (<see cref="IPooledRosterSource"/>); reused from row to row, details read on demand.</summary>
internal sealed class PooledUserRow : IUserDetails
{
    private readonly PooledRowFields _row;
    private readonly int _email, _given, _family, _orgs;

    internal PooledUserRow(PooledRowFields row, int email, int given, int family, int orgs, string location = "users.csv")
    {
        _row = row;
        _email = email;
        _given = given;
        _family = family;
        _orgs = orgs;
        Location = location;
    }

    public string Location { get; }
    public long Line;
    public string SourcedId = "";
    public string Status = "";
    public string EnabledUser = "";
    /// <summary>Whether any of the user's roles is teacher, or student (a OneRoster 1.2 user may carry both).</summary>
    public bool IsTeacher;
    public bool IsStudent;

    /// <summary>The OneRoster status rule (<see cref="RosterStatus.IsActive"/>).</summary>
    public bool IsActive => RosterStatus.IsActive(Status);

    /// <summary>enabledUser (<see cref="RosterStatus.IsEnabled"/>).</summary>
    public bool IsEnabled => RosterStatus.IsEnabled(EnabledUser);

    /// <summary>The user's one role (a 1.1 export's role column) as both flags.</summary>
    public void SetRole(string role)
    {
        IsTeacher = RosterRoles.IsTeacher(role);
        IsStudent = RosterRoles.IsStudent(role);
    }

    public string Email => _row.Get(_email);
    public string GivenName => _row.Get(_given);
    public string FamilyName => _row.Get(_family);
    public IReadOnlyList<string> OrgSourcedIds => _row.GetList(_orgs);
}
