<#
.SYNOPSIS
    Runs Get-ClassLinkTeacher -IncludeIneligible once in this (fresh) process and prints one JSON line of figures.
.DESCRIPTION
    Used by Invoke-RestBench.ps1, one fresh pwsh per measurement: the command's wall time, the CPU time this
    process spent during the command (all threads: parsing, HTTP, GC), the process's peak working set (VmHWM,
    pwsh itself included), the teacher counts, and a SHA-256 of the output (each teacher as ConvertTo-Json
    -EnumsAsStrings, sorted) so runs over CSV and REST, before and after a change, can be compared for identity.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ConfigPath,
    [Parameter(Mandatory)] [string] $AsOf
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchSupport.psm1')
Import-Module $ModulePath
Connect-SensoClassLink -ConfigPath $ConfigPath
$measured = Measure-BenchCommand { Get-ClassLinkTeacher -IncludeIneligible -AsOf $AsOf -WarningAction SilentlyContinue -ProgressAction SilentlyContinue }
$teachers = @($measured.Output)
$lines = [System.Collections.Generic.List[string]]::new()
foreach ($teacher in $teachers) { $lines.Add(($teacher | ConvertTo-Json -Depth 6 -Compress -EnumsAsStrings)) }
$lines.Sort([System.StringComparer]::Ordinal)
$bytes = [System.Text.Encoding]::UTF8.GetBytes(($lines -join "`n"))
$digest = [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($bytes)).Substring(0, 16)
[ordered]@{
    seconds = [math]::Round($measured.Seconds, 2)
    cpuSeconds = [math]::Round($measured.CpuSeconds, 2)
    peakWorkingSetMB = [math]::Round($measured.PeakWorkingSetMB, 1)
    teachers = $teachers.Count
    eligible = @($teachers | Where-Object Eligible).Count
    outputSha256 = $digest
} | ConvertTo-Json -Compress
