# The setup every benchmark in bench/ shares: folders, generated districts, fresh pwsh processes, the machine's
# figures and the results file. Each script keeps only what it measures.
$ErrorActionPreference = 'Stop'
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
# Get-PwshCommandLine: the pwsh running this script, as the build starts it.
. (Join-Path $script:RepoRoot 'build/BuildTools.ps1')

function Get-BenchRepoRoot { $script:RepoRoot }

function Resolve-BenchFolder([Parameter(Mandatory)] [string] $Path) {
    # Created when missing, returned as a full path (children get paths that do not depend on the location).
    New-Item -ItemType Directory -Path $Path -Force | Out-Null
    (Resolve-Path $Path).Path
}

function ConvertFrom-Scale([Parameter(Mandatory)] [string] $Text) {
    # "290K", "1M", "10M" or a plain count.
    $t = $Text.Trim().ToUpperInvariant()
    $factor = if ($t.EndsWith('M')) { 1e6 } elseif ($t.EndsWith('K')) { 1e3 } else { 1 }
    [long]([double]($t.TrimEnd('M', 'K')) * $factor)
}

function Build-BenchTool([Parameter(Mandatory)] [string] $Project) {
    # A tool under tools/ (or a test server), built in Release; its build output is shown only when it fails.
    $built = & dotnet build -c Release (Join-Path $script:RepoRoot $Project) -v q -nologo 2>&1
    if ($LASTEXITCODE -ne 0) { throw "Building $Project failed: $($built | Out-String)" }
}

function Get-BenchDistrict {
    # A district from tools/RosterGenerator, generated once into $Path and reused while its .complete marker is
    # there (a generation cut short leaves no marker, so it is made again).
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [long] $Enrollments,
        [Parameter(Mandatory)] [int] $Seed
    )
    if (-not (Test-Path (Join-Path $Path '.complete'))) {
        Build-BenchTool 'tools/RosterGenerator'
        Write-Host "Generating $Enrollments enrollments into $Path"
        & dotnet (Join-Path $script:RepoRoot 'tools/RosterGenerator/bin/Release/net10.0/RosterGenerator.dll') --out $Path --enrollments $Enrollments --seed $Seed | Write-Host
        if ($LASTEXITCODE -ne 0) { throw "The generator failed for $Enrollments enrollments." }
        Set-Content -LiteralPath (Join-Path $Path '.complete') -Value (Get-Date -Format o)
    }
    return $Path
}

function New-BenchLocalConfig {
    # A configuration: the CSV district, a local tenant (roles Teacher, sites Main) and its state next to it.
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [string] $District,
        [Parameter(Mandatory)] [string] $Tenant
    )
    Set-Content $Path @"
classlink:
  csv:
    path: $District
senso:
  local:
    path: $Tenant
    roles: [Teacher]
    sites: [Main]
state:
  path: $Tenant.state
"@
}

function Invoke-BenchProcess {
    # Runs a child process and returns the last line of its output (stdout and stderr) that starts with $Marker;
    # throws, with the output, when it fails or prints no such line. $Seconds (a [ref]) receives its wall time.
    param(
        [Parameter(Mandatory)] [string] $Executable,
        [string[]] $ArgumentList = @(),
        [Parameter(Mandatory)] [string] $Marker,
        [string] $What = "'$Executable $($ArgumentList -join ' ')'",
        [ref] $Seconds
    )
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $output = & $Executable @ArgumentList 2>&1
    $clock.Stop()
    if ($Seconds) { $Seconds.Value = $clock.Elapsed.TotalSeconds }
    if ($LASTEXITCODE -ne 0) { throw "$What failed ($LASTEXITCODE): $($output | Out-String)" }
    $line = @($output | ForEach-Object { "$_" } | Where-Object { $_.StartsWith($Marker) }) | Select-Object -Last 1
    if (-not $line) { throw "$What produced no result: $($output | Out-String)" }
    return $line
}

function Invoke-BenchPwsh {
    # Invoke-BenchProcess on a fresh 'pwsh -NoProfile -NonInteractive' (the pwsh running this script, as the build
    # starts it) with -Command, -EncodedCommand, or -File and its arguments.
    param(
        [Parameter(Mandatory, ParameterSetName = 'Command')] [string] $Command,
        [Parameter(Mandatory, ParameterSetName = 'Encoded')] [string] $EncodedCommand,
        [Parameter(Mandatory, ParameterSetName = 'File')] [string] $File,
        [Parameter(ParameterSetName = 'File')] [string[]] $ArgumentList = @(),
        [Parameter(Mandatory)] [string] $Marker,
        [string] $What = 'The measurement',
        [ref] $Seconds
    )
    $pwsh = @(Get-PwshCommandLine)
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive') + $(switch ($PSCmdlet.ParameterSetName) {
            'Command' { '-Command', $Command }
            'Encoded' { '-EncodedCommand', $EncodedCommand }
            'File' { @('-File', $File) + $ArgumentList }
        })
    $invoke = @{ Executable = $pwsh[0]; ArgumentList = $arguments; Marker = $Marker; What = $What }
    if ($Seconds) { $invoke.Seconds = $Seconds }
    Invoke-BenchProcess @invoke
}

function Measure-BenchCommand {
    # Runs $ScriptBlock in this process and returns its output with the wall time, the CPU time the process spent
    # meanwhile (all threads: parsing, HTTP, GC) and the process's peak working set (VmHWM, pwsh itself included).
    # Used inside the fresh pwsh of a measurement, so the figures are the command's own.
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    $process = [System.Diagnostics.Process]::GetCurrentProcess()
    $process.Refresh()
    $cpuBefore = $process.TotalProcessorTime
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $output = & $ScriptBlock
    $clock.Stop()
    $process.Refresh()
    [pscustomobject]@{
        Output = $output
        Seconds = $clock.Elapsed.TotalSeconds
        CpuSeconds = ($process.TotalProcessorTime - $cpuBefore).TotalSeconds
        PeakWorkingSetMB = $process.PeakWorkingSet64 / 1MB
    }
}

function Get-LoadAverage([switch] $OneMinute) {
    # The machine is shared: the load average says how much other work ran beside the benchmark.
    if (-not (Test-Path /proc/loadavg)) { return $null }
    $line = (Get-Content /proc/loadavg -Raw).Trim()
    if ($OneMinute) { return ($line -split ' ')[0] }
    return $line
}

function Get-BenchMachine {
    [ordered]@{
        os = [System.Runtime.InteropServices.RuntimeInformation]::OSDescription
        processors = [Environment]::ProcessorCount
        dotnet = [System.Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
        pwsh = $PSVersionTable.PSVersion.ToString()
    }
}

function Save-BenchResult {
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] $InputObject,
        [int] $Depth = 4
    )
    New-Item -ItemType Directory -Path (Split-Path $Path) -Force | Out-Null
    $InputObject | ConvertTo-Json -Depth $Depth | Set-Content -LiteralPath $Path
}

Export-ModuleMember -Function Get-BenchRepoRoot, Resolve-BenchFolder, ConvertFrom-Scale, Build-BenchTool, Get-BenchDistrict,
    New-BenchLocalConfig, Invoke-BenchProcess, Invoke-BenchPwsh, Measure-BenchCommand, Get-LoadAverage, Get-BenchMachine, Save-BenchResult
