# Helpers for build.ps1: each does one step of the build, test or packaging.

function Write-Step([string] $Message) {
    Write-Host "==> $Message" -ForegroundColor Cyan
}

function Invoke-Native {
    # Runs a native command and fails the build when it fails (PowerShell does not, by default).
    # A simple function on purpose: $args passes '-o' and friends through untouched.
    $Command, $Arguments = $args
    & $Command @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "'$Command $($Arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Get-PwshCommandLine {
    # The pwsh running this build: the dotnet global tool runs as 'dotnet pwsh.dll', a normal install as pwsh itself.
    $process = [System.Environment]::ProcessPath
    if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return @($process, (Join-Path $PSHOME 'pwsh.dll'))
    }
    return @($process)
}

function Invoke-ChildPwsh {
    # Runs a script in a fresh 'pwsh -NoProfile' process, so nothing this build loaded leaks into it.
    param([Parameter(Mandatory)] [string] $File, [string[]] $ArgumentList = @(), [switch] $NoThrow)
    $commandLine = Get-PwshCommandLine
    $executable = $commandLine[0]
    $prefix = @($commandLine | Select-Object -Skip 1)
    & $executable @prefix -NoProfile -NonInteractive -File $File @ArgumentList | Out-Host
    $code = $LASTEXITCODE
    if ($NoThrow) { return $code }
    if ($code -ne 0) { throw "'$File' failed with exit code $code." }
}

function Merge-FormatFile {
    # One format file per output type in module/formats keeps changes small; PowerShell wants one file.
    param([string] $SourceFolder, [string] $Destination)
    $merged = [xml]'<?xml version="1.0" encoding="utf-8"?><Configuration><ViewDefinitions/></Configuration>'
    $target = $merged.Configuration.SelectSingleNode('ViewDefinitions')
    foreach ($file in Get-ChildItem $SourceFolder -Filter '*.Format.ps1xml' | Sort-Object Name) {
        $document = [xml](Get-Content -Raw -LiteralPath $file.FullName)
        foreach ($view in $document.Configuration.ViewDefinitions.ChildNodes) {
            if ($view.NodeType -eq 'Element') { [void]$target.AppendChild($merged.ImportNode($view, $true)) }
        }
    }
    $merged.Save($Destination)
}

function Copy-NativeLibrary {
    <#
        Publishing a netstandard2.0 library leaves out the packages' native libraries (runtimes/<rid>/native),
        which the module needs at run time (e_sqlite3). Copy them for the platforms we support from the
        restored packages, as named in the project's assets file, into bin/runtimes/<rid>/native.
    #>
    param([string] $AssetsFile, [string] $Destination, [string[]] $RuntimeIdentifiers)
    $assets = Get-Content -Raw -LiteralPath $AssetsFile | ConvertFrom-Json -AsHashtable
    $packageFolder = @($assets.packageFolders.Keys)[0]
    foreach ($library in $assets.libraries.GetEnumerator()) {
        if ($library.Value.type -ne 'package') { continue }
        foreach ($file in $library.Value.files) {
            if ($file -notmatch '^runtimes/([^/]+)/native/[^/]+$' -or $Matches[1] -notin $RuntimeIdentifiers) { continue }
            $source = Join-Path $packageFolder "$($library.Value.path)/$file"
            $target = Join-Path $Destination $file
            New-Item -ItemType Directory -Path (Split-Path $target) -Force | Out-Null
            Copy-Item -LiteralPath $source -Destination $target -Force
        }
    }
}

function Copy-CoreBuild {
    <#
        Publishing the netstandard2.0 cmdlet library copies each package's netstandard2.0 build into bin, the one Windows
        PowerShell loads. For the packages named here the package's .NET build (lib/net6.0) also goes into bin/netcore,
        which the private load context prefers on PowerShell 7 (src/SensoClassLink.Loader): Sylvan.Data.Csv's .NET build
        parses a CSV with vectorized searches, about a third less CPU than its netstandard2.0 build.
    #>
    param([string] $AssetsFile, [string] $Destination, [string[]] $Packages)
    $assets = Get-Content -Raw -LiteralPath $AssetsFile | ConvertFrom-Json -AsHashtable
    $packageFolder = @($assets.packageFolders.Keys)[0]
    foreach ($package in $Packages) {
        $library = @($assets.libraries.GetEnumerator() | Where-Object { $_.Value.type -eq 'package' -and ($_.Key -split '/')[0] -eq $package })
        if ($library.Count -ne 1) { throw "The assets file names the package '$package' $($library.Count) times; expected once." }
        $files = @($library[0].Value.files | Where-Object { $_ -match '^lib/net6\.0/[^/]+\.dll$' })
        if ($files.Count -eq 0) { throw "The package '$($library[0].Key)' has no lib/net6.0 build to copy into bin/netcore." }
        New-Item -ItemType Directory -Path $Destination -Force | Out-Null
        foreach ($file in $files) {
            Copy-Item -LiteralPath (Join-Path $packageFolder "$($library[0].Value.path)/$file") -Destination $Destination -Force
        }
    }
}

function Invoke-XunitProject {
    param([string] $Project, [string] $Configuration)
    $resultsFolder = Join-Path $PSScriptRoot "../output/test-results"
    $name = [System.IO.Path]::GetFileNameWithoutExtension($Project)
    $trx = Join-Path $resultsFolder "$name.trx"
    if (Test-Path $trx) { Remove-Item $trx }
    & dotnet test $Project -c $Configuration --nologo --logger "trx;LogFileName=$name.trx" --logger 'console;verbosity=minimal' --results-directory $resultsFolder | Out-Host
    if (-not (Test-Path $trx)) { throw "xunit did not run for '$Project' (exit code $LASTEXITCODE); see the build output above." }
    $counters = ([xml](Get-Content -Raw $trx)).TestRun.ResultSummary.Counters
    $failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    # TRX counts skipped tests as not executed.
    $skipped = [int]$counters.notExecuted
    Write-Host "xunit $name`: $($counters.passed) passed, $failed failed, $skipped skipped"
    $results = ([xml](Get-Content -Raw $trx)).TestRun.Results.UnitTestResult
    $failedNames = @($results | Where-Object { $_.outcome -notin 'Passed', 'NotExecuted' } | ForEach-Object { $_.testName })
    return [pscustomobject]@{ Passed = [int]$counters.passed; Failed = $failed; Skipped = $skipped; FailedNames = $failedNames }
}

function Get-PesterModulePath {
    # Pester comes from NuGet (tests/PesterRestore), never from the PowerShell Gallery, which CI cannot reach.
    $restoreProject = Join-Path $PSScriptRoot '../tests/PesterRestore/PesterRestore.csproj'
    Invoke-Native dotnet restore $restoreProject --nologo -v quiet
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $pester = Join-Path $packages.Trim() 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $pester)) { throw "Pester 5.7.1 was not restored to '$pester'." }
    return $pester
}

function Invoke-PesterSuite {
    param([string] $ModulePath, [string] $TestFolder, [string] $Filter = '')
    $summary = Join-Path $PSScriptRoot '../output/test-results/pester-summary.json'
    if (Test-Path $summary) { Remove-Item $summary }
    # The filter travels in the environment: pwsh expands wildcards in native-command arguments on Unix.
    $env:SENSOCLASSLINK_PESTER_FILTER = $Filter
    try {
        $code = Invoke-ChildPwsh -NoThrow -File (Join-Path $PSScriptRoot 'Invoke-PesterRun.ps1') -ArgumentList @(
            '-PesterPath', (Get-PesterModulePath), '-ModulePath', $ModulePath, '-TestFolder', $TestFolder, '-SummaryPath', $summary)
    }
    finally {
        Remove-Item Env:SENSOCLASSLINK_PESTER_FILTER -ErrorAction SilentlyContinue
    }
    if (-not (Test-Path $summary)) { throw "Pester did not complete (exit code $code)." }
    $counts = Get-Content -Raw $summary | ConvertFrom-Json
    if ($counts.Passed + $counts.Failed + $counts.Skipped -eq 0) { throw "Pester ran no test (filter '$Filter')." }
    Write-Host "Pester: $($counts.Passed) passed, $($counts.Failed) failed, $($counts.Skipped) skipped"
    return $counts
}

function New-ModulePackage {
    # Compress-PSResource (PSResourceGet 1.1+) writes the .nupkg that Install-PSResource and Install-Module accept from a
    # local repository, without registering one: the user's PSResourceGet repositories are never touched by a build.
    param([string] $ModuleFolder, [hashtable] $Manifest, [string] $Destination)
    Compress-PSResource -Path $ModuleFolder -DestinationPath $Destination
    $package = Join-Path $Destination "SensoClassLink.$($Manifest.ModuleVersion).nupkg"
    if (-not (Test-Path -LiteralPath $package)) { throw "Compress-PSResource did not write '$package'." }
    Write-Step "Package written to $package"
}

function Find-TestBrowser {
    # The headless Chromium the HTML report's browser tests render with: $env:SENSOCLASSLINK_BROWSER, else the first on PATH.
    # SENSOCLASSLINK_BROWSER=none means no browser: the browser tests are skipped and nothing is installed.
    if ($env:SENSOCLASSLINK_BROWSER -eq 'none') { return $null }
    if ($env:SENSOCLASSLINK_BROWSER -and (Test-Path -LiteralPath $env:SENSOCLASSLINK_BROWSER -PathType Leaf)) { return $env:SENSOCLASSLINK_BROWSER }
    foreach ($name in 'chromium-headless-shell', 'chromium', 'chromium-browser', 'google-chrome') {
        $command = Get-Command $name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($command) { return $command.Source }
    }
    return $null
}

function Install-TestBrowser {
    <#
        Makes sure the HTML report's browser tests have a headless Chromium. When none is found and the machine allows it
        (Linux, root, apt-get), installs Debian's chromium-headless-shell, each apt step bounded by -TimeoutSeconds.
        Never fails the build: without a browser those tests are reported as skipped. Returns the browser's path or $null.
    #>
    param([int] $TimeoutSeconds = 600)
    if ($env:SENSOCLASSLINK_BROWSER -eq 'none') {
        Write-Host 'SENSOCLASSLINK_BROWSER=none: the HTML report browser tests will be skipped.' -ForegroundColor Yellow
        return $null
    }
    $browser = Find-TestBrowser
    if ($browser) {
        Write-Host "Browser for the HTML report tests: $browser"
        return $browser
    }
    $aptGet = Get-Command apt-get -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    $isRoot = $IsLinux -and ((& id -u 2>$null) -eq '0')
    if (-not $aptGet -or -not $isRoot) {
        Write-Host 'No headless Chromium found, and it cannot be installed here (needs root and apt-get): the HTML report browser tests will be skipped.' -ForegroundColor Yellow
        return $null
    }
    Write-Step "Installing chromium-headless-shell with apt-get for the HTML report browser tests (each step bounded to $TimeoutSeconds s)"
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $env:DEBIAN_FRONTEND = 'noninteractive'
    try {
        foreach ($arguments in @(@('-q', 'update'), @('-q', '-y', '--no-install-recommends', 'install', 'chromium-headless-shell'))) {
            $process = Start-Process -FilePath $aptGet.Source -ArgumentList $arguments -NoNewWindow -PassThru
            if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
                $process.Kill($true)
                Write-Host "apt-get $($arguments[-1]) did not finish within $TimeoutSeconds s and was stopped: the HTML report browser tests will be skipped." -ForegroundColor Yellow
                return $null
            }
            if ($process.ExitCode -ne 0) {
                Write-Host "apt-get $($arguments -join ' ') failed (exit code $($process.ExitCode)): the HTML report browser tests will be skipped." -ForegroundColor Yellow
                return $null
            }
        }
    }
    catch {
        Write-Host "apt-get could not run ($($_.Exception.Message)): the HTML report browser tests will be skipped." -ForegroundColor Yellow
        return $null
    }
    finally {
        Remove-Item Env:DEBIAN_FRONTEND -ErrorAction SilentlyContinue
    }
    $browser = Find-TestBrowser
    if ($browser) {
        Write-Host ("Installed {0} in {1:N0} s." -f $browser, $clock.Elapsed.TotalSeconds)
    }
    else {
        Write-Host 'apt-get succeeded but no headless Chromium was found on PATH: the HTML report browser tests will be skipped.' -ForegroundColor Yellow
    }
    return $browser
}
