BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:SENSOCLASSLINK_MODULE -Force
}

Describe 'Get-SensoUser' {
    BeforeAll {
        $folder = Join-Path $TestDrive 'users'
        New-Item -ItemType Directory -Path $folder | Out-Null
        New-TestDistrict -Path (Join-Path $folder 'district') | Out-Null
        $config = New-TestConfiguration -Folder $folder
        Connect-SensoClassLink -ConfigPath $config
        # Seed users through the engine, as an import would.
        $tenant = New-CoreObject SensoClassLink.Core.Senso.Local.LocalTenantProvider -ArgumentList @((Join-Path $folder 'senso-tenant.db'), [string[]]@('Teacher'), [string[]]@('Main'))
        foreach ($email in 'jane.doe@district.example', 'omar.haddad@district.example') {
            $user = New-CoreObject SensoClassLink.Core.Senso.NewSensoUser -Property @{ Email = $email; DisplayName = $email.Split('@')[0]; Role = 'Teacher'; Site = 'Main'; SourcedIds = [string[]]@('t-x') }
            $created = $tenant.CreateUser($user)
        }
        # Omar left: his account is suspended (kept, cannot sign in).
        $suspended = $tenant.GetType().GetMethod('SetUserStatus').GetParameters()[1].ParameterType
        $tenant.SetUserStatus($created.User.Id, [Enum]::Parse($suspended, 'Suspended')) | Out-Null
        $tenant.Dispose()
        Connect-SensoClassLink -ConfigPath $config
    }

    It 'finds a user by exact email, case-insensitively' {
        $user = Get-SensoUser -Email ' Jane.Doe@DISTRICT.example '
        $user.Email | Should -Be 'jane.doe@district.example'
        $user.Source | Should -Be 'classlink'
        $user.PSObject.TypeNames[0] | Should -Be 'SensoClassLink.Models.SensoUserInfo'
    }

    It 'writes a non-terminating error with the email as target for an unknown user and goes on' {
        $found = @('nobody@district.example', 'omar.haddad@district.example' | Get-SensoUser -ErrorVariable problems -ErrorAction SilentlyContinue)
        $found.Email | Should -Be @('omar.haddad@district.example')
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'SensoUserNotFound*'
        $problems[0].TargetObject | Should -Be 'nobody@district.example'
    }

    It 'binds Email by property name from the roster' {
        $accounts = @(Get-ClassLinkTeacher | Get-SensoUser -ErrorAction SilentlyContinue)
        $accounts.Email | Sort-Object | Should -Be @('jane.doe@district.example', 'omar.haddad@district.example')
    }

    It 'lists all users or searches email and name' {
        @(Get-SensoUser).Count | Should -Be 2
        (Get-SensoUser -Search HADDAD).Email | Should -Be 'omar.haddad@district.example'
        Get-SensoUser -Search nomatch | Should -BeNullOrEmpty
    }

    It 'shows each user''s Status and lists only those with -Status' {
        $jane = Get-SensoUser -Email jane.doe@district.example
        $jane.Status.GetType().FullName | Should -Be 'SensoClassLink.Core.Senso.SensoUserStatus'
        Get-PropertyText $jane Status | Should -BeExactly 'Active|Active|Active'
        Get-PropertyText (Get-SensoUser -Email omar.haddad@district.example) Status | Should -BeExactly 'Suspended|Suspended|Suspended'
        (Get-SensoUser -Status Suspended).Email | Should -Be 'omar.haddad@district.example'
        (Get-SensoUser -Status active).Email | Should -Be 'jane.doe@district.example'
        Get-SensoUser -Search jane -Status Suspended | Should -BeNullOrEmpty
        (Get-SensoUser -Email omar.haddad@district.example | Out-String -Width 200) | Should -Match 'Suspended'
        { Get-SensoUser -Status Deleted } | Should -Throw
    }

    It 'round-trips through Export-Csv and Import-Csv into Get-SensoGroup by property name' {
        $csv = Join-Path $TestDrive 'users.csv'
        Get-SensoUser -Email jane.doe@district.example | Export-Csv $csv -NoTypeInformation
        { Import-Csv $csv | Get-SensoGroup } | Should -Not -Throw
        (Import-Csv $csv | Get-SensoUser).Email | Should -Be 'jane.doe@district.example'
    }
}
