using System;

namespace SensoClassLink.Core.OneRoster;

/// <summary>
/// The role rule every source and the engine share: a user's or an enrollment's role is teacher or student when it
/// says so in any case (records and rows carry it trimmed; records lower-cased as well).
/// </summary>
public static class RosterRoles
{
    public static bool IsTeacher(string role) => string.Equals(role, "teacher", StringComparison.OrdinalIgnoreCase);

    public static bool IsStudent(string role) => string.Equals(role, "student", StringComparison.OrdinalIgnoreCase);
}
