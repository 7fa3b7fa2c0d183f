<#
.SYNOPSIS
    Benchmarks the nightly data sync (Invoke-ClassLinkSync) on a generated district: a first run that creates
    every eligible teacher and syncs their groups, then a run with nothing to do.
.DESCRIPTION
    Generates (and caches) a district with tools/RosterGenerator, then, each in a fresh pwsh on a fresh local
    tenant with Automatically Create Users on:
      - first:  Invoke-ClassLinkSync -Force (creates, group syncs, fingerprints, run record);
      - rerun:  Invoke-ClassLinkSync again (the roster read and compared, nothing written but the run record).
    With -BaselineModulePath the same measures run on that build too and are printed side by side; without it
    the baseline stored in the results file (measured once on the build before the single-read pipeline) is shown.
    Writes bench/results/nightly-sync.json.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $WorkDirectory,
    [long] $Enrollments = 1000000,
    [int] $Seed = 42,
    [string] $Label = 'after',
    [string] $BaselineModulePath,
    [string] $BaselineLabel = 'before',
    [string] $ResultsPath = (Join-Path $PSScriptRoot 'results/nightly-sync.json')
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchSupport.psm1') -Force
$ModulePath = (Resolve-Path $ModulePath).Path
$work = Resolve-BenchFolder (Join-Path $WorkDirectory 'nightly')
$WorkDirectory = (Resolve-Path $WorkDirectory).Path
$district = Get-BenchDistrict (Join-Path $WorkDirectory "district-$Enrollments-$Seed") $Enrollments $Seed

function Measure-NightlySync([string] $Label, [string] $Module) {
    $tenant = Join-Path $work "tenant-$Label.db"
    Get-ChildItem $work -Filter "tenant-$Label.db*" -ErrorAction SilentlyContinue | Remove-Item -Force
    $config = Join-Path $work "$Label.yml"
    New-BenchLocalConfig $config $district $tenant
    $figures = @()
    foreach ($name in 'first', 'rerun') {
        $script = @"
Import-Module '$Module'
Connect-SensoClassLink -ConfigPath '$config' | Out-Null
Set-ClassLinkIntegrationSetting -AutomaticallyCreateUsers `$true -DefaultRole Teacher -DefaultSite Main -Confirm:`$false | Out-Null
`$watch = [System.Diagnostics.Stopwatch]::StartNew()
`$run = Invoke-ClassLinkSync -AsOf 2025-10-01 -Force -WarningAction SilentlyContinue
`$watch.Stop()
"RESULT `$(`$watch.Elapsed.TotalSeconds) `$(`$run.Status) `$(`$run.UsersCreated) `$(`$run.GroupSyncsCompleted) `$(`$run.RosterEnrollments)"
"@
        $line = Invoke-BenchPwsh -Command $script -Marker 'RESULT ' -What "The $Label $name measure"
        $parts = $line -split ' '
        $figure = [ordered]@{
            build = $Label; name = $name; seconds = [math]::Round([double]$parts[1], 2); status = $parts[2]
            usersCreated = [int]$parts[3]; groupSyncsCompleted = [int]$parts[4]; enrollments = [long]$parts[5]
        }
        Write-Host ("{0,-8} {1,-6} {2,8:N2} s  {3}, {4:N0} created, {5:N0} group syncs, {6:N0} enrollments" -f $Label, $name, $figure.seconds, $figure.status, $figure.usersCreated, $figure.groupSyncsCompleted, $figure.enrollments)
        $figures += $figure
    }
    return $figures
}

$previous = if (Test-Path $ResultsPath) { Get-Content $ResultsPath -Raw | ConvertFrom-Json -AsHashtable } else { $null }
$after = @(Measure-NightlySync $Label $ModulePath)
$baseline = if ($BaselineModulePath) {
    @(Measure-NightlySync $BaselineLabel (Resolve-Path $BaselineModulePath).Path)
}
elseif ($previous -and $previous.baseline) {
    Write-Host "Baseline (stored, measured on $($previous.baselineBuild)):"
    foreach ($f in $previous.baseline) { Write-Host ("{0,-8} {1,-6} {2,8:N2} s" -f $f.build, $f.name, $f.seconds) }
    $previous.baseline
}
foreach ($name in 'first', 'rerun') {
    $a = $after | Where-Object name -EQ $name
    $b = $baseline | Where-Object name -EQ $name
    if ($a -and $b) { Write-Host ("{0,-6} before {1,7:N2} s, after {2,7:N2} s ({3:N2}x)" -f $name, $b.seconds, $a.seconds, ($b.seconds / $a.seconds)) }
}
$load = Get-LoadAverage -OneMinute
$baselineBuild = if ($BaselineModulePath) { $BaselineLabel } elseif ($previous) { $previous.baselineBuild } else { $null }
Save-BenchResult $ResultsPath ([ordered]@{ enrollments = $Enrollments; seed = $Seed; loadAverage = $load; figures = $after; baselineBuild = $baselineBuild; baseline = $baseline })
Write-Host "Results written to $ResultsPath"
