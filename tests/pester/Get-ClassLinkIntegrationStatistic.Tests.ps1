# Integration statistics and run history after real data syncs on the local tenant.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:SENSOCLASSLINK_MODULE -Force
}

Describe 'Get-ClassLinkIntegrationStatistic and Get-ClassLinkSyncRun' {
    BeforeEach {
        $world = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-TestDistrict -Path (Join-Path $world 'district') | Out-Null
        Connect-SensoClassLink -ConfigPath (New-TestConfiguration -Folder $world)
    }

    It 'shows no run and creates no state file before the first sync' {
        $stats = Get-ClassLinkIntegrationStatistic
        $stats.PSObject.TypeNames[0] | Should -Be 'SensoClassLink.Models.ClassLinkIntegrationStatistic'
        $stats.LastRunStatus | Should -BeNullOrEmpty
        $stats.LastSuccessfulSyncAt | Should -BeNullOrEmpty
        Get-ClassLinkSyncRun | Should -BeNullOrEmpty
        Join-Path $world 'state.db' | Should -Not -Exist
    }

    It 'reports the last run, the users from ClassLink and the last successful sync' {
        Set-ClassLinkIntegrationSetting -AutomaticallyCreateUsers $true -DefaultRole Teacher -DefaultSite Main
        Invoke-ClassLinkSync | Out-Null
        Invoke-ClassLinkSync | Out-Null

        $stats = Get-ClassLinkIntegrationStatistic
        $stats.UsersFromClassLink | Should -Be 2
        $stats.PendingGroupSyncs | Should -Be 0
        $stats.FailedGroupSyncs | Should -Be 0
        $stats.LastRunStatus | Should -Be 'Completed'
        $stats.EligibleTeachers | Should -Be 2
        $stats.RosterTeachers | Should -Be 3
        $stats.LastSuccessfulSyncAge | Should -BeLessThan ([timespan]::FromMinutes(5))

        $runs = @(Get-ClassLinkSyncRun)
        $runs.Count | Should -Be 2
        $runs[0].PSObject.TypeNames[0] | Should -Be 'SensoClassLink.Models.ClassLinkSyncRun'
        $runs[1].UsersCreated | Should -Be 2
        $runs[0].UsersCreated | Should -Be 0
        @(Get-ClassLinkSyncRun -Last 1).Count | Should -Be 1
        (Get-ClassLinkSyncRun -Last 1).RunId | Should -Be $runs[0].RunId
    }

    It 'formats runs as a table and exports them to CSV' {
        Set-ClassLinkIntegrationSetting -AutomaticallyCreateUsers $true -DefaultRole Teacher -DefaultSite Main
        Invoke-ClassLinkSync | Out-Null
        (Get-ClassLinkSyncRun | Out-String) | Should -Match 'Status\s+WhatIf'
        $schoolYear = Get-ClassLinkSyncRun | Format-Table -View SchoolYear | Out-String -Width 200
        $schoolYear | Should -Match 'Status\s+WhatIf\s+Renamed\s+Departed\s+Suspended\s+Reactivated\s+GroupsRemoved\s+Message'
        $schoolYear | Should -Match 'Completed\s+False\s+0\s+0\s+0\s+0\s+0'
        (Get-ClassLinkIntegrationStatistic | Out-String -Width 200) | Should -Match 'UsersRenamed\s*:\s*0\s+UsersDeparted\s*:\s*0\s+UsersSuspended\s*:\s*0\s+UsersReactivated\s*:\s*0\s+GroupsRemoved\s*:\s*0'
        $csv = Join-Path $world 'runs.csv'
        Get-ClassLinkSyncRun | Export-Csv $csv -NoTypeInformation
        (Import-Csv $csv).Status | Should -Be 'Completed'
    }
}
