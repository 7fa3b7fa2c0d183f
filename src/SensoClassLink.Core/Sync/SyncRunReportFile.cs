using SensoClassLink.Core.Reporting;
using SensoClassLink.Core.State;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// The report of one data sync run, in the form its file name asks for: a page for a person (.html or .htm,
/// <see cref="HtmlSyncReport"/>, with the recent nightly runs for its history) or the decisions as CSV or JSON
/// (<see cref="DataSyncReport"/>). Written whole or not at all.
/// </summary>
public static class SyncRunReportFile
{
    public static void Write(string path, DataSyncResult result, RunHistory history)
    {
        if (HtmlSyncReport.IsHtmlPath(path))
        {
            var runs = history.GetRecent(HtmlSyncReport.DefaultHistoryCount, SyncOptions.NightlyRunKind);
            HtmlSyncReport.Write(path, new HtmlSyncReportContent(result.Run) { History = runs, Decisions = result.Decisions });
        }
        else
        {
            DataSyncReport.Write(path, result.Decisions);
        }
    }
}
