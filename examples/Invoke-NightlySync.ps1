<#
.SYNOPSIS
    The nightly Roster Server data sync for a scheduled task: connect, run Invoke-ClassLinkSync, keep a dated
    report and a transcript-free log line, and exit non-zero when the run is not Completed.
.DESCRIPTION
    Exit codes: 0 Completed; 1 CompletedWithErrors; 2 Held (shrink guard or mass-change brake: nothing written);
    3 Failed (nothing half-written; see the message); 4 could not start (configuration, connection, another run).
    Schedule it as described in docs/scheduling.md. It never prints roster records, secrets or tokens.
.EXAMPLE
    pwsh -NoProfile -NonInteractive -File ./Invoke-NightlySync.ps1 -ConfigPath /etc/sensoclasslink/sensoclasslink.yml -ReportFolder /var/lib/sensoclasslink/reports
#>
[CmdletBinding()]
param(
    # The configuration file (YAML); defaults to $env:SENSOCLASSLINK_CONFIG, then the per-user default.
    [string] $ConfigPath,

    # Where the dated reports go (sync-yyyy-MM-dd-HHmmss.csv); created when missing.
    [Parameter(Mandatory)]
    [string] $ReportFolder,

    # Reports older than this many days are deleted (0 keeps them all).
    [ValidateRange(0, 3650)]
    [int] $KeepDays = 90,

    # The module to load: a name or a .psd1 path.
    [string] $Module = 'SensoClassLink'
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

try {
    Import-Module $Module
    if ($ConfigPath) { Connect-SensoClassLink -ConfigPath $ConfigPath } else { Connect-SensoClassLink }
    New-Item -ItemType Directory -Path $ReportFolder -Force | Out-Null
    $report = Join-Path $ReportFolder ("sync-{0:yyyy-MM-dd-HHmmss}.csv" -f (Get-Date))

    # Held and Failed runs are answered with a warning or a non-terminating error plus the run object.
    $run = Invoke-ClassLinkSync -ReportPath $report -ErrorAction Continue
}
catch {
    Write-Error "The ClassLink data sync could not start: $($_.Exception.Message)" -ErrorAction Continue
    exit 4
}

Write-Output ("{0:u} ClassLink data sync {1}: {2} eligible teachers, {3} users created, {4} group syncs completed, {5} failed, {6} pending. Report: {7}" -f
    (Get-Date), $run.Status, $run.EligibleTeachers, $run.UsersCreated, $run.GroupSyncsCompleted, $run.GroupSyncsFailed, $run.GroupSyncsPending, $run.ReportPath)
if ($run.Message) { Write-Output $run.Message }

if ($KeepDays -gt 0) {
    Get-ChildItem -LiteralPath $ReportFolder -Filter 'sync-*.csv' |
        Where-Object LastWriteTime -lt (Get-Date).AddDays(-$KeepDays) |
        Remove-Item -ErrorAction Continue
}

switch ("$($run.Status)") {
    'Completed' { exit 0 }
    'CompletedWithErrors' { exit 1 }
    'Held' { exit 2 }
    default { exit 3 }
}
