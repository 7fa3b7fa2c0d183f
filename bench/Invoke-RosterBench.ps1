<#
.SYNOPSIS
    Benchmarks Get-ClassLinkTeacher on generated districts against the parse floor and an Import-Csv script.
.DESCRIPTION
    For each scale (enrollment count) it generates a deterministic OneRoster 1.1 district with
    tools/RosterGenerator (cached under -WorkDirectory), then measures, each in a fresh process:
      - floor:     tools/RosterParseFloor, Sylvan.Data.Csv reading every field of the same files, no rules;
      - cmdlet:    Get-ClassLinkTeacher -IncludeIneligible in a fresh pwsh (wall time of the command, peak working
                   set of the process, and the whole process's wall time including pwsh start-up and module load);
      - importcsv: bench/RosterImportCsvBaseline.ps1, the Import-Csv/Group-Object script, at scales up to
                   -ImportCsvMaxScale (it is too slow beyond).
    Prints the figures and ratios and writes them to bench/results/roster.json.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $WorkDirectory,
    [string[]] $Scales = @('1M', '10M'),
    [int] $Seed = 42,
    [datetime] $AsOf = '2025-10-01',
    [string] $ImportCsvMaxScale = '1M',
    [string] $ResultsPath = (Join-Path $PSScriptRoot 'results/roster.json')
)
$ErrorActionPreference = 'Stop'
# With pwsh -File a list arrives as one string ("1M,10M").
$Scales = @($Scales | ForEach-Object { $_ -split ',' } | ForEach-Object Trim | Where-Object { $_ })
Import-Module (Join-Path $PSScriptRoot 'BenchSupport.psm1') -Force
$repoRoot = Get-BenchRepoRoot
$ModulePath = (Resolve-Path $ModulePath).Path
$WorkDirectory = Resolve-BenchFolder $WorkDirectory

function Invoke-Measured {
    # Runs a child process (a fresh pwsh given -Pwsh, Invoke-BenchPwsh's parameters), returns its last JSON line
    # plus the process's own wall time.
    param([string] $Executable, [string[]] $Arguments, [hashtable] $Pwsh)
    $seconds = 0.0
    $json = if ($Pwsh) { Invoke-BenchPwsh @Pwsh -Marker '{' -Seconds ([ref]$seconds) }
        else { Invoke-BenchProcess $Executable $Arguments -Marker '{' -Seconds ([ref]$seconds) }
    $result = $json | ConvertFrom-Json
    $result | Add-Member -NotePropertyName processSeconds -NotePropertyValue ([math]::Round($seconds, 3))
    return $result
}

Write-Host 'Building the parse floor (Release)'
Build-BenchTool 'tools/RosterParseFloor'
$floorTool = Join-Path $repoRoot 'tools/RosterParseFloor/bin/Release/net10.0/RosterParseFloor.dll'
$benchSupport = Join-Path $PSScriptRoot 'BenchSupport.psm1'
$importCsvMax = ConvertFrom-Scale $ImportCsvMaxScale

$loadAtStart = Get-LoadAverage
$runs = foreach ($scale in $Scales) {
    $enrollments = ConvertFrom-Scale $scale
    $data = Get-BenchDistrict (Join-Path $WorkDirectory "roster-$scale-seed$Seed") $enrollments $Seed
    $bytes = (Get-ChildItem $data -Filter '*.csv' | Measure-Object Length -Sum).Sum
    $config = Join-Path $WorkDirectory "roster-$scale.yml"
    Set-Content -LiteralPath $config -Value "classlink:`n  source: csv`n  csv:`n    path: '$data'`n"

    Write-Host "[$scale] parse floor"
    $floor = @(1..2 | ForEach-Object { Invoke-Measured 'dotnet' @($floorTool, $data) }) | Sort-Object seconds | Select-Object -First 1

    Write-Host "[$scale] Get-ClassLinkTeacher in a fresh pwsh"
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$benchSupport'
Import-Module '$ModulePath'
Connect-SensoClassLink -ConfigPath '$config'
`$measured = Measure-BenchCommand { Get-ClassLinkTeacher -IncludeIneligible -AsOf '$($AsOf.ToString('yyyy-MM-dd'))' -WarningAction SilentlyContinue -ProgressAction SilentlyContinue }
`$teachers = `$measured.Output
[ordered]@{ seconds = [math]::Round(`$measured.Seconds, 3); peakWorkingSetMB = [math]::Round(`$measured.PeakWorkingSetMB, 1);
  teachers = @(`$teachers).Count; eligible = @(`$teachers | Where-Object Eligible).Count } | ConvertTo-Json -Compress
"@
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($script))
    $cmdlet = @(1..2 | ForEach-Object { Invoke-Measured -Pwsh @{ EncodedCommand = $encoded } }) |
        Sort-Object seconds | Select-Object -First 1

    $importCsv = $null
    if ($enrollments -le $importCsvMax) {
        Write-Host "[$scale] Import-Csv script in a fresh pwsh (slow)"
        $importCsv = Invoke-Measured -Pwsh @{ File = (Join-Path $PSScriptRoot 'RosterImportCsvBaseline.ps1');
            ArgumentList = @('-Path', $data, '-AsOf', $AsOf.ToString('yyyy-MM-dd')) }
        if ($importCsv.eligible -ne $cmdlet.eligible -or $importCsv.teachers -ne $cmdlet.teachers) {
            Write-Warning "[$scale] The Import-Csv script and the cmdlet disagree: $($importCsv.eligible)/$($importCsv.teachers) vs $($cmdlet.eligible)/$($cmdlet.teachers) eligible/teachers."
        }
    }

    [ordered]@{
        scale = $scale
        enrollments = $enrollments
        csvMB = [math]::Round($bytes / 1MB, 1)
        floor = $floor
        cmdlet = $cmdlet
        importCsv = $importCsv
        cmdletOverFloor = [math]::Round($cmdlet.seconds / $floor.seconds, 2)
        importCsvOverCmdlet = if ($importCsv) { [math]::Round($importCsv.seconds / $cmdlet.seconds, 1) } else { $null }
    }
}

$machine = Get-BenchMachine
# The machine is shared: the load average says how much other work ran beside the benchmark.
$machine.loadAverageAtStart = $loadAtStart
$machine.loadAverageAtEnd = Get-LoadAverage
$report = [ordered]@{ date = (Get-Date).ToUniversalTime().ToString('o'); seed = $Seed; asOf = $AsOf.ToString('yyyy-MM-dd'); machine = $machine; runs = @($runs) }
Save-BenchResult $ResultsPath $report -Depth 6

Write-Host ''
$runs | ForEach-Object {
    [pscustomobject]@{
        Scale = $_.scale
        'CSV MB' = $_.csvMB
        'Floor s' = $_.floor.seconds
        'Cmdlet s' = $_.cmdlet.seconds
        'Cmdlet peak MB' = $_.cmdlet.peakWorkingSetMB
        'pwsh total s' = $_.cmdlet.processSeconds
        'Cmdlet/floor' = $_.cmdletOverFloor
        'Import-Csv s' = if ($_.importCsv) { $_.importCsv.seconds } else { 'skipped' }
        'Import-Csv/cmdlet' = if ($_.importCsvOverCmdlet) { $_.importCsvOverCmdlet } else { '' }
        Eligible = "$($_.cmdlet.eligible)/$($_.cmdlet.teachers)"
    }
} | Format-Table -AutoSize | Out-String -Width 240 | Write-Host
Write-Host "Results written to $ResultsPath"
