# User Group Resync end to end on a small district, against the local tenant here and against the Senso API contract
# server when SensoApiProvider.EndToEnd.Tests.ps1 runs this file in a child pwsh that trusts its certificate.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'SensoApiTestServer.psm1') -Force
    $providers = @(@{ Provider = Get-TestSensoProvider })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'SensoApiTestServer.psm1') -Force
    Import-Module $env:SENSOCLASSLINK_MODULE -Force
}

Describe 'Sync-SensoUserGroup (<Provider> Senso provider)' -ForEach $providers {
    BeforeEach {
        $world = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $district = New-TestDistrict -Path (Join-Path $world 'district')
        (Connect-SensoClassLink -ConfigPath (New-ProviderTestConfiguration -Folder $world -Provider $Provider) -PassThru).SensoProvider | Should -Be $Provider
        Get-ClassLinkTeacher | Import-SensoUser -Role Teacher -Site Main | Out-Null
    }
    AfterEach { Stop-SensoApiTestServer -All }

    It 'makes a co-taught class one group with both teachers as owners' {
        $group = Get-SensoGroup -Owner 'jane.doe@district.example'
        $group.Key | Should -Be 'c-1'
        $group.Name | Should -Be 'Algebra I'
        @($group.Owners) | Should -Be @('jane.doe@district.example', 'omar.haddad@district.example')
        @($group.Members) | Should -Be @('ana.lima@students.example', 'ben.ode@students.example')
        @(Get-SensoGroup -Owner 'omar.haddad@district.example').Key | Should -Be @('c-1', 'c-2')
    }

    It 'adds a student who joined a class in the roster' {
        Add-Content (Join-Path $district 'users.csv') 's-9,,,true,sch-1,student,s9,,Dee,New,,,dee.new@students.example,,,,,'
        Add-Content (Join-Path $district 'enrollments.csv') 'e-9,,,c-1,sch-1,s-9,student,,,'

        $result = Sync-SensoUserGroup -Email 'jane.doe@district.example'

        $result.Status | Should -Be 'Completed'
        @($result.GroupsUpdated) | Should -Be @('c-1')
        (Get-SensoGroup -Owner 'jane.doe@district.example').Members | Should -Contain 'dee.new@students.example'
    }

    It 'shows the change under -WhatIf and writes nothing' {
        Add-Content (Join-Path $district 'enrollments.csv') 'e-10,,,c-2,sch-2,s-1,student,,,'
        $before = (Get-SensoGroup -Owner 'omar.haddad@district.example' | Where-Object Key -eq 'c-2').Members

        $result = Sync-SensoUserGroup -Email 'omar.haddad@district.example' -WhatIf

        $result.Status | Should -Be 'WhatIf'
        @($result.GroupsUpdated) | Should -Be @('c-2')
        (Get-SensoGroup -Owner 'omar.haddad@district.example' | Where-Object Key -eq 'c-2').Members | Should -Be $before
    }

    It 'removes a departed teacher from the co-taught group but keeps the group for the other owner' {
        $enrollments = Join-Path $district 'enrollments.csv'
        (Get-Content $enrollments) | Where-Object { $_ -notlike 'e-2,*' } | Set-Content $enrollments

        $result = Sync-SensoUserGroup -Email 'omar.haddad@district.example'

        @($result.GroupsRemoved) | Should -Be @('c-1')
        @(Get-SensoGroup -Owner 'omar.haddad@district.example').Key | Should -Be @('c-2')
        @((Get-SensoGroup -Owner 'jane.doe@district.example').Key) | Should -Be @('c-1')
    }

    It 'fails a user who is not in Senso with a clear reason and keeps the job for a retry' {
        $result = Sync-SensoUserGroup -Email 'stranger@district.example' -ErrorVariable failures -ErrorAction SilentlyContinue
        $result.Status | Should -Be 'Failed'
        $result.Reason | Should -Be 'NotInSenso'
        $failures[0].TargetObject | Should -Be 'stranger@district.example'
        $job = Get-SensoGroupSyncJob -Email 'stranger@district.example'
        $job.Attempts | Should -Be 1
        $job.LastError | Should -Match 'no Senso account'
    }

    It 'writes nothing when a roster file cannot be read to its end: no group, no job changed, queued jobs stay queued' {
        $enrollments = Join-Path $district 'enrollments.csv'
        $lines = [System.Collections.Generic.List[string]](Get-Content $enrollments)
        $lines.Insert(1, 'e-0,,,c-1,sch-1,"t-1"x,teacher,true,,')
        Set-Content $enrollments $lines
        $before = (Get-SensoGroup -Owner 'omar.haddad@district.example').Key
        Sync-SensoUserGroup -Email 'jane.doe@district.example' -QueueOnly | Out-Null
        $job = Get-SensoGroupSyncJob -Email 'omar.haddad@district.example'

        $err = { Sync-SensoUserGroup -Email 'omar.haddad@district.example' } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'RosterIncomplete,*'
        $err.Exception.Message | Should -Match '^The roster could not be read completely \(.*enrollments.csv line 2: .*\), so nothing was written; queued group syncs stay queued\.'
        (Get-SensoGroup -Owner 'omar.haddad@district.example').Key | Should -Be $before
        $after = Get-SensoGroupSyncJob -Email 'omar.haddad@district.example'
        ($after.Status, $after.Attempts, $after.UpdatedAt) | Should -Be @($job.Status, $job.Attempts, $job.UpdatedAt)
        (Get-SensoGroupSyncJob -Email 'jane.doe@district.example').Status | Should -Be 'Queued'
    }

    It 'accepts Senso users from the pipeline and -All' {
        @(Get-SensoUser | Sync-SensoUserGroup).Count | Should -Be 2
        @(Sync-SensoUserGroup -All).Status | Should -Be @('Completed', 'Completed')
    }

    It 'only queues under -QueueOnly' {
        $result = Sync-SensoUserGroup -Email 'jane.doe@district.example' -QueueOnly
        $result.Status | Should -Be 'Queued'
        (Get-SensoGroupSyncJob -Status Queued).Email | Should -Contain 'jane.doe@district.example'
    }
}
