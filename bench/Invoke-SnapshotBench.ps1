<#
.SYNOPSIS
    Roster snapshot benchmark: what keeping a one-run copy of a roster costs and what replaying it costs.
.DESCRIPTION
    Generates (or reuses, cached like Invoke-RosterBench) a district with tools/RosterGenerator, then in this
    process through the built module's engine: reads enrollments from the CSV source (baseline), reads them through
    a RosterSnapshot the first time (CSV + writing the private file), and replays them twice. Reports seconds, the
    snapshot file size, and managed heap growth during the replays (it must not grow with enrollments).
    Writes bench/results/snapshot.json.
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../output/SensoClassLink/0.1.0/SensoClassLink.psd1'),
    [string] $WorkDirectory = (Join-Path $PSScriptRoot '../output/bench'),
    [int] $Enrollments = 1000000,
    [int] $Seed = 42
)
$ErrorActionPreference = 'Stop'
$repoRoot = Join-Path $PSScriptRoot '..'
$scale = if ($Enrollments % 1000000 -eq 0) { "$($Enrollments / 1000000)M" } else { "$Enrollments" }
$data = Join-Path $WorkDirectory "roster-$scale-seed$Seed"
if (-not (Test-Path (Join-Path $data '.complete'))) {
    $built = & dotnet build -c Release (Join-Path $repoRoot 'tools/RosterGenerator') -v q -nologo 2>&1
    if ($LASTEXITCODE -ne 0) { throw "Building tools/RosterGenerator failed: $($built | Out-String)" }
    Write-Host "Generating $scale enrollments into $data"
    & dotnet (Join-Path $repoRoot 'tools/RosterGenerator/bin/Release/net10.0/RosterGenerator.dll') --out $data --enrollments $Enrollments --seed $Seed | Write-Host
    if ($LASTEXITCODE -ne 0) { throw "The generator failed for $scale" }
    Set-Content -LiteralPath (Join-Path $data '.complete') -Value (Get-Date -Format o)
}

Import-Module $ModulePath
# The engine lives in the module's private load context; its types are reached through the loaded assembly.
$core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'SensoClassLink.Core' } | Select-Object -Last 1
$csvType = $core.GetType('SensoClassLink.Core.OneRoster.CsvRosterSource', $true)
$snapshotType = $core.GetType('SensoClassLink.Core.OneRoster.RosterSnapshot', $true)
$none = $core.GetType('SensoClassLink.Core.OneRoster.RosterReadObserver', $true).GetField('None').GetValue($null)
$ct = [System.Threading.CancellationToken]::None

function Measure-Read([System.Collections.IEnumerable] $Records) {
    # Source reads are lazy: the pass happens inside Count, in compiled code rather than a PowerShell loop.
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $count = [System.Linq.Enumerable]::Count[object]($Records)
    [pscustomobject]@{ Seconds = [math]::Round($clock.Elapsed.TotalSeconds, 3); Records = $count }
}

$csv = $csvType::new($data, $none)
$baseline = Measure-Read ($csv.ReadEnrollments($ct))
$csv.Dispose()

$snapshotFolder = Join-Path $WorkDirectory 'snapshot'
$snapshot = $snapshotType::new($csvType::new($data, $none), $none, $snapshotFolder)
try {
    $first = Measure-Read ($snapshot.ReadEnrollments($ct))
    $file = Get-ChildItem -LiteralPath $snapshot.GetType().GetProperty('Folder', [Reflection.BindingFlags]'Instance,NonPublic').GetValue($snapshot) -File
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    $heapBefore = [GC]::GetTotalMemory($true)
    $replays = @(1..2 | ForEach-Object { Measure-Read ($snapshot.ReadEnrollments($ct)) })
    $heapAfter = [GC]::GetTotalMemory($true)
}
finally {
    $snapshot.Dispose()
}

$result = [ordered]@{
    enrollments = $baseline.Records
    csvReadSeconds = $baseline.Seconds
    firstReadWithSnapshotSeconds = $first.Seconds
    replaySeconds = ($replays | Sort-Object Seconds | Select-Object -First 1).Seconds
    snapshotBytes = ($file | Measure-Object Length -Sum).Sum
    csvBytes = (Get-Item (Join-Path $data 'enrollments.csv')).Length
    retainedHeapGrowthDuringReplaysBytes = $heapAfter - $heapBefore
    processorCount = [Environment]::ProcessorCount
    loadAverage = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg -Raw).Trim() } else { $null }
}
foreach ($replay in $replays) {
    if ($replay.Records -ne $baseline.Records) { throw "A replay gave $($replay.Records) enrollments, the CSV $($baseline.Records)." }
}
$results = Join-Path $PSScriptRoot 'results'
New-Item -ItemType Directory -Path $results -Force | Out-Null
$result | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $results 'snapshot.json')
Write-Host ("Snapshot: {0:N0} enrollments; CSV read {1} s, first read with snapshot {2} s, replay {3} s; file {4:N1} MB (CSV {5:N1} MB); heap growth over replays {6:N0} bytes" -f
    $result.enrollments, $result.csvReadSeconds, $result.firstReadWithSnapshotSeconds, $result.replaySeconds,
    ($result.snapshotBytes / 1MB), ($result.csvBytes / 1MB), $result.retainedHeapGrowthDuringReplaysBytes)
