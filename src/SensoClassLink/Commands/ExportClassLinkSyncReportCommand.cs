using System;
using System.IO;
using System.Management.Automation;
using SensoClassLink.Core.Reporting;
using SensoClassLink.Core.Sqlite;
using SensoClassLink.Core.Sync;

using SensoClassLink.Errors;

namespace SensoClassLink.Commands;

/// <summary>
/// Writes the newest data sync run and the runs before it as one self-contained HTML report, read from the state
/// store (never creating it). Like Export-Csv, an existing file is replaced unless -NoClobber is given.
/// </summary>
[Cmdlet(VerbsData.Export, "ClassLinkSyncReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileInfo))]
public sealed class ExportClassLinkSyncReportCommand : SensoClassLinkCmdlet
{
    /// <summary>The .html (or .htm) file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>How many of the newest runs the history chart and table show.</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int Last { get; set; } = HtmlSyncReport.DefaultHistoryCount;

    /// <summary>Refuse to replace an existing file.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Write the report's FileInfo to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        string path = GetUnresolvedProviderPathFromPSPath(Path);
        if (!HtmlSyncReport.IsHtmlPath(path))
        {
            ThrowCallError(new ArgumentException($"The report path '{Path}' must end in .html or .htm."), ErrorIds.InvalidReportPath, Path);
        }
        string? folder = System.IO.Path.GetDirectoryName(path);
        if (folder is not null && !Directory.Exists(folder))
        {
            ThrowCallError(new DirectoryNotFoundException($"The folder of the report path '{Path}' does not exist."), ErrorIds.InvalidReportPath, Path);
        }
        if (Directory.Exists(path))
        {
            ThrowCallError(new IOException($"The report path '{Path}' is a folder; name the .html file to write."), ErrorIds.InvalidReportPath, Path);
        }
        if (NoClobber && File.Exists(path))
        {
            ThrowCallError(new IOException($"The file '{path}' already exists and -NoClobber was given; it was left as it is."), ErrorIds.ReportExists, path);
        }

        var connection = Connection;
        string statePath = connection.Configuration.State.Path ?? "";
        var state = connection.ExistingState;
        if (state is null)
        {
            ThrowCallError(new FileNotFoundException(
                $"No data sync has run yet: the state store '{statePath}' (state.path) does not exist, and Export-ClassLinkSyncReport does not create it. " +
                "Run Invoke-ClassLinkSync first, or check state.path in the configuration.", statePath), ErrorIds.StateStoreNotFound, statePath);
            return;
        }

        var runs = Read(() => state.RunHistory.GetRecent(Last, SyncOptions.NightlyRunKind), statePath);
        if (runs.Count == 0)
        {
            ThrowCallError(new InvalidOperationException($"The state store '{statePath}' holds no data sync run yet. Run Invoke-ClassLinkSync first."),
                ErrorIds.NoSyncRun, statePath);
            return;
        }
        var newest = runs[0];
        if (!ShouldProcess(path, $"Write the HTML report of the data sync run of {newest.StartedAt.ToLocalTime():yyyy-MM-dd HH:mm} ({newest.Status}) with {runs.Count:N0} runs of history"))
        {
            return;
        }
        try
        {
            HtmlSyncReport.Write(path, new HtmlSyncReportContent(newest) { History = runs });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowCallError(ex, ErrorIds.ReportNotWritten, path);
        }
        WriteVerbose($"HTML report of {runs.Count:N0} runs written to '{path}'.");
        if (PassThru)
        {
            WriteObject(new FileInfo(path));
        }
    }

    private T Read<T>(Func<T> read, string statePath)
    {
        try
        {
            return read();
        }
        catch (DatabaseFileException ex)
        {
            ThrowCallError(ex, ErrorIds.StateStoreUnavailable, statePath);
            throw; // not reached: ThrowCallError always throws
        }
    }
}
