namespace SensoClassLink.Errors;

/// <summary>
/// Every error id the commands raise, each with its meaning (the model is Microsoft.Graph's ErrorConstants). Scripts
/// switch on these ids, so an id keeps its meaning and its category (<see cref="ErrorCatalog"/>) from every command;
/// a call site names a constant here, never a string. about_SensoClassLink lists them for users.
/// </summary>
public static class ErrorIds
{
    /// <summary>The configuration file or a setting given as configuration is invalid; each problem names its key, line and column.</summary>
    public const string InvalidConfiguration = "InvalidConfiguration";

    /// <summary>A module database file (the local Senso tenant or the state store) cannot be opened, migrated, read or written.</summary>
    public const string SensoTenantUnavailable = "SensoTenantUnavailable";

    /// <summary>Signing in to the Senso API failed (credentials, certificate, consent or a device-code sign-in refused).</summary>
    public const string SensoAuthenticationFailed = "SensoAuthenticationFailed";

    /// <summary>The Senso API cannot be used: unreachable, or it kept failing after the retries.</summary>
    public const string SensoApiError = "SensoApiError";

    /// <summary>The roster cannot be read: a missing file, a failed pull or bad data that stops the read.</summary>
    public const string RosterUnreadable = "RosterUnreadable";

    /// <summary>The roster could not be read to its end, so nothing was written and queued jobs stay queued.</summary>
    public const string RosterIncomplete = "RosterIncomplete";

    /// <summary>No Senso role has the name given; the message names the closest valid names.</summary>
    public const string RoleNotFound = "RoleNotFound";

    /// <summary>No Senso site has the name given; the message names the closest valid names.</summary>
    public const string SiteNotFound = "SiteNotFound";

    /// <summary>Import cannot decide a role or site for the teachers (no -Role/-Site, no default and no school mapping).</summary>
    public const string PlacementUndecided = "PlacementUndecided";

    /// <summary>Senso has no user with the email given.</summary>
    public const string SensoUserNotFound = "SensoUserNotFound";

    /// <summary>No teacher with the email given is in the ClassLink roster.</summary>
    public const string TeacherNotFound = "TeacherNotFound";

    /// <summary>The teacher is in the roster but not eligible for an account; the message gives the reason.</summary>
    public const string TeacherNotEligible = "TeacherNotEligible";

    /// <summary>Prefix of the per-teacher import failures, ImportFailed.&lt;reason&gt; (e.g. ImportFailed.NoStudents); see <see cref="ImportFailedFor"/>.</summary>
    public const string ImportFailed = "ImportFailed";

    /// <summary>Prefix of the per-user group-sync failures, GroupSyncFailed.&lt;reason&gt;; see <see cref="GroupSyncFailedFor"/>.</summary>
    public const string GroupSyncFailed = "GroupSyncFailed";

    /// <summary>Another run holds the state store's run lock; the message names its owner and when its lock expires.</summary>
    public const string RunInProgress = "RunInProgress";

    /// <summary>The data sync ended Failed or Held; the run record (the target) says why.</summary>
    public const string DataSyncFailed = "DataSyncFailed";

    /// <summary>The report path is not a .csv, .json or .html file in an existing folder.</summary>
    public const string InvalidReportPath = "InvalidReportPath";

    /// <summary>The run report could not be written (the run itself is recorded).</summary>
    public const string ReportNotWritten = "ReportNotWritten";

    /// <summary>Export-ClassLinkSyncReport -NoClobber and the report file already exists.</summary>
    public const string ReportExists = "ReportExists";

    /// <summary>The state store named by state.path does not exist (commands that only read never create it).</summary>
    public const string StateStoreNotFound = "StateStoreNotFound";

    /// <summary>The state store exists but cannot be opened or read.</summary>
    public const string StateStoreUnavailable = "StateStoreUnavailable";

    /// <summary>The state store holds no data sync run yet.</summary>
    public const string NoSyncRun = "NoSyncRun";

    /// <summary>New-SensoClassLinkConfiguration could not write its file (nothing is left behind).</summary>
    public const string ConfigurationNotWritten = "ConfigurationNotWritten";

    /// <summary>Parameters that cannot be used together, or one that needs another.</summary>
    public const string InvalidParameterCombination = "InvalidParameterCombination";

    /// <summary>New-SensoClassLinkConfiguration without -Force and the file exists (it is left as it is).</summary>
    public const string ConfigurationFileExists = "ConfigurationFileExists";

    /// <summary>Disconnect-SensoClassLink closed this runspace's connection and no Connect-SensoClassLink followed.</summary>
    public const string NotConnected = "NotConnected";

    /// <summary>The id of one teacher's import failure: ImportFailed.&lt;reason&gt;.</summary>
    public static string ImportFailedFor(string reason) => ImportFailed + "." + reason;

    /// <summary>The id of one user's group-sync failure: GroupSyncFailed.&lt;reason&gt;.</summary>
    public static string GroupSyncFailedFor(string reason) => GroupSyncFailed + "." + reason;
}
