BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:SENSOCLASSLINK_MODULE -Force
}

Describe 'Get-SensoGroup' {
    BeforeAll {
        $folder = Join-Path $TestDrive 'groups'
        New-Item -ItemType Directory -Path $folder | Out-Null
        New-TestDistrict -Path (Join-Path $folder 'district') | Out-Null
        $config = New-TestConfiguration -Folder $folder
        Connect-SensoClassLink -ConfigPath $config
        $tenant = New-CoreObject SensoClassLink.Core.Senso.Local.LocalTenantProvider -ArgumentList @((Join-Path $folder 'senso-tenant.db'), [string[]]@('Teacher'), [string[]]@('Main'))
        foreach ($email in 'jane.doe@district.example', 'omar.haddad@district.example') {
            $tenant.CreateUser((New-CoreObject SensoClassLink.Core.Senso.NewSensoUser -Property @{ Email = $email; DisplayName = $email; Role = 'Teacher'; Site = 'Main' })) | Out-Null
        }
        $algebra = New-CoreObject SensoClassLink.Core.Senso.SensoGroup -Property @{ Key = 'c-1'; Name = 'Algebra I'; Owners = [string[]]@('jane.doe@district.example', 'omar.haddad@district.example'); Members = [string[]]@('ana.lima@students.example', 'ben.ode@students.example') }
        $biology = New-CoreObject SensoClassLink.Core.Senso.SensoGroup -Property @{ Key = 'c-2'; Name = 'Biology'; Members = [string[]]@('s-3') }
        $groupList = { param($items) $list = [Array]::CreateInstance($algebra.GetType(), $items.Count); for ($i = 0; $i -lt $items.Count; $i++) { $list[$i] = $items[$i] }; , $list }
        $tenant.ReplaceUserGroups('jane.doe@district.example', (& $groupList @($algebra))) | Out-Null
        $tenant.ReplaceUserGroups('omar.haddad@district.example', (& $groupList @($algebra, $biology))) | Out-Null
        $tenant.Dispose()
        Connect-SensoClassLink -ConfigPath $config
    }

    It 'lists every group with key, name, owners and members' {
        $groups = @(Get-SensoGroup)
        $groups.Key | Should -Be @('c-1', 'c-2')
        $groups[0].Owners | Should -Be @('jane.doe@district.example', 'omar.haddad@district.example')
        $groups[0].MemberCount | Should -Be 2
        $groups[1].Members | Should -Be @('s-3')
        $groups[0].PSObject.TypeNames[0] | Should -Be 'SensoClassLink.Models.SensoGroupInfo'
    }

    It 'shows only the groups an owner owns, case-insensitively' {
        (Get-SensoGroup -Owner JANE.DOE@district.example).Key | Should -Be 'c-1'
        (Get-SensoGroup -Owner omar.haddad@district.example).Key | Should -Be @('c-1', 'c-2')
        Get-SensoGroup -Owner nobody@district.example | Should -BeNullOrEmpty
    }

    It 'takes owners from Get-SensoUser output by property name' {
        (Get-SensoUser -Email jane.doe@district.example | Get-SensoGroup).Name | Should -Be 'Algebra I'
    }

    It 'formats a table with owners joined' {
        $text = Get-SensoGroup | Out-String -Width 250
        $text | Should -Match 'Key\s+Name\s+Members\s+Owners'
        $text | Should -Match 'jane.doe@district.example, omar.haddad@district.example'
    }
}

Describe 'Get-SensoGroup names groups by import.groupName (the CSV example district)' {
    BeforeAll {
        $repoRoot = Resolve-Path (Join-Path $PSScriptRoot '../..')
        $folder = Join-Path $TestDrive 'named'
        New-Item -ItemType Directory -Path $folder | Out-Null
        $asOf = [datetime]'2025-10-01'
        $classes = @{}
        Import-Csv -LiteralPath (Join-Path $repoRoot 'examples/district/classes.csv') | ForEach-Object { $classes[$_.sourcedId] = $_ }

        function Invoke-NamedSync([string] $Template, [switch] $WhatIf) {
            # A configuration edited between runs, as a district would: the next run reads the new template.
            $config = New-TestConfiguration -Folder $folder -DistrictPath (Join-Path $repoRoot 'examples/district') -Extra "import:`n  groupName: '$Template'"
            Connect-SensoClassLink -ConfigPath $config
            if (-not $WhatIf) { Set-ClassLinkIntegrationSetting -AutomaticallyCreateUsers $true -DefaultRole Teacher -DefaultSite Main }
            Invoke-ClassLinkSync -AsOf $asOf -WhatIf:$WhatIf -WarningAction SilentlyContinue
        }

        $first = Invoke-NamedSync '{classCode} {title}'
        $before = @(Get-SensoGroup)
    }

    It 'gives each group the classCode and the title' {
        $first.Status | Should -Be 'Completed'
        $before.Count | Should -BeGreaterThan 5
        foreach ($group in $before) {
            $class = $classes[$group.Key]
            $group.Name | Should -BeExactly "$($class.classCode) $($class.title)"
        }
        ($before | Where-Object Key -EQ 'c-alg1').Name | Should -BeExactly 'C-ALG1 Algebra I'
        ($before | Where-Object Key -EQ 'c-geo').Name | Should -BeExactly 'C-GEO Geometry, Period 2'
    }

    It 'shows the renames under -WhatIf and writes nothing' {
        $preview = Invoke-NamedSync '{title} ({classCode})' -WhatIf
        @($preview.Decisions | Where-Object GroupSync -EQ 'WouldSync').GroupsUpdated | Sort-Object -Unique | Should -Be @($before.Key | Sort-Object)
        (Get-SensoGroup).Name | Should -Be $before.Name
    }

    It 'renames the groups in the next run when the template changes, keeping their members and owners' {
        $second = Invoke-NamedSync '{title} ({classCode})'
        $second.Status | Should -Be 'Completed'
        $after = @(Get-SensoGroup)
        $after.Key | Should -Be $before.Key
        for ($i = 0; $i -lt $after.Count; $i++) {
            $class = $classes[$after[$i].Key]
            $after[$i].Name | Should -BeExactly "$($class.title) ($($class.classCode))"
            $after[$i].Members | Should -Be $before[$i].Members
            $after[$i].Owners | Should -Be $before[$i].Owners
        }
        # Renamed in place: every group updated, none removed and re-created.
        $synced = @($second.Decisions | Where-Object GroupSync -EQ 'Synced')
        $synced.Count | Should -BeGreaterThan 0
        @($synced.GroupsUpdated | Sort-Object -Unique) | Should -Be @($before.Key | Sort-Object)
        ($second.Decisions | ForEach-Object { $_.GroupsAdded.Count + $_.GroupsRemoved.Count } | Measure-Object -Sum).Sum | Should -Be 0

        # The same template again: nothing to resync.
        $third = Invoke-NamedSync '{title} ({classCode})'
        @($third.Decisions | Where-Object GroupSync -EQ 'Synced').Count | Should -Be 0
    }
}
