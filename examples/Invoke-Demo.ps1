<#
.SYNOPSIS
    The SensoClassLink tour on one machine: the example district (OneRoster CSV) and a local Senso tenant.
.DESCRIPTION
    Starts from an empty local tenant every time, then walks through the integration's four functions:
    who is eligible and why not, a bulk import with its overview, a single-user group resync, and the
    scheduled data sync with automatic creation and its statistics.
#>
param(
    # The built module's manifest (build.ps1 -Task Demo passes it).
    [Parameter(Mandatory)] [string] $ModulePath
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

$config = Join-Path $PSScriptRoot 'demo.yml'
$out = Join-Path $PSScriptRoot 'out'
if (Test-Path $out) { Remove-Item $out -Recurse -Force }
New-Item -ItemType Directory -Path $out | Out-Null

function Write-Title([string] $Text) { Write-Host "`n=== $Text ===" -ForegroundColor Cyan }

Write-Title 'Connect to the demo deployment (examples/demo.yml)'
Connect-SensoClassLink -ConfigPath $config -PassThru | Format-List | Out-Host

Write-Title 'Teachers in the roster, with why some cannot be imported'
Get-ClassLinkTeacher -IncludeIneligible | Sort-Object Eligible, Email | Format-Table | Out-Host

Write-Title 'Bulk import: every eligible teacher from Lincoln High, role Teacher, site Main'
Get-ClassLinkTeacher -School 'Lincoln High' | Import-SensoUser -Role Teacher -Site Main -InformationAction Continue | Format-Table | Out-Host

Write-Title 'Single import of an ineligible teacher shows the error'
$ineligible = Get-ClassLinkTeacher -IncludeIneligible | Where-Object { -not $_.Eligible -and $_.Email } | Select-Object -First 1
Import-SensoUser -Email $ineligible.Email -Role Teacher -Site Main -ErrorAction Continue | Format-List Email, Status, Reason, Message | Out-Host

Write-Title 'Class groups of the first imported teacher'
$first = Get-SensoUser | Select-Object -First 1
Get-SensoGroup -Owner $first.Email | Format-Table | Out-Host

Write-Title "User group resync for $($first.Email)"
Sync-SensoUserGroup -Email $first.Email | Format-Table | Out-Host

Write-Title 'Turn on Automatically Create Users, then run the scheduled data sync'
Set-ClassLinkIntegrationSetting -AutomaticallyCreateUsers $true -DefaultRole Teacher -DefaultSite Main -PassThru | Format-List | Out-Host
Invoke-ClassLinkSync -ReportPath (Join-Path $out 'sync-report.csv') | Format-List | Out-Host

Write-Title 'Integration statistics'
Get-ClassLinkIntegrationStatistic | Format-List | Out-Host

Write-Host "Demo files are in $out (tenant, state store and the sync report)." -ForegroundColor Green
