# Loads the compiled cmdlets. On PowerShell 7 they live in a private AssemblyLoadContext so that
# another module's YamlDotNet, Newtonsoft.Json or MSAL can never clash with ours; on Windows
# PowerShell 5.1 (no load contexts) an assembly-resolve handler serves our dependencies by name
# (SensoClassLink.Loading.BinFolderAssemblyResolver).

$binPath = Join-Path $PSScriptRoot 'bin'
$mainAssemblyPath = Join-Path $binPath 'SensoClassLink.dll'

# For tests only: SENSOCLASSLINK_TEST_FORCE_DESKTOP_LOADPATH=1 takes the Windows PowerShell 5.1 branch on PowerShell 7
# too, so tests/pester/DesktopLoadPath.Tests.ps1 exercises it where no Windows PowerShell runs. Never set it otherwise:
# it gives up the private load context's isolation from other modules' dependencies.
$useLoadContext = $PSVersionTable.PSEdition -eq 'Core' -and $env:SENSOCLASSLINK_TEST_FORCE_DESKTOP_LOADPATH -ne '1'

if ($useLoadContext) {
    if (-not ('SensoClassLink.Loader.ModuleLoadContext' -as [type])) {
        Add-Type -Path (Join-Path $binPath 'SensoClassLink.Loader.dll')
    }
    $mainAssembly = [SensoClassLink.Loader.ModuleLoadContext]::LoadModuleAssembly($mainAssemblyPath)
}
else {
    # No load contexts here: our dependencies are served by simple name from bin, by a compiled handler (a script
    # block handler fails on the thread-pool threads where the engine first touches some of them). SensoClassLink.dll
    # needs only the framework to load, so the handler is registered before anything else is resolved.
    $mainAssembly = [System.Reflection.Assembly]::LoadFrom($mainAssemblyPath)
    [SensoClassLink.Loading.BinFolderAssemblyResolver]::Register($binPath)
}

# Import the cmdlets from the assembly, then re-export them from this script module so that the
# manifest's CmdletsToExport governs what the user sees (and Import-Module -Force keeps them all).
$innerModule = Import-Module -Assembly $mainAssembly -PassThru -DisableNameChecking
$addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod(
    'AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
foreach ($cmdlet in $innerModule.ExportedCmdlets.Values) {
    $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmdlet))
}

# Remove-Module (and Import-Module -Force) closes this runspace's connection: its SQLite files, HTTP client and
# sign-in cache. Other runspaces keep theirs; a runspace that closes disposes its own.
$moduleConnectionType = $mainAssembly.GetType('SensoClassLink.Session.ModuleConnection', $true)
$ExecutionContext.SessionState.Module.OnRemove = {
    $moduleConnectionType::DisposeForModuleRemoval()
}.GetNewClosure()
