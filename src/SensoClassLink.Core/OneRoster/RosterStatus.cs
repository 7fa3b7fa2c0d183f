using System;
using System.Runtime.CompilerServices;

namespace SensoClassLink.Core.OneRoster;

/// <summary>The OneRoster status rule shared by every record type (the records' IsActive and IsEnabled apply it).</summary>
public static class RosterStatus
{
    /// <summary>Blank (bulk files leave it empty) or "active"; tobedeleted and the legacy inactive are not.</summary>
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

    /// <summary>enabledUser: blank means true; only "false" disables.</summary>
    public static bool IsEnabled(string? enabledUser) =>
        enabledUser is null || !string.Equals(enabledUser.Trim(), "false", StringComparison.OrdinalIgnoreCase);
}
