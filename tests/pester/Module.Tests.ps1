# The module as a whole: manifest, exports, re-import, packaging rules.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $modulePath = $env:SENSOCLASSLINK_MODULE
    $moduleFolder = Split-Path $modulePath
    $module = Import-Module $modulePath -Force -PassThru
}

Describe 'SensoClassLink module' {
    It 'exports exactly the cmdlets the assembly implements' {
        $assembly = (Get-Command Connect-SensoClassLink).ImplementingType.Assembly
        $implemented = @(Get-Command -Module SensoClassLink -CommandType Cmdlet | ForEach-Object { $_.ImplementingType.FullName })
        $cmdletTypes = @($assembly.GetTypes() | Where-Object {
                -not $_.IsAbstract -and $_.IsDefined([System.Management.Automation.CmdletAttribute], $false)
            })
        $manifest = Import-PowerShellDataFile $modulePath

        $cmdletTypes.Count | Should -Be $manifest.CmdletsToExport.Count
        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($manifest.CmdletsToExport | Sort-Object)
        $implemented.Count | Should -Be $manifest.CmdletsToExport.Count
    }

    It 'keeps every cmdlet after Import-Module -Force, twice' {
        $expected = @((Import-PowerShellDataFile $modulePath).CmdletsToExport | Sort-Object)
        Import-Module $modulePath -Force
        Import-Module $modulePath -Force
        @((Get-Module SensoClassLink).ExportedCmdlets.Keys | Sort-Object) | Should -Be $expected
        foreach ($name in $expected) { Get-Command $name -ErrorAction Stop | Should -Not -BeNullOrEmpty }
    }

    It 'declares both editions and no nested modules or required assemblies' {
        $manifest = Import-PowerShellDataFile $modulePath
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.ContainsKey('NestedModules') | Should -BeFalse
        $manifest.ContainsKey('RequiredAssemblies') | Should -BeFalse
        $manifest.CmdletsToExport | Should -Not -Contain '*'
    }

    It 'ships no PowerShell engine assembly' {
        Get-ChildItem $moduleFolder -Recurse -Filter 'System.Management.Automation.dll' | Should -BeNullOrEmpty
    }

    It 'loads its cmdlets into its private load context on PowerShell 7' {
        $type = (Get-Command Get-ClassLinkTeacher).ImplementingType
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($type.Assembly).Name | Should -Be 'SensoClassLink'
    }

    It 'has a format view for every output type' {
        $views = [xml](Get-Content -Raw (Join-Path $moduleFolder 'SensoClassLink.Format.ps1xml'))
        $formatted = @($views.Configuration.ViewDefinitions.View.ViewSelectedBy.TypeName)
        foreach ($command in Get-Command -Module SensoClassLink) {
            foreach ($type in $command.OutputType) {
                # A primitive (Test-ClassLinkConnection -Quiet emits [bool]) is shown as itself and has no view; a type
                # PowerShell formats itself (Export-ClassLinkSyncReport -PassThru emits FileInfo) keeps PowerShell's view.
                if ($type.Type -and $type.Type.IsPrimitive) { continue }
                if ($type.Type -and $type.Type.Namespace -notlike 'SensoClassLink*' -and (Get-FormatData -TypeName $type.Name)) { continue }
                $formatted | Should -Contain $type.Name -Because "$($command.Name) emits $($type.Name)"
            }
        }
    }

    It 'has an about topic' {
        (Get-Help about_SensoClassLink | Out-String) | Should -Match 'ClassLink Roster Server'
    }
}
