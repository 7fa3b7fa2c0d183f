# Integration settings on the local tenant: validation, clearing, -WhatIf, verbose old -> new, pipeline round trip.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:SENSOCLASSLINK_MODULE -Force
}

Describe 'Get-ClassLinkIntegrationSetting and Set-ClassLinkIntegrationSetting' {
    BeforeEach {
        $world = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-TestDistrict -Path (Join-Path $world 'district') | Out-Null
        Connect-SensoClassLink -ConfigPath (New-TestConfiguration -Folder $world)
    }

    It 'starts with automatic creation off and no defaults' {
        $settings = Get-ClassLinkIntegrationSetting
        $settings.PSObject.TypeNames[0] | Should -Be 'SensoClassLink.Models.ClassLinkIntegrationSetting'
        $settings.AutomaticallyCreateUsers | Should -BeFalse
        $settings.DefaultRole | Should -BeNullOrEmpty
        $settings.DefaultSite | Should -BeNullOrEmpty
        $settings.SuspendDepartedUsers | Should -BeFalse
        $settings.SuspendAfterDays | Should -Be 7
        ($settings | Out-String) | Should -Match 'SuspendAfterDays\s*:\s*7'
    }

    It 'sets the departure settings alone, keeps the others, and refuses a day count out of range' {
        Set-ClassLinkIntegrationSetting -AutomaticallyCreateUsers $true -DefaultRole Teacher
        $verbose = Set-ClassLinkIntegrationSetting -SuspendDepartedUsers $true -SuspendAfterDays 0 -Verbose 4>&1
        ($verbose | Out-String) | Should -Match 'SuspendDepartedUsers from False to True'
        ($verbose | Out-String) | Should -Match 'SuspendAfterDays from 7 to 0'
        $settings = Get-ClassLinkIntegrationSetting
        $settings.SuspendDepartedUsers | Should -BeTrue
        $settings.SuspendAfterDays | Should -Be 0
        $settings.AutomaticallyCreateUsers | Should -BeTrue
        $settings.DefaultRole | Should -Be 'Teacher'
        { Set-ClassLinkIntegrationSetting -SuspendAfterDays 366 } | Should -Throw
        { Set-ClassLinkIntegrationSetting -SuspendAfterDays -1 } | Should -Throw
        Set-ClassLinkIntegrationSetting -SuspendAfterDays 3 -WhatIf
        (Get-ClassLinkIntegrationSetting).SuspendAfterDays | Should -Be 0
    }

    It 'sets only the named settings, in Senso''s spelling, and shows old and new values in verbose' {
        Set-ClassLinkIntegrationSetting -AutomaticallyCreateUsers $true -DefaultRole teacher -DefaultSite 'north campus'
        $saved = Set-ClassLinkIntegrationSetting -DefaultRole Administrator -PassThru -Verbose 4>&1
        $verbose = @($saved | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $settings = $saved | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }

        ($verbose | Out-String) | Should -Match "DefaultRole from 'Teacher' to 'Administrator'"
        $settings.AutomaticallyCreateUsers | Should -BeTrue
        $settings.DefaultRole | Should -Be 'Administrator'
        $settings.DefaultSite | Should -Be 'North Campus'
    }

    It 'refuses an unknown role naming the closest valid names and changes nothing' {
        Set-ClassLinkIntegrationSetting -DefaultRole Teacher -DefaultSite Main
        $err = { Set-ClassLinkIntegrationSetting -AutomaticallyCreateUsers $true -DefaultRole Techer } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'RoleNotFound*'
        $err.Exception.Message | Should -Match "no role named 'Techer'. Closest valid names: Teacher"
        (Get-ClassLinkIntegrationSetting).AutomaticallyCreateUsers | Should -BeFalse
        { Set-ClassLinkIntegrationSetting -DefaultSite Mian } | Should -Throw -ExpectedMessage "*no site named 'Mian'*Main*"
    }

    It 'clears a default with an empty name' {
        Set-ClassLinkIntegrationSetting -DefaultRole Teacher -DefaultSite Main
        Set-ClassLinkIntegrationSetting -DefaultRole ''
        (Get-ClassLinkIntegrationSetting).DefaultRole | Should -BeNullOrEmpty
        (Get-ClassLinkIntegrationSetting).DefaultSite | Should -Be 'Main'
    }

    It 'writes nothing under -WhatIf' {
        Set-ClassLinkIntegrationSetting -AutomaticallyCreateUsers $true -DefaultRole Teacher -WhatIf
        (Get-ClassLinkIntegrationSetting).AutomaticallyCreateUsers | Should -BeFalse
        (Get-ClassLinkIntegrationSetting).DefaultRole | Should -BeNullOrEmpty
    }

    It 'takes settings from the pipeline by property name' {
        [pscustomobject]@{ AutomaticallyCreateUsers = $true; DefaultRole = 'Teacher'; DefaultSite = 'Main' } | Set-ClassLinkIntegrationSetting
        $settings = Get-ClassLinkIntegrationSetting
        ($settings.AutomaticallyCreateUsers, $settings.DefaultRole, $settings.DefaultSite) | Should -Be @($true, 'Teacher', 'Main')
    }
}
