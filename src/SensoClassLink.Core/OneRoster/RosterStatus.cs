using System;
using System.Runtime.CompilerServices;

namespace SensoClassLink.Core.OneRoster;

/// <summary>The OneRoster status rule shared by every record type (the records' IsActive and IsEnabled apply it).</summary>
public static class RosterStatus
{
    /// <summary>Blank (bulk files leave it empty) or "active" in any case; tobedeleted (any case) and the legacy inactive are not.</summary>
    [MethodImpl(HotPath.Optimize)]
    public static bool IsActive(string? status)
    {
        if (status is null)
        {
            return true;
        }
        string s = status.Trim();
        return s.Length == 0 || string.Equals(s, "active", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>enabledUser: blank (or unreadable) means enabled; a false boolean (false, 0, no, in any case) disables.</summary>
    public static bool IsEnabled(string? enabledUser) =>
        !(OneRosterValues.TryParseBoolean(enabledUser, out bool enabled) && !enabled);
}
