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
$repoRoot = Split-Path $PSScriptRoot -Parent
. (Join-Path $repoRoot 'build/BuildTools.ps1')   # Get-PwshCommandLine
$ModulePath = (Resolve-Path $ModulePath).Path
$work = Join-Path $WorkDirectory 'import'
New-Item -ItemType Directory -Path $work -Force | Out-Null
$WorkDirectory = (Resolve-Path $WorkDirectory).Path
$work = (Resolve-Path $work).Path

$district = Join-Path $WorkDirectory "district-$Enrollments-$Seed"
if (-not (Test-Path (Join-Path $district 'enrollments.csv'))) {
    & dotnet build (Join-Path $repoRoot 'tools/RosterGenerator') -c Release --nologo -v quiet | Out-Host
    & dotnet (Join-Path $repoRoot 'tools/RosterGenerator/bin/Release/net10.0/RosterGenerator.dll') --out $district --enrollments $Enrollments --seed $Seed | Out-Host
    if ($LASTEXITCODE -ne 0) { throw 'The generator failed.' }
}

function Invoke-Measure([string] $Name, [string] $Tenant, [string] $Command) {
    $config = Join-Path $work "$Name.yml"
    Set-Content $config @"
classlink:
  csv:
    path: $district
senso:
  local:
    path: $Tenant
    roles: [Teacher]
    sites: [Main]
state:
  path: $Tenant.state
"@
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
    $commandLine = @(Get-PwshCommandLine)
    $prefix = @($commandLine | Select-Object -Skip 1)
    $line = & $commandLine[0] @prefix -NoProfile -NonInteractive -Command $script | Where-Object { $_ -like 'RESULT *' } | Select-Object -Last 1
    if (-not $line) { throw "The $Name measure produced no result." }
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
$load = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg) -split ' ' | Select-Object -First 1 } else { $null }
New-Item -ItemType Directory -Path (Split-Path $ResultsPath) -Force | Out-Null
[ordered]@{ enrollments = $Enrollments; seed = $Seed; loadAverage = $load; figures = $figures } | ConvertTo-Json -Depth 4 | Set-Content $ResultsPath
Write-Host "Results written to $ResultsPath"
