BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:SENSOCLASSLINK_MODULE -Force
}

Describe 'Get-SensoRole and Get-SensoSite' {
    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $folder | Out-Null
        New-TestDistrict -Path (Join-Path $folder 'district') | Out-Null
        Connect-SensoClassLink -ConfigPath (New-TestConfiguration -Folder $folder)
    }

    It 'lists the roles seeded from the configuration, as typed objects' {
        $roles = @(Get-SensoRole)
        $roles.Name | Sort-Object | Should -Be @('Administrator', 'Teacher')
        $roles[0].PSObject.TypeNames[0] | Should -Be 'SensoClassLink.Models.SensoRoleInfo'
        $roles[0].Id | Should -Not -BeNullOrEmpty
    }

    It 'creates the tenant file on first use' {
        Get-SensoSite | Out-Null
        Join-Path $folder 'senso-tenant.db' | Should -Exist
    }

    It 'resolves a plain name case-insensitively and filters wildcards' {
        (Get-SensoRole -Name teacher).Name | Should -Be 'Teacher'
        (Get-SensoSite -Name 'north*').Name | Should -Be 'North Campus'
    }

    It 'names the closest valid names for an unknown name, as a non-terminating error' {
        $result = Get-SensoRole -Name Teachr -ErrorVariable problems -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'RoleNotFound*'
        $problems[0].Exception.Message | Should -Match "Closest valid names: Teacher"
        $problems[0].TargetObject | Should -Be 'Teachr'
    }

    It 'formats roles and sites as a table with Name first' {
        $text = Get-SensoSite | Out-String
        $text | Should -Match 'Name\s+Id'
        $text | Should -Match 'North Campus'
    }
}

Describe 'Senso tenant from the built module in a fresh process' {
    It 'loads the native SQLite library from the module and opens a tenant' {
        $folder = Join-Path $TestDrive 'fresh'
        New-Item -ItemType Directory -Path $folder | Out-Null
        New-TestDistrict -Path (Join-Path $folder 'district') | Out-Null
        $config = New-TestConfiguration -Folder $folder
        $output = Invoke-FreshPwsh -Script @"
`$ErrorActionPreference = 'Stop'
Import-Module '$env:SENSOCLASSLINK_MODULE'
Connect-SensoClassLink -ConfigPath '$config'
(Get-SensoRole | Sort-Object Name | ForEach-Object Name) -join ','
`$native = [System.Diagnostics.Process]::GetCurrentProcess().Modules | Where-Object ModuleName -like '*e_sqlite3*' | Select-Object -First 1
`$native.FileName
"@
        $FreshPwshExitCode | Should -Be 0 -Because ($output -join "`n")
        $output[0] | Should -Be 'Administrator,Teacher'
        $moduleFolder = Split-Path $env:SENSOCLASSLINK_MODULE
        $output[1] | Should -BeLike "$moduleFolder*runtimes*native*e_sqlite3*"
    }

    It 'creates the tenant readable by its owner only on Unix' -Skip:$IsWindows {
        $folder = Join-Path $TestDrive 'mode'
        New-Item -ItemType Directory -Path $folder | Out-Null
        New-TestDistrict -Path (Join-Path $folder 'district') | Out-Null
        Connect-SensoClassLink -ConfigPath (New-TestConfiguration -Folder $folder)
        Get-SensoRole | Out-Null
        (Get-Item (Join-Path $folder 'senso-tenant.db')).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
    }
}

Describe 'A local tenant on a network share' {
    It 'is refused before anything is written, with a message that says why and which key to change' {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $folder | Out-Null
        New-TestDistrict -Path (Join-Path $folder 'district') | Out-Null
        $config = New-TestConfiguration -Folder $folder
        (Get-Content -Raw $config) -replace 'path: ./senso-tenant.db', "path: '//fileserver/district/senso-tenant.db'" | Set-Content $config
        Connect-SensoClassLink -ConfigPath $config

        { Get-SensoRole -ErrorAction Stop } | Should -Throw -ErrorId 'SensoTenantUnavailable*'
        try { Get-SensoRole -ErrorAction Stop } catch { $problem = $_ }
        $problem.Exception.Message | Should -BeLike "*local Senso tenant '//fileserver/district/senso-tenant.db' is on a Windows share (UNC path)*"
        $problem.Exception.Message | Should -BeLike '*senso.local.journalMode: delete*'
        @(Get-ChildItem $folder -Filter '*.db*') | Should -BeNullOrEmpty
    }
}
