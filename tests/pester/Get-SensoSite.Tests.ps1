BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:SENSOCLASSLINK_MODULE -Force
}

Describe 'Get-SensoSite' {
    BeforeAll {
        $folder = Join-Path $TestDrive 'site'
        New-Item -ItemType Directory -Path $folder | Out-Null
        New-TestDistrict -Path (Join-Path $folder 'district') | Out-Null
        Connect-SensoClassLink -ConfigPath (New-TestConfiguration -Folder $folder)
    }

    It 'lists the seeded sites in name order' {
        (Get-SensoSite).Name | Should -Be @('Main', 'North Campus')
    }

    It 'has a site-name argument completer that quotes names with spaces' {
        $completer = [SensoClassLink.Completers.SensoSiteNameCompleter]::new()
        $results = @($completer.CompleteArgument('Import-SensoUser', 'Site', 'nor', $null, @{}))
        $results.CompletionText | Should -Be @("'North Campus'")
        @([SensoClassLink.Completers.SensoRoleNameCompleter]::new().CompleteArgument('Import-SensoUser', 'Role', 'T', $null, @{})).CompletionText | Should -Be @('Teacher')
    }

    It 'stops with one terminating error when the tenant file cannot be used' {
        $bad = Join-Path $TestDrive 'bad'
        New-Item -ItemType Directory -Path $bad | Out-Null
        New-TestDistrict -Path (Join-Path $bad 'district') | Out-Null
        Set-Content -LiteralPath (Join-Path $bad 'senso-tenant.db') -Value ('x' * 4096)
        Connect-SensoClassLink -ConfigPath (New-TestConfiguration -Folder $bad)
        $err = { Get-SensoSite } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'SensoTenantUnavailable*'
        $err.Exception.Message | Should -Match ([regex]::Escape((Join-Path $bad 'senso-tenant.db')))
        Connect-SensoClassLink -ConfigPath (Join-Path $folder 'sensoclasslink.yml')
    }
}
