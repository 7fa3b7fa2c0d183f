# Runs the Pester suites in this (fresh) process and writes the passed/failed/skipped counts for build.ps1.
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $TestFolder,
    [Parameter(Mandatory)] [string] $SummaryPath,
    # A file-name filter without the .Tests.ps1 suffix (wildcards allowed); empty runs every file.
    [string] $Filter = $env:SENSOCLASSLINK_PESTER_FILTER
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force

# Test files import the module under test from this path.
$env:SENSOCLASSLINK_MODULE = $ModulePath

$configuration = New-PesterConfiguration
$files = @(Get-ChildItem $TestFolder -Filter "$(if ($Filter) { $Filter } else { '*' }).Tests.ps1" | Select-Object -ExpandProperty FullName)
if ($files.Count -eq 0) {
    # An empty path would make Pester search the current folder instead.
    [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 } | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
    exit 1
}
$configuration.Run.Path = $files
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.Output.CIFormat = 'None'
$result = Invoke-Pester -Configuration $configuration

$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
# Skipped tests (-Skip, e.g. the browser tests without a browser) are counted as skipped, never as passed.
# The names of what failed travel with the counts, so the last lines of a long run say what to look at.
$failedNames = @($result.Failed | ForEach-Object { $_.ExpandedPath }) +
    @($result.FailedBlocks | ForEach-Object { "$($_.ExpandedPath) (block)" }) +
    @($result.FailedContainers | ForEach-Object { "$($_.Item) (file)" })
[ordered]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount; FailedNames = $failedNames } |
    ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
if ($failed -gt 0) { exit 1 }
