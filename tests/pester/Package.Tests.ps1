# The package, installed for real: build.ps1's packaging step (New-ModulePackage, what -Task Package runs) writes a
# .nupkg, PSResourceGet installs it from a local repository, and a fresh pwsh that sees only the installed copy imports
# it by name and lists the example district's teachers. Everything is offline; the PowerShell Gallery is never asked.
#
# On Unix PSResourceGet keeps its repositories in $XDG_DATA_HOME/PSResourceGet and installs CurrentUser modules
# under $HOME/.local/share/powershell/Modules, so the child that packages and installs gets a temporary HOME and XDG
# folders: the user's own repositories and modules are never touched (the tests check both). On Windows those
# folders cannot be redirected from the environment, so these tests are skipped there (reported as skipped).
BeforeDiscovery {
    $script:canRedirectPSResourceGet = -not $IsWindows
}

BeforeAll {
    if ($IsWindows) { return }  # skipped there, see above
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $builtModuleFolder = Split-Path $env:SENSOCLASSLINK_MODULE
    $version = (Import-PowerShellDataFile $env:SENSOCLASSLINK_MODULE).ModuleVersion
    $work = Join-Path ([System.IO.Path]::GetTempPath()) "scl-package-$([guid]::NewGuid().ToString('N'))"
    $repository = New-Item -ItemType Directory -Path (Join-Path $work 'repository') -Force
    $temporaryHome = New-Item -ItemType Directory -Path (Join-Path $work 'home') -Force
    $installRoot = Join-Path $temporaryHome '.local/share/powershell/Modules'
    $config = New-TestConfiguration -Folder $work -DistrictPath (Join-Path $repoRoot 'examples/district')

    # The user's own PSResourceGet settings, to prove they are left alone.
    $userRepositoryFile = Join-Path ([System.Environment]::GetFolderPath('LocalApplicationData')) 'PSResourceGet/PSResourceRepository.xml'
    function Get-UserRepositoryState {
        if (Test-Path -LiteralPath $userRepositoryFile) { return (Get-FileHash -LiteralPath $userRepositoryFile).Hash }
        return 'absent'
    }
    $userRepositoriesBefore = Get-UserRepositoryState
    $userInstall = Join-Path ([System.Environment]::GetFolderPath('UserProfile')) ".local/share/powershell/Modules/SensoClassLink/$version"
    $userInstallBefore = Test-Path -LiteralPath $userInstall

    function Invoke-WithTemporaryHome([string] $Script) {
        $names = 'HOME', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME'
        $saved = @{}
        foreach ($name in $names) { $saved[$name] = [System.Environment]::GetEnvironmentVariable($name) }
        [System.Environment]::SetEnvironmentVariable('HOME', $temporaryHome.FullName)
        [System.Environment]::SetEnvironmentVariable('XDG_DATA_HOME', (Join-Path $temporaryHome '.local/share'))
        [System.Environment]::SetEnvironmentVariable('XDG_CONFIG_HOME', (Join-Path $temporaryHome '.config'))
        [System.Environment]::SetEnvironmentVariable('XDG_CACHE_HOME', (Join-Path $temporaryHome '.cache'))
        # .NET reports a missing special folder as '', and PSResourceGet then writes PSResourceGet/ and NuGet/
        # into the current directory: the folders must exist first.
        foreach ($name in 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME') {
            New-Item -ItemType Directory -Path ([System.Environment]::GetEnvironmentVariable($name)) -Force | Out-Null
        }
        try { return Invoke-FreshPwsh -Script $Script }
        finally { foreach ($name in $names) { [System.Environment]::SetEnvironmentVariable($name, $saved[$name]) } }
    }

    $timer = [System.Diagnostics.Stopwatch]::StartNew()
    $installOutput = Invoke-WithTemporaryHome @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
[System.Environment]::CurrentDirectory = '$work'
. '$repoRoot/build/BuildTools.ps1'
New-ModulePackage -ModuleFolder '$builtModuleFolder' -Manifest (Import-PowerShellDataFile '$env:SENSOCLASSLINK_MODULE') -Destination '$($repository.FullName)'
Register-PSResourceRepository -Name SensoClassLinkLocal -Uri '$($repository.FullName)' -Trusted
Install-PSResource -Name SensoClassLink -Version '$version' -Repository SensoClassLinkLocal -Scope CurrentUser
'repositories=' + ((Get-PSResourceRepository).Name -join ',')
'repository-file=' + (Test-Path '$temporaryHome/.local/share/PSResourceGet/PSResourceRepository.xml')
foreach (`$installed in Get-InstalledPSResource -Name SensoClassLink) { 'installed=' + `$installed.Version + '@' + `$installed.InstalledLocation }
"@
    $installExitCode = $FreshPwshExitCode
    $installSeconds = $timer.Elapsed.TotalSeconds

    $timer.Restart()
    $importOutput = Invoke-FreshPwsh -Script @"
`$ErrorActionPreference = 'Stop'
# Only the installed copy and the pwsh's own modules: nothing from the build output or the user's module folders.
`$env:PSModulePath = '$installRoot' + [System.IO.Path]::PathSeparator + (Join-Path `$PSHOME 'Modules')
foreach (`$available in Get-Module -ListAvailable -Name SensoClassLink) { 'available=' + `$available.Path }
Import-Module SensoClassLink
'imported=' + (Get-Module SensoClassLink).Path
Connect-SensoClassLink -ConfigPath '$config'
foreach (`$teacher in Get-ClassLinkTeacher -AsOf ([datetime]'2025-10-01') -WarningAction SilentlyContinue) { 'teacher=' + `$teacher.Email }
"@
    $importExitCode = $FreshPwshExitCode
    $importSeconds = $timer.Elapsed.TotalSeconds
    Write-Host ("Package test: package + register + install {0:N1} s, fresh import + teachers {1:N1} s" -f $installSeconds, $importSeconds)
}

AfterAll {
    if ($IsWindows) { return }
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The installable package' -Skip:(-not $canRedirectPSResourceGet) {
    It 'is a .nupkg named for the version that carries the module, its native libraries and its help' {
        $installExitCode | Should -Be 0 -Because ($installOutput -join "`n")
        $package = Join-Path $repository "SensoClassLink.$version.nupkg"
        $package | Should -Exist
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($package)
        try { $entries = @($zip.Entries.FullName | ForEach-Object { [uri]::UnescapeDataString($_) }) }
        finally { $zip.Dispose() }
        $entries | Should -Contain 'SensoClassLink.psd1'
        $entries | Should -Contain 'SensoClassLink.psm1'
        $entries | Should -Contain 'SensoClassLink.Format.ps1xml'
        $entries | Should -Contain 'bin/SensoClassLink.dll'
        $entries | Should -Contain 'bin/SensoClassLink.Loader.dll'
        $entries | Should -Contain 'en-US/SensoClassLink.dll-Help.xml'
        $entries | Should -Contain 'bin/runtimes/linux-x64/native/libe_sqlite3.so'
        $entries | Should -Contain 'bin/runtimes/win-x64/native/e_sqlite3.dll'
        # Both builds of the CSV parser: bin for Windows PowerShell, bin/netcore (faster) for PowerShell 7.
        $entries | Should -Contain 'bin/Sylvan.Data.Csv.dll'
        $entries | Should -Contain 'bin/netcore/Sylvan.Data.Csv.dll'
    }

    It 'installs with Install-PSResource from a local repository into the temporary module path only' {
        $installExitCode | Should -Be 0 -Because ($installOutput -join "`n")
        $installOutput | Should -Contain 'repositories=PSGallery,SensoClassLinkLocal'
        $installOutput | Should -Contain 'repository-file=True'
        $installOutput | Should -Contain "installed=$version@$installRoot"
        Join-Path $installRoot "SensoClassLink/$version/SensoClassLink.psd1" | Should -Exist
        Join-Path $installRoot "SensoClassLink/$version/bin/SensoClassLink.dll" | Should -Exist
    }

    It "leaves the user's own PSResourceGet repositories and module folder untouched" {
        Get-UserRepositoryState | Should -Be $userRepositoriesBefore
        Test-Path -LiteralPath $userInstall | Should -Be $userInstallBefore
    }

    It "imports by name in a fresh pwsh that sees only the installed copy, and lists the example district's teachers" {
        $importExitCode | Should -Be 0 -Because ($importOutput -join "`n")
        $installedManifest = Join-Path $installRoot "SensoClassLink/$version/SensoClassLink.psd1"
        @($importOutput | Where-Object { $_ -like 'available=*' }) | Should -Be @("available=$installedManifest")
        $importOutput | Should -Contain "imported=$(Join-Path $installRoot "SensoClassLink/$version/SensoClassLink.psm1")"
        @($importOutput | Where-Object { $_ -like 'teacher=*' }) | Should -Be @(
            'teacher=jane.doe@riverside.example', 'teacher=maria.garcia@riverside.example', 'teacher=max.weber@riverside.example',
            'teacher=omar.haddad@riverside.example', "teacher=sean.o'brien@riverside.example", 'teacher=zoe.angstrom@riverside.example')
    }
}
