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
$repoRoot = Split-Path $PSScriptRoot -Parent
$ModulePath = (Resolve-Path $ModulePath).Path
New-Item -ItemType Directory -Path $WorkDirectory -Force | Out-Null
$WorkDirectory = (Resolve-Path $WorkDirectory).Path

function ConvertFrom-Scale([string] $Text) {
    $t = $Text.Trim().ToUpperInvariant()
    $factor = if ($t.EndsWith('M')) { 1e6 } elseif ($t.EndsWith('K')) { 1e3 } else { 1 }
    [long]([double]($t.TrimEnd('M', 'K')) * $factor)
}

# Get-PwshCommandLine: the pwsh running this script, as the build starts it.
. (Join-Path $repoRoot 'build/BuildTools.ps1')

function Invoke-Measured([string] $Executable, [string[]] $Arguments) {
    # Runs a child process, returns its last stdout line parsed as JSON plus the process's own wall time.
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $output = & $Executable @Arguments 2>&1
    $clock.Stop()
    if ($LASTEXITCODE -ne 0) { throw "'$Executable $($Arguments -join ' ')' failed ($LASTEXITCODE): $($output | Out-String)" }
    $json = @($output | ForEach-Object { "$_" } | Where-Object { $_.StartsWith('{') })[-1]
    $result = $json | ConvertFrom-Json
    $result | Add-Member -NotePropertyName processSeconds -NotePropertyValue ([math]::Round($clock.Elapsed.TotalSeconds, 3))
    return $result
}

Write-Host 'Building the generator and the parse floor (Release)'
foreach ($project in 'tools/RosterGenerator', 'tools/RosterParseFloor') {
    $built = & dotnet build -c Release (Join-Path $repoRoot $project) -v q -nologo 2>&1
    if ($LASTEXITCODE -ne 0) { throw "Building $project failed: $($built | Out-String)" }
}
$generator = Join-Path $repoRoot 'tools/RosterGenerator/bin/Release/net10.0/RosterGenerator.dll'
$floorTool = Join-Path $repoRoot 'tools/RosterParseFloor/bin/Release/net10.0/RosterParseFloor.dll'
$pwsh = @(Get-PwshCommandLine)
$pwshExe = $pwsh[0]
$pwshPrefix = @($pwsh | Select-Object -Skip 1)
$importCsvMax = ConvertFrom-Scale $ImportCsvMaxScale

$loadAtStart = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg -Raw).Trim() } else { $null }
$runs = foreach ($scale in $Scales) {
    $enrollments = ConvertFrom-Scale $scale
    $data = Join-Path $WorkDirectory "roster-$scale-seed$Seed"
    if (-not (Test-Path (Join-Path $data '.complete'))) {
        Write-Host "Generating $scale enrollments into $data"
        & dotnet $generator --out $data --enrollments $enrollments --seed $Seed | Write-Host
        if ($LASTEXITCODE -ne 0) { throw "The generator failed for $scale" }
        Set-Content -LiteralPath (Join-Path $data '.complete') -Value (Get-Date -Format o)
    }
    $bytes = (Get-ChildItem $data -Filter '*.csv' | Measure-Object Length -Sum).Sum
    $config = Join-Path $WorkDirectory "roster-$scale.yml"
    Set-Content -LiteralPath $config -Value "classlink:`n  source: csv`n  csv:`n    path: '$data'`n"

    Write-Host "[$scale] parse floor"
    $floor = @(1..2 | ForEach-Object { Invoke-Measured 'dotnet' @($floorTool, $data) }) | Sort-Object seconds | Select-Object -First 1

    Write-Host "[$scale] Get-ClassLinkTeacher in a fresh pwsh"
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
Connect-SensoClassLink -ConfigPath '$config'
`$clock = [System.Diagnostics.Stopwatch]::StartNew()
`$teachers = Get-ClassLinkTeacher -IncludeIneligible -AsOf '$($AsOf.ToString('yyyy-MM-dd'))' -WarningAction SilentlyContinue -ProgressAction SilentlyContinue
`$clock.Stop()
`$process = [System.Diagnostics.Process]::GetCurrentProcess()
[ordered]@{ seconds = [math]::Round(`$clock.Elapsed.TotalSeconds, 3); peakWorkingSetMB = [math]::Round(`$process.PeakWorkingSet64 / 1MB, 1);
  teachers = @(`$teachers).Count; eligible = @(`$teachers | Where-Object Eligible).Count } | ConvertTo-Json -Compress
"@
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($script))
    $cmdlet = @(1..2 | ForEach-Object { Invoke-Measured $pwshExe ($pwshPrefix + @('-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded)) }) |
        Sort-Object seconds | Select-Object -First 1

    $importCsv = $null
    if ($enrollments -le $importCsvMax) {
        Write-Host "[$scale] Import-Csv script in a fresh pwsh (slow)"
        $importCsv = Invoke-Measured $pwshExe ($pwshPrefix + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'RosterImportCsvBaseline.ps1'),
                '-Path', $data, '-AsOf', $AsOf.ToString('yyyy-MM-dd')))
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

function Get-LoadAverage { if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg -Raw).Trim() } else { $null } }
$machine = [ordered]@{
    os = [System.Runtime.InteropServices.RuntimeInformation]::OSDescription
    processors = [Environment]::ProcessorCount
    dotnet = [System.Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
    pwsh = $PSVersionTable.PSVersion.ToString()
    # The machine is shared: the load average says how much other work ran beside the benchmark.
    loadAverageAtStart = $loadAtStart
    loadAverageAtEnd = Get-LoadAverage
}
$report = [ordered]@{ date = (Get-Date).ToUniversalTime().ToString('o'); seed = $Seed; asOf = $AsOf.ToString('yyyy-MM-dd'); machine = $machine; runs = @($runs) }
New-Item -ItemType Directory -Path (Split-Path $ResultsPath) -Force | Out-Null
$report | ConvertTo-Json -Depth 6 | Set-Content -LiteralPath $ResultsPath

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
