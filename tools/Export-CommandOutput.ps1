<#
.SYNOPSIS
    Runs every roster and sync command on the example district and a generated one, and writes what each printed
    (objects, warnings, errors, information) as JSON sorted by key, so two builds can be compared with a diff.
.DESCRIPTION
    Used to prove that a refactoring kept every command's output: run it on the build before and after and diff
    the two files. Values that differ by nature from run to run (GUIDs, timestamps, durations, temp paths) are
    replaced by placeholders. Each district gets a fresh local tenant and state file; nothing outside
    -WorkDirectory is written.
.EXAMPLE
    ./tools/Export-CommandOutput.ps1 -ModulePath output/SensoClassLink/0.1.0/SensoClassLink.psd1 -WorkDirectory /tmp/out -OutFile before.json
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $WorkDirectory,
    [Parameter(Mandatory)] [string] $OutFile,
    [long] $GeneratedEnrollments = 20000,
    [int] $Seed = 7
)
$ErrorActionPreference = 'Stop'
$repoRoot = Split-Path $PSScriptRoot -Parent
$ModulePath = (Resolve-Path $ModulePath).Path
New-Item -ItemType Directory -Path $WorkDirectory -Force | Out-Null
$WorkDirectory = (Resolve-Path $WorkDirectory).Path

$generated = Join-Path $WorkDirectory "district-$GeneratedEnrollments-$Seed"
if (-not (Test-Path (Join-Path $generated 'enrollments.csv'))) {
    & dotnet build (Join-Path $repoRoot 'tools/RosterGenerator') -c Release --nologo -v quiet | Out-Host
    & dotnet (Join-Path $repoRoot 'tools/RosterGenerator/bin/Release/net10.0/RosterGenerator.dll') --out $generated --enrollments $GeneratedEnrollments --seed $Seed | Out-Host
    if ($LASTEXITCODE -ne 0) { throw 'The generator failed.' }
}
# The example district with an unclosed quote half-way through enrollments.csv: the roster is incomplete.
$truncated = Join-Path $WorkDirectory 'district-truncated'
if (-not (Test-Path $truncated)) {
    Copy-Item (Join-Path $repoRoot 'examples/district') $truncated -Recurse
    $lines = @(Get-Content (Join-Path $truncated 'enrollments.csv'))
    $half = [int]($lines.Count / 2)
    Set-Content (Join-Path $truncated 'enrollments.csv') (@($lines[0..$half]) + 'e-broken,,,"c-1,sch-1,s-1,student,,,' + @($lines[($half + 1)..($lines.Count - 1)]))
}
$districts = [ordered]@{ example = (Join-Path $repoRoot 'examples/district'); generated = $generated; truncated = $truncated }

Import-Module $ModulePath

function ConvertTo-Sorted($Value) {
    # Hashtables from ConvertFrom-Json -AsHashtable: keys sorted, so property order never shows in the diff.
    if ($Value -is [datetime] -or $Value -is [datetimeoffset]) { return '<time>' }
    if ($Value -is [System.Collections.IDictionary] -and $Value.Contains('Ticks') -and $Value.Contains('TotalSeconds')) { return '<duration>' }
    if ($Value -is [System.Collections.IDictionary]) {
        $sorted = [ordered]@{}
        foreach ($key in ($Value.Keys | Sort-Object)) { $sorted[$key] = ConvertTo-Sorted $Value[$key] }
        return $sorted
    }
    if ($Value -is [System.Collections.IList]) { return , @($Value | ForEach-Object { ConvertTo-Sorted $_ }) }
    if ($Value -is [string]) {
        $text = $Value -replace '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}', '<guid>'
        $text = $text -replace '\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?( UTC)?', '<time>'
        $text = $text -replace '\d{2}:\d{2}:\d{2}\.\d+', '<duration>'
        $text = $text -replace [regex]::Escape($WorkDirectory), '<work>'
        return $text
    }
    return $Value
}

function Invoke-Step([string] $Name, [scriptblock] $Command) {
    $ErrorActionPreference = 'Continue'
    $all = [System.Collections.Generic.List[object]]::new()
    try {
        foreach ($item in (& $Command 3>&1 2>&1 6>&1)) { $all.Add($item) }
    }
    catch {
        $all.Add($_)
    }
    $record = [ordered]@{
        objects     = @($all | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] -and $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.InformationRecord] } |
                ForEach-Object { $_ | Select-Object * -ExcludeProperty PS* })
        warnings    = @($all | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object { "$_" })
        errors      = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { [ordered]@{ id = $_.FullyQualifiedErrorId; category = "$($_.CategoryInfo.Category)"; message = "$($_.Exception.Message)"; target = "$($_.TargetObject)" } })
        information = @($all | Where-Object { $_ -is [System.Management.Automation.InformationRecord] } | ForEach-Object { "$($_.MessageData)" })
    }
    $json = $record | ConvertTo-Json -Depth 8 -EnumsAsStrings -Compress | ConvertFrom-Json -AsHashtable
    return [ordered]@{ step = $Name; output = (ConvertTo-Sorted $json) }
}

$steps = [System.Collections.Generic.List[object]]::new()
foreach ($name in $districts.Keys) {
    $folder = Join-Path $WorkDirectory $name
    if (Test-Path $folder) { Remove-Item $folder -Recurse -Force }
    New-Item -ItemType Directory -Path $folder | Out-Null
    $config = Join-Path $folder 'config.yml'
    Set-Content $config @"
classlink:
  csv:
    path: $($districts[$name])
senso:
  local:
    path: $folder/tenant.db
    roles: [Teacher, Administrator]
    sites: [Main, North Campus]
state:
  path: $folder/state.db
"@
    $asOf = [datetime]'2025-10-01'
    Connect-SensoClassLink -ConfigPath $config | Out-Null
    $eligible = @(Get-ClassLinkTeacher -AsOf $asOf -WarningAction SilentlyContinue)
    $some = @($eligible | Select-Object -First ([math]::Max(1, [int]($eligible.Count / 3))))
    $steps.Add((Invoke-Step "$name/Get-ClassLinkTeacher" { Get-ClassLinkTeacher -AsOf $asOf -IncludeIneligible }))
    $steps.Add((Invoke-Step "$name/Import-SensoUser -WhatIf" { Get-ClassLinkTeacher -AsOf $asOf -WarningAction SilentlyContinue | Import-SensoUser -AsOf $asOf -Role Teacher -Site Main -WhatIf }))
    $steps.Add((Invoke-Step "$name/Import-SensoUser -NoGroupSync (some)" { $some | Import-SensoUser -AsOf $asOf -Role Teacher -Site Main -NoGroupSync }))
    $steps.Add((Invoke-Step "$name/Import-SensoUser -Email (unknown, ineligible)" { Import-SensoUser -Email 'nobody@nowhere.example', $some[0].Email -AsOf $asOf -Role Teacher -Site Main }))
    $steps.Add((Invoke-Step "$name/Sync-SensoUserGroup -All -WhatIf" { Sync-SensoUserGroup -All -AsOf $asOf -WhatIf }))
    $steps.Add((Invoke-Step "$name/Sync-SensoUserGroup -Email" { Sync-SensoUserGroup -Email @($some | Select-Object -First 3 | ForEach-Object Email) -AsOf $asOf }))
    $steps.Add((Invoke-Step "$name/Sync-SensoUserGroup -All -QueueOnly" { Sync-SensoUserGroup -All -QueueOnly -AsOf $asOf }))
    $steps.Add((Invoke-Step "$name/Get-SensoGroupSyncJob (queued)" { Get-SensoGroupSyncJob }))
    $steps.Add((Invoke-Step "$name/Import-SensoUser -QueueOnly (rest)" { $eligible | Import-SensoUser -AsOf $asOf -Role Teacher -Site Main -QueueOnly }))
    $steps.Add((Invoke-Step "$name/Get-ClassLinkTeacher | Import-SensoUser" { Get-ClassLinkTeacher -AsOf $asOf -WarningAction SilentlyContinue | Import-SensoUser -AsOf $asOf -Role Teacher -Site Main }))
    $steps.Add((Invoke-Step "$name/Sync-SensoUserGroup -All" { Sync-SensoUserGroup -All -AsOf $asOf }))
    Set-ClassLinkIntegrationSetting -AutomaticallyCreateUsers $true -DefaultRole Teacher -DefaultSite Main -Confirm:$false | Out-Null
    $steps.Add((Invoke-Step "$name/Invoke-ClassLinkSync -WhatIf" { Invoke-ClassLinkSync -AsOf $asOf -WhatIf }))
    $steps.Add((Invoke-Step "$name/Invoke-ClassLinkSync" { Invoke-ClassLinkSync -AsOf $asOf -ReportPath "$folder/report.csv" }))
    $steps.Add((Invoke-Step "$name/Invoke-ClassLinkSync (report)" { Import-Csv "$folder/report.csv" }))
    $steps.Add((Invoke-Step "$name/Get-SensoUser" { Get-SensoUser }))
    $steps.Add((Invoke-Step "$name/Get-SensoGroup" { Get-SensoGroup }))
    $steps.Add((Invoke-Step "$name/Get-SensoGroupSyncJob" { Get-SensoGroupSyncJob }))
    $steps.Add((Invoke-Step "$name/Get-ClassLinkSyncRun" { Get-ClassLinkSyncRun }))
    $steps.Add((Invoke-Step "$name/Get-ClassLinkIntegrationStatistic" { Get-ClassLinkIntegrationStatistic }))

    # A second tenant: the nightly sync alone, first with creates and group syncs, then with nothing to do.
    Set-Content $config ((Get-Content $config -Raw) -replace 'tenant\.db', 'tenant2.db' -replace 'state\.db', 'state2.db')
    Connect-SensoClassLink -ConfigPath $config | Out-Null
    Set-ClassLinkIntegrationSetting -AutomaticallyCreateUsers $true -DefaultRole Teacher -DefaultSite Main -Confirm:$false | Out-Null
    $steps.Add((Invoke-Step "$name/nightly first run" { Invoke-ClassLinkSync -AsOf $asOf -ReportPath "$folder/report2.json" }))
    $steps.Add((Invoke-Step "$name/nightly first run (report)" { Get-Content "$folder/report2.json" -Raw | ConvertFrom-Json }))
    $steps.Add((Invoke-Step "$name/nightly second run" { Invoke-ClassLinkSync -AsOf $asOf }))
    $steps.Add((Invoke-Step "$name/nightly groups" { Get-SensoGroup }))
}
$steps | ConvertTo-Json -Depth 12 | Set-Content $OutFile
Write-Host "Wrote $($steps.Count) steps to $OutFile"
