# User Import end to end: the real cmdlets on a small district, against the local tenant here and against the Senso
# API contract server when SensoApiProvider.EndToEnd.Tests.ps1 runs this file in a child pwsh that trusts its certificate.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'SensoApiTestServer.psm1') -Force
    $providers = @(@{ Provider = Get-TestSensoProvider })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'SensoApiTestServer.psm1') -Force
    Import-Module $env:SENSOCLASSLINK_MODULE -Force

    function New-ImportWorld([string] $Provider) {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-TestDistrict -Path (Join-Path $folder 'district') | Out-Null
        $config = New-ProviderTestConfiguration -Folder $folder -Provider $Provider
        (Connect-SensoClassLink -ConfigPath $config -PassThru).SensoProvider | Should -Be $Provider
        return $folder
    }
}

Describe 'Import-SensoUser (<Provider> Senso provider)' -ForEach $providers {
    BeforeEach { $world = New-ImportWorld -Provider $Provider }
    AfterEach { Stop-SensoApiTestServer -All }

    It 'imports one teacher with the chosen role and site and syncs their groups' {
        $result = Import-SensoUser -Email 'Jane.Doe@district.example' -Role teacher -Site 'north campus'

        $result.PSObject.TypeNames[0] | Should -Be 'SensoClassLink.Models.SensoUserImportResult'
        $result.Status | Should -Be 'Created'
        $result.Email | Should -Be 'jane.doe@district.example'
        $result.DisplayName | Should -Be 'Jane Doe'
        $result.Role | Should -Be 'Teacher'
        $result.Site | Should -Be 'North Campus'
        $result.UserId | Should -Not -BeNullOrEmpty
        $result.GroupSync | Should -Be 'Completed'
        $user = Get-SensoUser -Email 'jane.doe@district.example'
        $user.Role | Should -Be 'Teacher'
        $user.Site | Should -Be 'North Campus'
        @(Get-SensoGroup -Owner 'jane.doe@district.example').Key | Should -Be @('c-1')
    }

    It 'renames the account of a teacher whose roster email changed (same sourcedId) instead of creating a second one' {
        $first = Import-SensoUser -Email 'jane.doe@district.example' -Role Teacher -Site Main
        $users = Join-Path $world 'district/users.csv'
        (Get-Content -LiteralPath $users) -replace 'Jane\.Doe@district\.example', 'Jane.Smith@district.example' | Set-Content -LiteralPath $users

        $preview = Import-SensoUser -Email 'jane.smith@district.example' -Role Teacher -Site Main -WhatIf
        $preview.Status | Should -Be 'WhatIf'
        $preview.PreviousEmail | Should -Be 'jane.doe@district.example'
        (Get-SensoUser -Email 'jane.doe@district.example').Id | Should -Be $first.UserId

        $renamed = Import-SensoUser -Email 'jane.smith@district.example' -Role Teacher -Site Main -InformationVariable overview

        $renamed.Status | Should -Be 'Renamed'
        $renamed.PreviousEmail | Should -Be 'jane.doe@district.example'
        $renamed.UserId | Should -Be $first.UserId
        $renamed.GroupSync | Should -Be 'Completed'
        ($overview | Out-String) | Should -Match 'Import: 0 created, 1 renamed, 0 existing, 0 failed'
        @(Get-SensoUser).Count | Should -Be 1
        (Get-SensoUser -Email 'jane.smith@district.example').Id | Should -Be $first.UserId
        @(Get-SensoGroup -Owner 'jane.smith@district.example').Key | Should -Be @('c-1')
        @(Get-SensoGroup -Owner 'jane.doe@district.example').Count | Should -Be 0
    }

    It 'bulk-imports every eligible teacher in input order with an overview' {
        $results = Get-ClassLinkTeacher | Import-SensoUser -Role Teacher -Site Main -InformationVariable overview

        @($results.Email) | Should -Be @('jane.doe@district.example', 'omar.haddad@district.example')
        @($results.Status | Select-Object -Unique) | Should -Be @('Created')
        ($overview | Out-String) | Should -Match 'Import: 2 created, 0 existing, 0 failed'
        @(Get-SensoUser).Count | Should -Be 2
    }

    It 'fails an ineligible or unknown teacher with its reason, as an error targeting the input, without stopping the others' {
        $inputs = Get-ClassLinkTeacher -IncludeIneligible
        $inputs += [pscustomobject]@{ Email = 'nobody@elsewhere.example'; Eligible = $true }
        $results = $inputs | Import-SensoUser -Role Teacher -Site Main -ErrorVariable failures -ErrorAction SilentlyContinue

        ($results | Where-Object Email -eq 'lee.park@district.example').Status | Should -Be 'Failed'
        ($results | Where-Object Email -eq 'lee.park@district.example').Reason | Should -Be 'NoStudents'
        ($results | Where-Object Email -eq 'nobody@elsewhere.example').Reason | Should -Be 'NotInRoster'
        @($results | Where-Object Status -eq 'Created').Count | Should -Be 2
        $failures.Count | Should -Be 2
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ImportFailed.NoStudents*'
        $failures[0].TargetObject.Email | Should -Be 'lee.park@district.example'
        $failures[1].TargetObject.Email | Should -Be 'nobody@elsewhere.example'
    }

    It 'never trusts Eligible from the input object' {
        $forged = [pscustomobject]@{ Email = 'lee.park@district.example'; Eligible = $true; Reason = 'Eligible' }
        $result = $forged | Import-SensoUser -Role Teacher -Site Main -ErrorAction SilentlyContinue
        $result.Status | Should -Be 'Failed'
        $result.Reason | Should -Be 'NoStudents'
        Get-SensoUser -Email 'lee.park@district.example' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'is idempotent: a second run reports Exists and creates nothing' {
        Get-ClassLinkTeacher | Import-SensoUser -Role Teacher -Site Main | Out-Null
        $second = Get-ClassLinkTeacher | Import-SensoUser -Role Administrator -Site 'North Campus'

        @($second.Status | Select-Object -Unique) | Should -Be @('Exists')
        @(Get-SensoUser).Count | Should -Be 2
        (Get-SensoUser -Email 'jane.doe@district.example').Role | Should -Be 'Teacher' -Because 'Exists leaves role and site alone'
    }

    It 'creates one user for two inputs with the same email' {
        $results = 'jane.doe@district.example', 'JANE.DOE@district.example' | Import-SensoUser -Role Teacher -Site Main
        @($results.Status) | Should -Be @('Created', 'Exists')
        @(Get-SensoUser).Count | Should -Be 1
    }

    It 'binds rows from Import-Csv by property name' {
        $csv = Join-Path $world 'approved.csv'
        Get-ClassLinkTeacher | Select-Object Email, GivenName, FamilyName | Export-Csv $csv -NoTypeInformation
        $results = Import-Csv $csv | Import-SensoUser -Role Teacher -Site Main
        @($results.Status) | Should -Be @('Created', 'Created')
    }

    It 'writes nothing under -WhatIf and still answers for every input' {
        $results = Get-ClassLinkTeacher -IncludeIneligible | Import-SensoUser -Role Teacher -Site Main -WhatIf -ErrorAction SilentlyContinue

        @($results).Count | Should -Be 3
        @($results | Where-Object Status -eq 'WhatIf').Count | Should -Be 2
        ($results | Where-Object Email -eq 'lee.park@district.example').Reason | Should -Be 'NoStudents'
        @(Get-SensoUser).Count | Should -Be 0
        Join-Path $world 'state.db' | Should -Not -Exist
        Get-SensoGroupSyncJob | Should -BeNullOrEmpty
    }

    It 'honours $WhatIfPreference like -WhatIf' {
        $results = & {
            $WhatIfPreference = $true
            Get-ClassLinkTeacher | Import-SensoUser -Role Teacher -Site Main
        }
        @($results.Status | Select-Object -Unique) | Should -Be @('WhatIf')
        @(Get-SensoUser).Count | Should -Be 0
    }

    It 'stops before any write when the role is unknown, naming the closest roles' {
        $err = { Get-ClassLinkTeacher | Import-SensoUser -Role Techer -Site Main } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'RoleNotFound*'
        $err.Exception.Message | Should -Match "no role named 'Techer'.*Teacher"
        @(Get-SensoUser).Count | Should -Be 0
    }

    It 'queues the group sync without running it under -QueueOnly' {
        $result = Import-SensoUser -Email 'jane.doe@district.example' -Role Teacher -Site Main -QueueOnly
        $result.GroupSync | Should -Be 'Queued'
        (Get-SensoGroupSyncJob -Email 'jane.doe@district.example').Status | Should -Be 'Queued'
        Get-SensoGroup -Owner 'jane.doe@district.example' | Should -BeNullOrEmpty
    }

    It 'records each decision in the import journal of the state store' {
        Get-ClassLinkTeacher -IncludeIneligible | Import-SensoUser -Role Teacher -Site Main -ErrorAction SilentlyContinue | Out-Null
        $state = Join-Path $world 'state.db'
        $state | Should -Exist
    }

    It 'reads the district once for Get-ClassLinkTeacher | Import-SensoUser and shows the data-quality warning once' {
        $district = [IO.Path]::GetFullPath((Join-Path $world 'district'))
        Add-Content (Join-Path $district 'enrollments.csv') 'e-dangling,,,c-1,sch-1,nobody,student,,,'
        $core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'SensoClassLink.Core' } | Select-Object -Last 1
        $opens = $core.GetType('SensoClassLink.Core.OneRoster.CsvFileOpens', $true)
        $files = 'orgs.csv', 'users.csv', 'classes.csv', 'enrollments.csv'
        $before = @($files | ForEach-Object { $opens::Count((Join-Path $district $_)) })

        $all = & { Get-ClassLinkTeacher | Import-SensoUser -Role Teacher -Site Main } 3>&1
        $warnings = @($all | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $results = @($all | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] })

        $after = @($files | ForEach-Object { $opens::Count((Join-Path $district $_)) })
        for ($i = 0; $i -lt $files.Count; $i++) { $after[$i] - $before[$i] | Should -Be 1 -Because "$($files[$i]) is read once" }
        @($warnings | Where-Object { "$_" -match 'data-quality problem' }).Count | Should -Be 1
        @($results.GroupSync | Select-Object -Unique) | Should -Be @('Completed')
        @(Get-SensoGroup -Owner 'jane.doe@district.example').Key | Should -Be @('c-1')
    }

    It 'writes nothing on a roster not read to its end: RosterIncomplete, no account, queued jobs stay queued' {
        Sync-SensoUserGroup -Email 'jane.doe@district.example' -QueueOnly | Out-Null
        $enrollments = Join-Path $world 'district/enrollments.csv'
        $lines = [System.Collections.Generic.List[string]](Get-Content $enrollments)
        $lines.Insert(2, 'e-broken,,,"c-1,sch-1,t-1,teacher,true,,')
        Set-Content $enrollments $lines

        $err = { Import-SensoUser -Email 'jane.doe@district.example' -Role Teacher -Site Main -WarningAction SilentlyContinue } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'RosterIncomplete,*'
        $err.Exception.Message | Should -Match '^The roster could not be read completely \(.*enrollments.csv line 3: .*\), so nothing was written; queued group syncs stay queued\.'
        @(Get-SensoUser).Count | Should -Be 0
        (Get-SensoGroupSyncJob -Email 'jane.doe@district.example').Status | Should -Be 'Queued'
    }
}

Describe 'Import-SensoUser over a REST roster (<Provider> Senso provider)' -ForEach $providers {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'OneRosterTestServer.psm1') -Force
        $env:SCL_PESTER_OAUTH1_SECRET = 'pester-consumer-secret/+&'
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-TestDistrict -Path (Join-Path $folder 'district') | Out-Null
        $script:server = Start-OneRosterTestServer -DataFolder (Join-Path $folder 'district') -Argument @(
            '--consumer-key', 'test-consumer', '--consumer-secret', $env:SCL_PESTER_OAUTH1_SECRET)
        # The provider's configuration, with its CSV roster block swapped for the REST test server over the same district.
        $config = New-ProviderTestConfiguration -Folder $folder -Provider $Provider
        $yaml = (Get-Content -Raw $config) -replace '(?s)classlink:\r?\n.*?\r?\nsenso:', ("classlink:`n" + (Get-RestRosterYaml -BaseUrl $script:server.Url) + "`nsenso:")
        Set-Content -LiteralPath $config -Value $yaml
        (Connect-SensoClassLink -ConfigPath $config -PassThru).SensoProvider | Should -Be $Provider
    }
    AfterAll {
        Stop-OneRosterTestServer -Server $script:server
        Stop-SensoApiTestServer -All
    }

    It 'pulls each collection once for Get-ClassLinkTeacher | Import-SensoUser' {
        $before = @(Get-OneRosterTestServerRequest -Server $script:server)
        $results = Get-ClassLinkTeacher | Import-SensoUser -Role Teacher -Site Main
        $requests = @(Get-OneRosterTestServerRequest -Server $script:server | Select-Object -Skip $before.Count)

        @($results.GroupSync | Select-Object -Unique) | Should -Be @('Completed')
        foreach ($collection in 'orgs', 'users', 'classes', 'enrollments') {
            @($requests | Where-Object { $_ -match "/$collection$" }).Count | Should -Be 1 -Because "the import reuses the listing's pull of $collection"
        }
    }

    It 'evaluates and plans groups from one pull of each collection, with nothing kept on disk' {
        $emails = 'jane.doe@district.example', 'omar.haddad@district.example'
        $before = @(Get-OneRosterTestServerRequest -Server $script:server)
        # Piped emails are not a targeted lookup: the whole roster is read once, and the groups are planned from it.
        $emails | Import-SensoUser -Role Teacher -Site Main | Out-Null
        $requests = @(Get-OneRosterTestServerRequest -Server $script:server | Select-Object -Skip $before.Count)

        @(Get-SensoUser).Count | Should -Be 2
        $group = Get-SensoGroup -Owner 'jane.doe@district.example'
        $group.Key | Should -Be 'c-1'
        @($group.Owners) | Should -Be @('jane.doe@district.example', 'omar.haddad@district.example')
        @($group.Members) | Should -Be @('ana.lima@students.example', 'ben.ode@students.example')
        # The test district fits in one page per collection: one request per collection means one pull.
        foreach ($collection in 'orgs', 'users', 'classes', 'enrollments') {
            @($requests | Where-Object { $_ -match "/$collection$" }).Count | Should -Be 1 -Because "$collection is pulled once"
        }
        Get-ChildItem ([IO.Path]::GetTempPath()) -Directory -Filter "senso-classlink-roster-$PID-*" | Should -BeNullOrEmpty
    }
}
