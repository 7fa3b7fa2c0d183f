# Loads the compiled cmdlets. On PowerShell 7 they live in a private AssemblyLoadContext so that
# another module's YamlDotNet, Newtonsoft.Json or MSAL can never clash with ours; on Windows
# PowerShell 5.1 (no load contexts) an assembly-resolve handler serves our dependencies by name.

$binPath = Join-Path $PSScriptRoot 'bin'
$mainAssemblyPath = Join-Path $binPath 'SensoClassLink.dll'

if ($PSVersionTable.PSEdition -eq 'Core') {
    if (-not ('SensoClassLink.Loader.ModuleLoadContext' -as [type])) {
        Add-Type -Path (Join-Path $binPath 'SensoClassLink.Loader.dll')
    }
    $mainAssembly = [SensoClassLink.Loader.ModuleLoadContext]::LoadModuleAssembly($mainAssemblyPath)
}
else {
    if (-not $script:ResolveHandlerRegistered) {
        $resolveFromBin = [System.ResolveEventHandler] {
            param($sender, $eventArgs)
            $name = [System.Reflection.AssemblyName]::new($eventArgs.Name).Name
            $candidate = [System.IO.Path]::Combine($binPath, "$name.dll")
            if ([System.IO.File]::Exists($candidate)) {
                return [System.Reflection.Assembly]::LoadFrom($candidate)
            }
            return $null
        }.GetNewClosure()
        [System.AppDomain]::CurrentDomain.add_AssemblyResolve($resolveFromBin)
        $script:ResolveHandlerRegistered = $true
    }
    $mainAssembly = [System.Reflection.Assembly]::LoadFrom($mainAssemblyPath)
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
