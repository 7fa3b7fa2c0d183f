using System;

namespace SensoClassLink.Core.OneRoster;

/// <summary>
/// For an export without manifest.csv, what its headers say it is: OneRoster 1.1 (users.csv has <c>role</c>), OneRoster
/// 1.2 (roles have their own file with <c>roleType</c>), or not OneRoster at all (for example Microsoft School Data Sync
/// v2.1 CSV: users.csv without <c>role</c>, roles.csv with <c>isPrimary</c>), which is one clear error naming the file
/// and column rather than a missing-column error that sends the user looking for a typo.
/// </summary>
internal static class CsvExportShape
{
    private const string Advice = "Export the roster from ClassLink as OneRoster CSV (1.1 or 1.2), which includes manifest.csv.";

    /// <summary>The version to read the export as, or a <see cref="RosterReadException"/> when it is not OneRoster.</summary>
    /// <param name="users">The users.csv header, or null when the export has no users.csv (the read reports it missing).</param>
    /// <param name="roles">The roles.csv header, or null when there is none.</param>
    /// <param name="name">How to name a file of the export in messages.</param>
    public static string VersionWithoutManifest(CsvHeaderNames? users, CsvHeaderNames? roles, Func<string, string> name, out string reason)
    {
        reason = "it is read as OneRoster 1.1";
        if (users is null || users.Find("role") >= 0)
        {
            return "1.1";
        }
        if (roles is not null && roles.Find("isPrimary") >= 0)
        {
            throw new RosterReadException(
                $"This is not a OneRoster export: '{name("roles.csv")}' has the column 'isPrimary' and '{name("users.csv")}' has no column 'role', " +
                $"and there is no manifest.csv (it looks like a Microsoft School Data Sync CSV export). {Advice}");
        }
        if (roles is not null && roles.Find("userSourcedId") >= 0 && roles.Find("role") >= 0 && roles.Find("roleType") >= 0)
        {
            reason = "its roles.csv (with roleType) makes it OneRoster 1.2";
            return "1.2";
        }
        throw new RosterReadException(
            $"This is not a OneRoster export: '{name("users.csv")}' has no column 'role' (line 1), " +
            (roles is null ? "there is no roles.csv, " : $"'{name("roles.csv")}' has no column 'roleType', ") +
            $"and there is no manifest.csv. {Advice}");
    }
}
