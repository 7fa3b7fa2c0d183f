# Departed teachers end to end over the CSV example district (examples/district) and the local tenant: a teacher whose
# record turns tobedeleted is listed, suspended after SuspendAfterDays consecutive roster dates (-AsOf), never deleted,
# and reactivated with her groups when she returns; the suspension brake holds; a hand-made Senso user is never touched.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:SENSOCLASSLINK_MODULE -Force
    $script:Example = Join-Path $PSScriptRoot '..' '..' 'examples' 'district'
    $script:Jane = 'jane.doe@riverside.example'
    $script:Omar = 'omar.haddad@riverside.example'
    $script:Day = [datetime]'2026-01-05'

    function New-DepartureWorld {
        # The example district in its own folder, connected, with automatic creation on, after a first run on $Day.
        param([int] $MaxSuspensions = 50, [switch] $WithHandMadeUser)
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $folder | Out-Null
        Copy-Item -Path $script:Example -Destination (Join-Path $folder 'district') -Recurse
        $config = New-TestConfiguration -Folder $folder -Extra "import:`n  maxSuspensionsPerRun: $MaxSuspensions"
        Connect-SensoClassLink -ConfigPath $config
        Set-ClassLinkIntegrationSetting -AutomaticallyCreateUsers $true -DefaultRole Teacher -DefaultSite Main
        if ($WithHandMadeUser) {
            # An account an administrator made in Senso (source senso), not in the roster.
            $tenant = New-CoreObject SensoClassLink.Core.Senso.Local.LocalTenantProvider -ArgumentList @((Join-Path $folder 'senso-tenant.db'), [string[]]@('Teacher'), [string[]]@('Main'))
            $user = New-CoreObject SensoClassLink.Core.Senso.NewSensoUser -Property @{ Email = 'office@riverside.example'; Role = 'Teacher'; Site = 'Main'; SourcedIds = [string[]]@('x-office') }
            $tenant.CreateUser($user, 'senso') | Out-Null
            $tenant.Dispose()
        }
        $first = Invoke-ClassLinkSync -AsOf $script:Day
        $first.Status | Should -Be 'Completed'
        return [pscustomobject]@{ Folder = $folder; Users = (Join-Path $folder 'district' 'users.csv') }
    }

    function Set-TeacherStatus {
        # Sets the status column of a teacher's users.csv row (tobedeleted: departed; '' : back).
        param([Parameter(Mandatory)] $World, [Parameter(Mandatory)] [string] $SourcedId, [string] $Status = '')
        (Get-Content $World.Users) -replace "^$SourcedId,[^,]*,", "$SourcedId,$Status," | Set-Content $World.Users
    }

    function Get-Decision($Run, [string] $Email) { $Run.Decisions | Where-Object Email -eq $Email }
}

Describe 'Invoke-ClassLinkSync and departed teachers' {
    It 'with SuspendAfterDays 0 suspends a departed teacher in that run, keeping the account; -WhatIf only says so' {
        $world = New-DepartureWorld
        $id = (Get-SensoUser -Email $Jane).Id
        Set-ClassLinkIntegrationSetting -SuspendDepartedUsers $true -SuspendAfterDays 0
        Set-TeacherStatus $world 't-01' 'tobedeleted'

        $plan = Invoke-ClassLinkSync -AsOf $Day.AddDays(1) -WhatIf
        (Get-Decision $plan $Jane).Action | Should -Be 'WouldSuspend'
        (Get-SensoUser -Email $Jane).Status | Should -Be 'Active'

        $report = Join-Path $world.Folder 'report.csv'
        $run = Invoke-ClassLinkSync -AsOf $Day.AddDays(1) -ReportPath $report

        $run.Status | Should -Be 'Completed'
        $decision = Get-Decision $run $Jane
        ($decision.Action, $decision.DaysDeparted) | Should -Be @('Suspended', 0)
        ($run.UsersDeparted, $run.UsersSuspended) | Should -Be @(1, 1)
        $account = Get-SensoUser -Email $Jane
        ($account.Id, $account.Status) | Should -Be @($id, 'Suspended')
        @(Get-SensoUser -Status Suspended).Email | Should -Be $Jane
        (Get-SensoUser -Email $Omar).Status | Should -Be 'Active'
        $row = Import-Csv $report | Where-Object Email -eq $Jane
        ($row.Action, $row.DaysDeparted) | Should -Be @('Suspended', '0')
        (Get-ClassLinkSyncRun -Last 1).UsersSuspended | Should -Be 1
    }

    It 'with SuspendAfterDays 2 suspends only on the third consecutive roster date, listing the days before' {
        $world = New-DepartureWorld
        Set-ClassLinkIntegrationSetting -SuspendDepartedUsers $true -SuspendAfterDays 2
        Set-TeacherStatus $world 't-01' 'tobedeleted'

        $day1 = Invoke-ClassLinkSync -AsOf $Day.AddDays(1)
        $day2 = Invoke-ClassLinkSync -AsOf $Day.AddDays(2)
        (Get-SensoUser -Email $Jane).Status | Should -Be 'Active'
        $day3 = Invoke-ClassLinkSync -AsOf $Day.AddDays(3)

        ((Get-Decision $day1 $Jane).Action, (Get-Decision $day1 $Jane).Reason, (Get-Decision $day1 $Jane).DaysDeparted) | Should -Be @('Departed', 'NotYetDue', 0)
        (Get-Decision $day2 $Jane).DaysDeparted | Should -Be 1
        ((Get-Decision $day3 $Jane).Action, (Get-Decision $day3 $Jane).DaysDeparted) | Should -Be @('Suspended', 2)
        (Get-SensoUser -Email $Jane).Status | Should -Be 'Suspended'
    }

    It 'reactivates a returning teacher and gives her groups back' {
        $world = New-DepartureWorld
        Set-ClassLinkIntegrationSetting -SuspendDepartedUsers $true -SuspendAfterDays 0
        $groups = @(Get-SensoGroup -Owner $Jane).Key
        $groups.Count | Should -BeGreaterThan 0
        Set-TeacherStatus $world 't-01' 'tobedeleted'
        Invoke-ClassLinkSync -AsOf $Day.AddDays(1) | Out-Null
        (Get-SensoUser -Email $Jane).Status | Should -Be 'Suspended'
        @(Get-SensoGroup -Owner $Jane).Count | Should -Be 0
        Set-TeacherStatus $world 't-01' ''

        $back = Invoke-ClassLinkSync -AsOf $Day.AddDays(2)

        $back.Status | Should -Be 'Completed'
        ((Get-Decision $back $Jane).Action, (Get-Decision $back $Jane).GroupSync) | Should -Be @('Reactivated', 'Synced')
        $back.UsersReactivated | Should -Be 1
        (Get-SensoUser -Email $Jane).Status | Should -Be 'Active'
        @(Get-SensoGroup -Owner $Jane).Key | Should -Be $groups
    }

    It 'Import-SensoUser of a suspended teacher whose record is back reactivates her, as the sync would' {
        $world = New-DepartureWorld
        Set-ClassLinkIntegrationSetting -SuspendDepartedUsers $true -SuspendAfterDays 0
        Set-TeacherStatus $world 't-01' 'tobedeleted'
        Invoke-ClassLinkSync -AsOf $Day.AddDays(1) | Out-Null
        Set-TeacherStatus $world 't-01' ''

        $result = Import-SensoUser -Email $Jane -WarningAction SilentlyContinue

        ($result.Status, $result.GroupSync) | Should -Be @('Reactivated', 'Completed')
        (Get-SensoUser -Email $Jane).Status | Should -Be 'Active'
        @(Get-SensoGroup -Owner $Jane).Count | Should -BeGreaterThan 0
    }

    It 'holds a run with more suspensions than import.maxSuspensionsPerRun, suspending none, until -Force' {
        $world = New-DepartureWorld -MaxSuspensions 1
        Set-ClassLinkIntegrationSetting -SuspendDepartedUsers $true -SuspendAfterDays 0
        Set-TeacherStatus $world 't-01' 'tobedeleted'
        Set-TeacherStatus $world 't-02' 'tobedeleted'

        $held = Invoke-ClassLinkSync -AsOf $Day.AddDays(1) -WarningAction SilentlyContinue

        $held.Status | Should -Be 'Held'
        $held.Message | Should -Match '2 departed users would be suspended, more than import.maxSuspensionsPerRun \(1\)'
        @(Get-SensoUser -Status Suspended).Count | Should -Be 0

        $forced = Invoke-ClassLinkSync -AsOf $Day.AddDays(1) -Force
        $forced.UsersSuspended | Should -Be 2
        @(Get-SensoUser -Status Suspended).Email | Should -Be @($Jane, $Omar)
    }

    It 'never suspends a user made by hand in Senso' {
        New-DepartureWorld -WithHandMadeUser | Out-Null
        Set-ClassLinkIntegrationSetting -SuspendDepartedUsers $true -SuspendAfterDays 0

        $run = Invoke-ClassLinkSync -AsOf $Day.AddDays(1)

        $run.Status | Should -Be 'Completed'
        $run.UsersDeparted | Should -Be 0
        @(Get-Decision $run 'office@riverside.example').Count | Should -Be 0
        $office = Get-SensoUser -Email 'office@riverside.example'
        ($office.Status, $office.Source) | Should -Be @('Active', 'senso')
    }
}
