using System;
using System.Collections.Generic;
using System.Management.Automation;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.Senso.Api;
using SensoClassLink.Core.Sqlite;
using SensoClassLink.Core.State;
using SensoClassLink.Core.Sync;

namespace SensoClassLink.Errors;

/// <summary>
/// The two tables behind every error record: each id's one category, and which id an engine exception raises.
/// Together they give the same failure the same id and category from every command.
/// </summary>
internal static class ErrorCatalog
{
    /// <summary>Each id of <see cref="ErrorIds"/> with its category (a prefix id covers every &lt;prefix&gt;.&lt;reason&gt;).</summary>
    public static readonly IReadOnlyDictionary<string, ErrorCategory> Categories = new Dictionary<string, ErrorCategory>(StringComparer.Ordinal)
    {
        [ErrorIds.InvalidConfiguration] = ErrorCategory.InvalidData,
        [ErrorIds.SensoTenantUnavailable] = ErrorCategory.OpenError,
        [ErrorIds.SensoAuthenticationFailed] = ErrorCategory.AuthenticationError,
        [ErrorIds.SensoApiError] = ErrorCategory.ConnectionError,
        [ErrorIds.RosterUnreadable] = ErrorCategory.ReadError,
        [ErrorIds.RosterIncomplete] = ErrorCategory.InvalidData,
        [ErrorIds.RoleNotFound] = ErrorCategory.ObjectNotFound,
        [ErrorIds.SiteNotFound] = ErrorCategory.ObjectNotFound,
        [ErrorIds.PlacementUndecided] = ErrorCategory.InvalidArgument,
        [ErrorIds.SensoUserNotFound] = ErrorCategory.ObjectNotFound,
        [ErrorIds.TeacherNotFound] = ErrorCategory.ObjectNotFound,
        [ErrorIds.TeacherNotEligible] = ErrorCategory.ObjectNotFound,
        [ErrorIds.ImportFailed] = ErrorCategory.InvalidData,
        [ErrorIds.GroupSyncFailed] = ErrorCategory.InvalidOperation,
        [ErrorIds.RunInProgress] = ErrorCategory.ResourceBusy,
        [ErrorIds.DataSyncFailed] = ErrorCategory.InvalidResult,
        [ErrorIds.InvalidReportPath] = ErrorCategory.InvalidArgument,
        [ErrorIds.ReportNotWritten] = ErrorCategory.WriteError,
        [ErrorIds.ReportExists] = ErrorCategory.ResourceExists,
        [ErrorIds.StateStoreNotFound] = ErrorCategory.ObjectNotFound,
        [ErrorIds.StateStoreUnavailable] = ErrorCategory.OpenError,
        [ErrorIds.NoSyncRun] = ErrorCategory.ObjectNotFound,
        [ErrorIds.ConfigurationNotWritten] = ErrorCategory.WriteError,
        [ErrorIds.InvalidParameterCombination] = ErrorCategory.InvalidArgument,
        [ErrorIds.ConfigurationFileExists] = ErrorCategory.ResourceExists,
        [ErrorIds.NotConnected] = ErrorCategory.InvalidOperation,
    };

    /// <summary>The id an engine exception raises wherever it surfaces; null for an exception the table does not know.</summary>
    public static string? IdFor(Exception exception) => exception switch
    {
        ConfigurationException => ErrorIds.InvalidConfiguration,
        DatabaseFileException => ErrorIds.SensoTenantUnavailable,
        SensoAuthenticationException => ErrorIds.SensoAuthenticationFailed,
        SensoApiException => ErrorIds.SensoApiError,
        RosterIncompleteException => ErrorIds.RosterIncomplete,
        RosterReadException => ErrorIds.RosterUnreadable,
        NameNotFoundException { Kind: "site" } => ErrorIds.SiteNotFound,
        NameNotFoundException => ErrorIds.RoleNotFound,
        PlacementException => ErrorIds.PlacementUndecided,
        InvalidParameterCombinationException => ErrorIds.InvalidParameterCombination,
        RunInProgressException => ErrorIds.RunInProgress,
        _ => null,
    };

    /// <summary>The category of <paramref name="errorId"/> (of its prefix for &lt;prefix&gt;.&lt;reason&gt; ids).</summary>
    public static ErrorCategory CategoryOf(string errorId)
    {
        int dot = errorId.IndexOf('.');
        string key = dot < 0 ? errorId : errorId.Substring(0, dot);
        return Categories.TryGetValue(key, out var category) ? category : ErrorCategory.NotSpecified;
    }

    /// <summary>The error record for <paramref name="exception"/> under <paramref name="errorId"/>, with the id's category.</summary>
    public static ErrorRecord Record(Exception exception, string errorId, object? target, string? recommendedAction = null)
    {
        var record = new ErrorRecord(exception, errorId, CategoryOf(errorId), target);
        // A configuration error may carry its own advice (a missing file points to New-SensoClassLinkConfiguration).
        recommendedAction ??= (exception as ConfigurationException)?.RecommendedAction;
        if (recommendedAction is not null)
        {
            record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = recommendedAction };
        }
        return record;
    }

    /// <summary>The error record for an engine exception, by the exception table (SensoApiError for one it does not know).</summary>
    public static ErrorRecord Record(Exception exception, object? target = null) =>
        Record(exception, IdFor(exception) ?? ErrorIds.SensoApiError, target);
}
