<#
.SYNOPSIS
    Benchmarks bulk import into the local tenant: about 10,000 eligible teachers.
.DESCRIPTION
    Generates (and caches) a district with tools/RosterGenerator, then, each in a fresh pwsh and a fresh tenant:
      - create:    Get-ClassLinkTeacher | Import-SensoUser -NoGroupSync (accounts only);
      - rerun:     the same import again on that tenant (every teacher Exists, nothing written);
      - full:      Get-ClassLinkTeacher | Import-SensoUser on a new tenant (accounts, queued and processed group syncs).
    Prints the figures and writes bench/results/import.json.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $WorkDirectory,
    [long] $Enrollments = 1600000,
    [int] $Seed = 42,
    [string] $ResultsPath = (Join-Path $PSScriptRoot 'results/import.json')
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchSupport.psm1') -Force
$ModulePath = (Resolve-Path $ModulePath).Path
$work = Resolve-BenchFolder (Join-Path $WorkDirectory 'import')
$WorkDirectory = (Resolve-Path $WorkDirectory).Path
$district = Get-BenchDistrict (Join-Path $WorkDirectory "district-$Enrollments-$Seed") $Enrollments $Seed

function Invoke-Measure([string] $Name, [string] $Tenant, [string] $Command) {
    $config = Join-Path $work "$Name.yml"
    New-BenchLocalConfig $config $district $Tenant
    $script = @"
Import-Module '$ModulePath'
Connect-SensoClassLink -ConfigPath '$config'
`$teachers = @(Get-ClassLinkTeacher -AsOf 2025-10-01 -WarningAction SilentlyContinue)
`$watch = [System.Diagnostics.Stopwatch]::StartNew()
`$results = @(`$teachers | $Command -Role Teacher -Site Main -AsOf 2025-10-01 -WarningAction SilentlyContinue)
`$watch.Stop()
`$byStatus = (`$results | Group-Object Status | ForEach-Object { "`$(`$_.Name)=`$(`$_.Count)" }) -join ' '
"RESULT `$(`$results.Count) `$(`$watch.Elapsed.TotalSeconds) `$byStatus"
"@
    $line = Invoke-BenchPwsh -Command $script -Marker 'RESULT ' -What "The $Name measure"
    $parts = $line -split ' ', 4
    $figure = [ordered]@{ name = $Name; teachers = [int]$parts[1]; seconds = [math]::Round([double]$parts[2], 2); statuses = $parts[3] }
    $figure.perSecond = [math]::Round($figure.teachers / $figure.seconds)
    Write-Host ("{0,-7} {1,7:N0} teachers in {2,7:N2} s ({3,6:N0}/s)  {4}" -f $Name, $figure.teachers, $figure.seconds, $figure.perSecond, $figure.statuses)
    return $figure
}

$first = Join-Path $work 'tenant-create.db'
$full = Join-Path $work 'tenant-full.db'
Get-ChildItem $work -Filter 'tenant-*' -ErrorAction SilentlyContinue | Remove-Item -Force
$figures = @(
    Invoke-Measure 'create' $first 'Import-SensoUser -NoGroupSync'
    Invoke-Measure 'rerun' $first 'Import-SensoUser -NoGroupSync'
    Invoke-Measure 'full' $full 'Import-SensoUser'
)
$load = Get-LoadAverage -OneMinute
Save-BenchResult $ResultsPath ([ordered]@{ enrollments = $Enrollments; seed = $Seed; loadAverage = $load; figures = $figures })
Write-Host "Results written to $ResultsPath"
