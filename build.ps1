<#
.SYNOPSIS
    Builds, tests, benchmarks and packages the SensoClassLink module: the single entry point.
.DESCRIPTION
    Build    publishes the cmdlets and engine into output/SensoClassLink/<version>/ with help and formats.
    Test     builds, then runs the xunit engine tests and the Pester suites against the built module, and
             ends with one line "N passed, N failed, N skipped" (both runners summed); exits non-zero on any failure.
             Installs headless Chromium for the HTML report's browser tests when it is missing and the machine
             allows it (root with apt-get); without one those tests are skipped, never passed.
    Demo     builds, then runs examples/Invoke-Demo.ps1 on the example district and the local tenant.
    Bench    builds, then runs the benchmarks in bench/ and writes bench/results/. The nightly sync bench runs on
             the build of -BenchBaseline too (extracted with git archive and built once under output/bench/),
             so the one run shows before and after side by side.
    Package  builds, then writes a .nupkg that Install-PSResource / Install-Module can install from a local repository.
    Clean    removes output/ and every bin/ and obj/ folder.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Pester only: run the files whose name matches (e.g. 'Import-SensoUser').
    [string] $PesterFilter = '',

    # Bench only: the commit the nightly sync is compared with (the build before the single-read pipeline); '' for none.
    [string] $BenchBaseline = '45448b7'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
. (Join-Path $PSScriptRoot 'build/BuildTools.ps1')

$manifest = Import-PowerShellDataFile (Join-Path $PSScriptRoot 'module/SensoClassLink.psd1')
$moduleVersion = $manifest.ModuleVersion
$outputRoot = Join-Path $PSScriptRoot 'output'
$moduleRoot = Join-Path $outputRoot "SensoClassLink/$moduleVersion"
$builtManifest = Join-Path $moduleRoot 'SensoClassLink.psd1'

function Invoke-Build {
    Write-Step "Building SensoClassLink $moduleVersion ($Configuration)"
    if (Test-Path $moduleRoot) { Remove-Item $moduleRoot -Recurse -Force }
    $bin = New-Item -ItemType Directory -Path (Join-Path $moduleRoot 'bin') -Force

    Invoke-Native dotnet publish (Join-Path $PSScriptRoot 'src/SensoClassLink/SensoClassLink.csproj') -c $Configuration -o $bin.FullName --nologo -v quiet
    Invoke-Native dotnet publish (Join-Path $PSScriptRoot 'src/SensoClassLink.Loader/SensoClassLink.Loader.csproj') -c $Configuration -o $bin.FullName --nologo -v quiet

    Copy-NativeLibrary -AssetsFile (Join-Path $PSScriptRoot 'src/SensoClassLink/obj/project.assets.json') -Destination $bin.FullName `
        -RuntimeIdentifiers 'linux-x64', 'linux-arm64', 'linux-musl-x64', 'osx-x64', 'osx-arm64', 'win-x64', 'win-x86', 'win-arm64'

    Copy-CoreBuild -AssetsFile (Join-Path $PSScriptRoot 'src/SensoClassLink/obj/project.assets.json') -Destination (Join-Path $bin.FullName 'netcore') `
        -Packages 'Sylvan.Data.Csv'

    # The host provides PowerShell; a copy in the module would load a second, mismatched engine.
    $forbidden = Get-ChildItem $bin.FullName -Recurse -Filter 'System.Management.Automation.dll'
    if ($forbidden) { throw "The module folder must not contain System.Management.Automation.dll: $($forbidden.FullName -join ', ')" }
    Get-ChildItem $bin.FullName -Filter '*.deps.json' | Remove-Item

    Copy-Item (Join-Path $PSScriptRoot 'module/SensoClassLink.psd1'), (Join-Path $PSScriptRoot 'module/SensoClassLink.psm1') $moduleRoot
    Merge-FormatFile -SourceFolder (Join-Path $PSScriptRoot 'module/formats') -Destination (Join-Path $moduleRoot 'SensoClassLink.Format.ps1xml')
    $helpFolder = New-Item -ItemType Directory -Path (Join-Path $moduleRoot 'en-US') -Force
    Copy-Item (Join-Path $PSScriptRoot 'module/en-US/*') $helpFolder.FullName
    Invoke-ChildPwsh -File (Join-Path $PSScriptRoot 'build/New-ModuleHelp.ps1') -ArgumentList @(
        '-ModulePath', $builtManifest,
        '-MarkdownFolder', (Join-Path $PSScriptRoot 'module/help'),
        '-OutputPath', (Join-Path $helpFolder.FullName 'SensoClassLink.dll-Help.xml'))
    Write-Step "Module written to $moduleRoot"
}

function Invoke-Test {
    Invoke-Build
    $totals = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
    $failedNames = [System.Collections.Generic.List[string]]::new()

    Write-Step 'Engine tests (xunit)'
    foreach ($project in Get-ChildItem (Join-Path $PSScriptRoot 'tests') -Recurse -Filter '*.Tests.csproj') {
        $result = Invoke-XunitProject -Project $project.FullName -Configuration $Configuration
        $totals.Passed += $result.Passed
        $totals.Failed += $result.Failed
        $totals.Skipped += $result.Skipped
        foreach ($failedName in $result.FailedNames) { $failedNames.Add("xunit: $failedName") }
    }

    # The HTML report's browser tests need headless Chromium: installed here when missing and allowed, else skipped.
    $browser = Install-TestBrowser
    if ($browser) { $env:SENSOCLASSLINK_BROWSER = $browser }

    Write-Step 'Module tests (Pester, against the built module)'
    $result = Invoke-PesterSuite -ModulePath $builtManifest -TestFolder (Join-Path $PSScriptRoot 'tests/pester') -Filter $PesterFilter
    $totals.Passed += $result.Passed
    $totals.Failed += $result.Failed
    $totals.Skipped += $result.Skipped
    foreach ($failedName in $result.FailedNames) { $failedNames.Add("Pester: $failedName") }

    Write-Host ''
    # Named again at the end: CI keeps only the last lines of a run.
    foreach ($failedName in $failedNames) { Write-Host "FAILED $failedName" }
    Write-Host "$($totals.Passed) passed, $($totals.Failed) failed, $($totals.Skipped) skipped"
    if ($totals.Failed -gt 0 -or $totals.Passed -eq 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    Invoke-ChildPwsh -File (Join-Path $PSScriptRoot 'examples/Invoke-Demo.ps1') -ArgumentList @('-ModulePath', $builtManifest)
}

function Get-BaselineModule([string] $Commit, [string] $WorkDirectory) {
    # The module as built at $Commit, for before/after figures: extracted with git archive (the repository is not
    # touched), built once and kept. $null, with a warning, when the commit is not in this clone (a shallow clone).
    & git -C $PSScriptRoot cat-file -e "$Commit^{commit}" 2>$null
    if ($LASTEXITCODE -ne 0) {
        Write-Warning "The bench baseline commit '$Commit' is not in this clone (shallow?): the nightly sync bench runs without its 'before' side."
        return $null
    }
    $folder = Join-Path $WorkDirectory "baseline-$Commit"
    $built = Get-ChildItem (Join-Path $folder 'output/SensoClassLink') -Filter 'SensoClassLink.psd1' -Recurse -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $built) {
        Write-Step "Building the bench baseline $Commit"
        if (Test-Path $folder) { Remove-Item $folder -Recurse -Force }
        $null = New-Item -ItemType Directory -Path $folder -Force
        $archive = Join-Path $WorkDirectory "baseline-$Commit.tar"
        Invoke-Native git -C $PSScriptRoot archive --format=tar -o $archive $Commit
        Invoke-Native tar -xf $archive -C $folder
        Remove-Item $archive
        Invoke-ChildPwsh -File (Join-Path $folder 'build.ps1') -ArgumentList @('-Task', 'Build')
        $built = Get-ChildItem (Join-Path $folder 'output/SensoClassLink') -Filter 'SensoClassLink.psd1' -Recurse | Select-Object -First 1
    }
    return $built.FullName
}

function Invoke-Bench {
    Invoke-Build
    $benchFolder = Join-Path $PSScriptRoot 'bench'
    $workDirectory = Join-Path $outputRoot 'bench'
    $null = New-Item -ItemType Directory -Path $workDirectory -Force
    $baseline = if ($BenchBaseline) { Get-BaselineModule $BenchBaseline $workDirectory }
    foreach ($script in Get-ChildItem $benchFolder -Filter 'Invoke-*Bench.ps1' | Sort-Object Name) {
        Write-Step "Benchmark: $($script.BaseName)"
        $arguments = @('-ModulePath', $builtManifest, '-WorkDirectory', $workDirectory)
        if ($baseline -and $script.Name -eq 'Invoke-NightlySyncBench.ps1') {
            $arguments += @('-BaselineModulePath', $baseline, '-BaselineLabel', "before ($BenchBaseline)")
        }
        Invoke-ChildPwsh -File $script.FullName -ArgumentList $arguments
    }
}

function Invoke-Package {
    Invoke-Build
    $packageFolder = New-Item -ItemType Directory -Path (Join-Path $outputRoot 'package') -Force
    New-ModulePackage -ModuleFolder $moduleRoot -Manifest $manifest -Destination $packageFolder.FullName
}

function Invoke-Clean {
    if (Test-Path $outputRoot) { Remove-Item $outputRoot -Recurse -Force }
    Get-ChildItem $PSScriptRoot -Directory -Recurse -Include 'bin', 'obj' |
        Where-Object { $_.FullName -notlike '*node_modules*' } |
        Remove-Item -Recurse -Force -ErrorAction SilentlyContinue
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Bench' { Invoke-Bench }
    'Package' { Invoke-Package }
    'Clean' { Invoke-Clean }
}
