# The Windows PowerShell 5.1 load path (module/SensoClassLink.psm1's non-Core branch: the cmdlet assembly loaded
# directly, our dependencies served by name by SensoClassLink.Loading.BinFolderAssemblyResolver, the native e_sqlite3
# loaded by full path by SqliteNative), run under PowerShell 7 in fresh processes through the test-only switch
# SENSOCLASSLINK_TEST_FORCE_DESKTOP_LOADPATH=1. What this cannot prove about Windows PowerShell itself is listed in the
# README's limits.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $bin = Join-Path (Split-Path $env:SENSOCLASSLINK_MODULE) 'bin'
    $work = Join-Path ([System.IO.Path]::GetTempPath()) "scl-desktop-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory -Path $work -Force | Out-Null
    $config = New-TestConfiguration -Folder $work -DistrictPath (Join-Path $repoRoot 'examples/district')

    function Invoke-DesktopLoadPath([string] $Script) {
        $env:SENSOCLASSLINK_TEST_FORCE_DESKTOP_LOADPATH = '1'
        try { return Invoke-FreshPwsh -Script "`$ErrorActionPreference = 'Stop'`nImport-Module `$env:SENSOCLASSLINK_MODULE`n$Script" }
        finally { Remove-Item Env:SENSOCLASSLINK_TEST_FORCE_DESKTOP_LOADPATH -ErrorAction SilentlyContinue }
    }
}

AfterAll {
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The Windows PowerShell 5.1 load path, under PowerShell 7' {
    It 'is taken only with the test switch, and registers its handler once per process' {
        $normal = Invoke-FreshPwsh -Script @'
Import-Module $env:SENSOCLASSLINK_MODULE
'context=' + [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-Command Get-ClassLinkTeacher).ImplementingType.Assembly).Name
'@
        $normal | Should -Contain 'context=SensoClassLink'

        $output = Invoke-DesktopLoadPath @'
$resolver = [SensoClassLink.Loading.BinFolderAssemblyResolver]
'context=' + [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-Command Get-ClassLinkTeacher).ImplementingType.Assembly).Name
'serves=' + $resolver::Directory
Import-Module $env:SENSOCLASSLINK_MODULE -Force
'after-force=' + $resolver::Directory
# AppDomain.AssemblyResolve is backed by this event on .NET; count our handlers on it.
$event = [System.Runtime.Loader.AssemblyLoadContext].GetField('AssemblyResolve', [System.Reflection.BindingFlags]'NonPublic, Static').GetValue($null)
'handlers=' + @($event.GetInvocationList() | Where-Object { $_.Method.DeclaringType -eq $resolver }).Count
'cmdlets=' + @(Get-Command -Module SensoClassLink).Count
'@
        $FreshPwshExitCode | Should -Be 0 -Because ($output -join "`n")
        $output | Should -Contain 'context=Default'
        $output | Should -Contain "serves=$bin"
        $output | Should -Contain "after-force=$bin"
        $output | Should -Contain 'handlers=1'
        $exported = (Import-PowerShellDataFile $env:SENSOCLASSLINK_MODULE).CmdletsToExport.Count
        $output | Should -Contain "cmdlets=$exported"
    }

    It 'serves YamlDotNet, Newtonsoft.Json, MSAL, Polly and SQLite by simple name from bin, whatever version is asked for' {
        # Windows PowerShell applies no binding redirects to a module: a library asking for another version than the
        # one in bin reaches the handler, which must answer with bin's copy. Version 255 is in no folder anywhere.
        $output = Invoke-DesktopLoadPath @'
$names = 'YamlDotNet', 'Newtonsoft.Json', 'Microsoft.Identity.Client', 'Polly.Core', 'Microsoft.Data.Sqlite',
    'SQLitePCLRaw.core', 'SQLitePCLRaw.provider.e_sqlite3', 'SQLitePCLRaw.batteries_v2', 'Sylvan.Data.Csv'
foreach ($name in $names) {
    $assembly = [System.Reflection.Assembly]::Load("$name, Version=255.0.0.0, Culture=neutral")
    "$name=" + $assembly.GetName().Name + '@' + $assembly.Location
}
try { [void][System.Reflection.Assembly]::Load('SensoClassLink.NoSuchDependency') } catch { 'missing=' + $_.Exception.InnerException.GetType().Name }
'served=' + ([SensoClassLink.Loading.BinFolderAssemblyResolver]::Served -join ',')
'@
        $FreshPwshExitCode | Should -Be 0 -Because ($output -join "`n")
        foreach ($name in 'YamlDotNet', 'Microsoft.Identity.Client', 'Polly.Core', 'Microsoft.Data.Sqlite', 'SQLitePCLRaw.core',
            'SQLitePCLRaw.provider.e_sqlite3', 'SQLitePCLRaw.batteries_v2', 'Sylvan.Data.Csv') {
            $output | Should -Contain "$name=$name@$(Join-Path $bin "$name.dll")"
        }
        # PowerShell 7 ships Newtonsoft.Json 13.0.0.0 itself; the runtime answers a load of our identical-identity copy
        # with the host's. The handler still served the request (below); which copy 5.1 uses is bin's (see README limits).
        $json = @($output | Where-Object { $_ -like 'Newtonsoft.Json=*' })
        $json | Should -HaveCount 1
        $json[0] | Should -BeIn @("Newtonsoft.Json=Newtonsoft.Json@$(Join-Path $bin 'Newtonsoft.Json.dll')",
            "Newtonsoft.Json=Newtonsoft.Json@$(Join-Path $PSHOME 'Newtonsoft.Json.dll')")
        $output | Should -Contain 'missing=FileNotFoundException'
        $served = (@($output | Where-Object { $_ -like 'served=*' })[0] -replace '^served=', '') -split ','
        foreach ($name in 'YamlDotNet', 'Newtonsoft.Json', 'Microsoft.Identity.Client', 'Polly.Core', 'Microsoft.Data.Sqlite', 'SQLitePCLRaw.core') {
            $served | Should -Contain $name
        }
    }

    It 'serves a dependency first needed on a thread without a runspace (a script block handler would crash the process)' {
        $output = Invoke-DesktopLoadPath @'
Add-Type -TypeDefinition @"
public static class DependencyOnWorkerThread
{
    public static string Load(string name)
    {
        string result = null;
        var thread = new System.Threading.Thread(() =>
        {
            try { result = System.Reflection.Assembly.Load(name + ", Version=255.0.0.0").Location; }
            catch (System.Exception ex) { result = ex.GetType().Name; }
        });
        thread.Start();
        thread.Join();
        return result;
    }
}
"@
'worker=' + [DependencyOnWorkerThread]::Load('Polly.Core')
'@
        $FreshPwshExitCode | Should -Be 0 -Because ($output -join "`n")
        $output | Should -Contain "worker=$(Join-Path $bin 'Polly.Core.dll')"
    }

    It "works: the example district's teachers, and the local tenant's roles over the bundled native SQLite" {
        $output = Invoke-DesktopLoadPath @"
Connect-SensoClassLink -ConfigPath '$config'
foreach (`$teacher in Get-ClassLinkTeacher -AsOf ([datetime]'2025-10-01') -WarningAction SilentlyContinue) { 'teacher=' + `$teacher.Email }
foreach (`$role in Get-SensoRole) { 'role=' + `$role.Name }
foreach (`$module in (Get-Process -Id `$PID).Modules) { if (`$module.ModuleName -like '*e_sqlite3*') { 'native=' + `$module.FileName } }
'context=' + [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-Command Get-SensoRole).ImplementingType.Assembly).Name
"@
        $FreshPwshExitCode | Should -Be 0 -Because ($output -join "`n")
        $output | Should -Contain 'context=Default'
        @($output | Where-Object { $_ -like 'teacher=*' }) | Should -Be @(
            'teacher=jane.doe@riverside.example', 'teacher=maria.garcia@riverside.example', 'teacher=max.weber@riverside.example',
            'teacher=omar.haddad@riverside.example', "teacher=sean.o'brien@riverside.example", 'teacher=zoe.angstrom@riverside.example')
        @($output | Where-Object { $_ -like 'role=*' }) | Should -Be @('role=Administrator', 'role=Teacher')
        $native = @($output | Where-Object { $_ -like 'native=*' })
        $native | Should -HaveCount 1
        $native[0] | Should -BeLike "native=$(Join-Path $bin 'runtimes')*"
    }
}
