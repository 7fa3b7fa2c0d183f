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
$repoRoot = Split-Path $PSScriptRoot -Parent
. (Join-Path $repoRoot 'build/BuildTools.ps1')   # Get-PwshCommandLine
$ModulePath = (Resolve-Path $ModulePath).Path
$work = Join-Path $WorkDirectory 'nightly'
New-Item -ItemType Directory -Path $work -Force | Out-Null
$WorkDirectory = (Resolve-Path $WorkDirectory).Path
$work = (Resolve-Path $work).Path

$district = Join-Path $WorkDirectory "district-$Enrollments-$Seed"
if (-not (Test-Path (Join-Path $district 'enrollments.csv'))) {
    & dotnet build (Join-Path $repoRoot 'tools/RosterGenerator') -c Release --nologo -v quiet | Out-Host
    & dotnet (Join-Path $repoRoot 'tools/RosterGenerator/bin/Release/net10.0/RosterGenerator.dll') --out $district --enrollments $Enrollments --seed $Seed | Out-Host
    if ($LASTEXITCODE -ne 0) { throw 'The generator failed.' }
}

function Measure-NightlySync([string] $Label, [string] $Module) {
    $tenant = Join-Path $work "tenant-$Label.db"
    Get-ChildItem $work -Filter "tenant-$Label.db*" -ErrorAction SilentlyContinue | Remove-Item -Force
    $config = Join-Path $work "$Label.yml"
    Set-Content $config @"
classlink:
  csv:
    path: $district
senso:
  local:
    path: $tenant
    roles: [Teacher]
    sites: [Main]
state:
  path: $tenant.state
"@
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
        $commandLine = @(Get-PwshCommandLine)
        $prefix = @($commandLine | Select-Object -Skip 1)
        $line = & $commandLine[0] @prefix -NoProfile -NonInteractive -Command $script | Where-Object { $_ -like 'RESULT *' } | Select-Object -Last 1
        if (-not $line) { throw "The $Label $name measure produced no result." }
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
$load = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg) -split ' ' | Select-Object -First 1 } else { $null }
$baselineBuild = if ($BaselineModulePath) { $BaselineLabel } elseif ($previous) { $previous.baselineBuild } else { $null }
New-Item -ItemType Directory -Path (Split-Path $ResultsPath) -Force | Out-Null
[ordered]@{ enrollments = $Enrollments; seed = $Seed; loadAverage = $load; figures = $after; baselineBuild = $baselineBuild; baseline = $baseline } |
    ConvertTo-Json -Depth 4 | Set-Content $ResultsPath
Write-Host "Results written to $ResultsPath"
