# Dependency isolation: another module's older YamlDotNet / Newtonsoft.Json must not break ours.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $packages = Get-NuGetPackageFolder
    $oldYaml = Join-Path $packages 'yamldotnet/13.1.1/lib/netstandard2.0/YamlDotNet.dll'
    $oldJson = Join-Path $packages 'newtonsoft.json/12.0.3/lib/netstandard2.0/Newtonsoft.Json.dll'
    $work = Join-Path ([System.IO.Path]::GetTempPath()) "scl-isolation-$([guid]::NewGuid().ToString('N'))"
    New-TestDistrict -Path (Join-Path $work 'district') | Out-Null
    $config = New-TestConfiguration -Folder $work
}

AfterAll {
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Dependency isolation' {
    It 'works, with its own copies, when older YamlDotNet and Newtonsoft.Json were loaded first' {
        $oldYaml | Should -Exist
        $oldJson | Should -Exist
        $output = Invoke-FreshPwsh -Script @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$oldYaml'
`$oldJson = [System.Reflection.Assembly]::LoadFile('$oldJson')
Import-Module `$env:SENSOCLASSLINK_MODULE
Connect-SensoClassLink -ConfigPath '$config'
'teachers=' + @(Get-ClassLinkTeacher -IncludeIneligible).Count
`$moduleContext = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-Command Get-ClassLinkTeacher).ImplementingType.Assembly)
`$ownYaml = `$moduleContext.LoadFromAssemblyName([System.Reflection.AssemblyName]::new('YamlDotNet'))
`$ownJson = `$moduleContext.LoadFromAssemblyName([System.Reflection.AssemblyName]::new('Newtonsoft.Json'))
'yaml-context=' + [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$ownYaml).Name
'yaml-version=' + `$ownYaml.GetName().Version
'yaml-in-module=' + `$ownYaml.Location.StartsWith((Split-Path `$env:SENSOCLASSLINK_MODULE))
'json-in-module=' + `$ownJson.Location.StartsWith((Split-Path `$env:SENSOCLASSLINK_MODULE))
'old-json-version=' + `$oldJson.GetName().Version
'old-yaml-still-default=' + ([System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'YamlDotNet' -and `$_.GetName().Version.Major -eq 13 } | ForEach-Object { [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name })
"@
        $FreshPwshExitCode | Should -Be 0 -Because ($output -join "`n")
        $output | Should -Contain 'teachers=3'
        $output | Should -Contain 'yaml-context=SensoClassLink'
        $output | Should -Not -Contain 'yaml-version=13.0.0.0'
        $output | Should -Contain 'yaml-in-module=True'
        $output | Should -Contain 'json-in-module=True'
        $output | Should -Contain 'old-json-version=12.0.0.0'
        $output | Should -Contain 'old-yaml-still-default=Default'
    }

    It 'reads CSV with the .NET build of Sylvan.Data.Csv from bin/netcore, not the netstandard2.0 one Windows PowerShell uses' {
        $output = Invoke-FreshPwsh -Script @"
`$ErrorActionPreference = 'Stop'
Import-Module `$env:SENSOCLASSLINK_MODULE
Connect-SensoClassLink -ConfigPath '$config'
'teachers=' + @(Get-ClassLinkTeacher -IncludeIneligible).Count
`$context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-Command Get-ClassLinkTeacher).ImplementingType.Assembly)
`$csv = @(`$context.Assemblies | Where-Object { `$_.GetName().Name -eq 'Sylvan.Data.Csv' })
'loaded=' + `$csv.Count
'location=' + [System.IO.Path]::GetRelativePath((Split-Path `$env:SENSOCLASSLINK_MODULE), `$csv[0].Location).Replace('\', '/')
'framework=' + `$csv[0].GetCustomAttributes([System.Runtime.Versioning.TargetFrameworkAttribute], `$false)[0].FrameworkName
"@
        $FreshPwshExitCode | Should -Be 0 -Because ($output -join "`n")
        $output | Should -Contain 'teachers=3'
        $output | Should -Contain 'loaded=1'
        $output | Should -Contain 'location=bin/netcore/Sylvan.Data.Csv.dll'
        ($output | Where-Object { $_ -like 'framework=*' }) | Should -BeLike 'framework=.NETCoreApp*'
        # Windows PowerShell still finds its own build in bin.
        Join-Path (Split-Path $env:SENSOCLASSLINK_MODULE) 'bin/Sylvan.Data.Csv.dll' | Should -Exist
    }

    It 'never loads a second copy of a framework assembly' {
        $output = Invoke-FreshPwsh -Script @"
Import-Module `$env:SENSOCLASSLINK_MODULE
`$null = Get-Command Get-ClassLinkTeacher
`$context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-Command Get-ClassLinkTeacher).ImplementingType.Assembly)
foreach (`$name in 'System.Memory', 'System.Text.Json', 'System.Management.Automation', 'System.Buffers') {
    `$resolved = `$context.LoadFromAssemblyName([System.Reflection.AssemblyName]::new(`$name))
    `$name + '=' + [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$resolved).Name
}
"@
        $output | Should -Contain 'System.Memory=Default'
        $output | Should -Contain 'System.Text.Json=Default'
        $output | Should -Contain 'System.Management.Automation=Default'
        $output | Should -Contain 'System.Buffers=Default'
    }
}
