# The Roster Server data sync end to end: a generated district, the local tenant, the real cmdlets.
# Every scenario runs on two roster sources: the CSV folder itself, and the same folder served by the loopback
# OneRoster test server over REST 1.1 with OAuth 1.0a. The server runs with --reload, so the suite's CSV edits
# between runs reach the REST source exactly as they reach the CSV one.
BeforeDiscovery {
    $sources = @(@{ Source = 'csv' }, @{ Source = 'api' })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'OneRosterTestServer.psm1') -Force
    Import-Module $env:SENSOCLASSLINK_MODULE -Force
    $env:SCL_PESTER_OAUTH1_SECRET = 'pester-consumer-secret/+&'
    $script:servers = [System.Collections.Generic.List[object]]::new()

    function New-SyncDistrict {
        <#
            Writes a OneRoster 1.1 CSV district: $Teachers teachers t1..tN, each teaching class c<i> with two students
            (s<i>a, s<i>b); t1 and t2 co-teach c1; one teacher (t-empty) whose only class has no student; one student
            without an email. Teacher t3's sourcedId starts with '@' to test report neutralization.
        #>
        param([Parameter(Mandatory)] [string] $Path, [int] $Teachers = 24)
        New-Item -ItemType Directory -Path $Path -Force | Out-Null
        $users = [System.Collections.Generic.List[string]]::new()
        $classes = [System.Collections.Generic.List[string]]::new()
        $enrollments = [System.Collections.Generic.List[string]]::new()
        $users.Add('sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password')
        $classes.Add('sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods')
        $enrollments.Add('sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate')
        for ($i = 1; $i -le $Teachers; $i++) {
            $school = if ($i % 2) { 'sch-1' } else { 'sch-2' }
            $id = if ($i -eq 3) { '@t3' } else { "t$i" }
            $users.Add("$id,,,true,$school,teacher,t$i,,Teacher,Number$i,,,t$i@district.example,,,,,")
            $users.Add("s${i}a,,,true,$school,student,s${i}a,,Stu,A$i,,,s${i}a@students.example,,,,,")
            $users.Add("s${i}b,,,true,$school,student,s${i}b,,Stu,B$i,,,s${i}b@students.example,,,,,")
            $classes.Add("c$i,,,Class $i,,,C$i,scheduled,,$school,,,,")
            $enrollments.Add("e-t$i,,,c$i,$school,$id,teacher,true,,")
            $enrollments.Add("e-s${i}a,,,c$i,$school,s${i}a,student,,,")
            $enrollments.Add("e-s${i}b,,,c$i,$school,s${i}b,student,,,")
        }
        $enrollments.Add('e-co,,,c1,sch-1,t2,teacher,false,,')
        $users.Add('t-empty,,,true,sch-1,teacher,tempty,,Empty,Class,,,t-empty@district.example,,,,,')
        $users.Add('s-noemail,,,true,sch-1,student,snoemail,,No,Email,,,,,,,,')
        $classes.Add('c-empty,,,Empty Class,,,CE,scheduled,,sch-1,,,,')
        $enrollments.Add('e-empty,,,c-empty,sch-1,t-empty,teacher,true,,')
        $enrollments.Add('e-noemail,,,c2,sch-2,s-noemail,student,,,')
        Set-Content -LiteralPath (Join-Path $Path 'manifest.csv') -Value @(
            'propertyName,value', 'manifest.version,1.0', 'oneroster.version,1.1', 'file.orgs,bulk', 'file.users,bulk',
            'file.classes,bulk', 'file.enrollments,bulk', 'file.academicSessions,absent', 'file.courses,absent')
        Set-Content -LiteralPath (Join-Path $Path 'orgs.csv') -Value @(
            'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId',
            'org-d,,,Test District,district,,', 'sch-1,,,Lincoln High,school,,org-d', 'sch-2,,,North Middle,school,,org-d')
        Set-Content -LiteralPath (Join-Path $Path 'users.csv') -Value $users
        Set-Content -LiteralPath (Join-Path $Path 'classes.csv') -Value $classes
        Set-Content -LiteralPath (Join-Path $Path 'enrollments.csv') -Value $enrollments
        return $Path
    }

    function New-SyncWorld {
        param([int] $Teachers = 24, [int] $MaxCreates = 500, [string] $Source = 'csv')
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-SyncDistrict -Path (Join-Path $folder 'district') -Teachers $Teachers | Out-Null
        $classLink = ''
        if ($Source -eq 'api') {
            # Pages of 20 records: the 24-teacher district's users and enrollments take 4 pages each, the 300-teacher one's 46.
            $server = Start-OneRosterTestServer -DataFolder (Join-Path $folder 'district') -Argument @(
                '--reload', '--consumer-key', 'test-consumer', '--consumer-secret', $env:SCL_PESTER_OAUTH1_SECRET)
            $script:servers.Add($server)
            $classLink = Get-RestRosterYaml -BaseUrl $server.Url -PageSize 20
        }
        $config = New-TestConfiguration -Folder $folder -Extra "import:`n  maxCreatesPerRun: $MaxCreates" -ClassLinkYaml $classLink
        Connect-SensoClassLink -ConfigPath $config
        Set-ClassLinkIntegrationSetting -AutomaticallyCreateUsers $true -DefaultRole Teacher -DefaultSite Main
        return [pscustomobject]@{ Folder = $folder; District = (Join-Path $folder 'district'); Config = $config; State = (Join-Path $folder 'state.db') }
    }

    function Get-CoreType([string] $Name) {
        # The engine loads into the module's private load context; its types are reached through the loaded assembly.
        $core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'SensoClassLink.Core' } | Select-Object -Last 1
        return $core.GetType($Name, $true)
    }

    function Get-TenantSnapshot {
        # Every user and ClassLink group in the local tenant file, read independently of the cmdlets under test.
        param([Parameter(Mandatory)] $World)
        $type = Get-CoreType 'SensoClassLink.Core.Senso.Local.LocalTenantProvider'
        $tenant = [Activator]::CreateInstance($type, @([string](Join-Path $World.Folder 'senso-tenant.db'), $null, $null))
        try {
            $none = [System.Threading.CancellationToken]::None
            $users = $tenant.SearchUsersAsync([NullString]::Value, 100000, 0, $none).GetAwaiter().GetResult().Users
            $groups = $tenant.GetGroupsAsync([NullString]::Value, $none).GetAwaiter().GetResult()
            return [pscustomobject]@{
                Users  = @($users | ForEach-Object Email | Sort-Object)
                Groups = @($groups | ForEach-Object { '{0}|{1}|{2}' -f $_.Key, ($_.Owners -join ','), ($_.Members -join ',') } | Sort-Object)
            }
        }
        finally { $tenant.Dispose() }
    }

    function Release-ExpiredRunLock {
        # A killed run's lock expires after its lease; step past the lease with a later clock and release it.
        param([Parameter(Mandatory)] $World)
        $type = Get-CoreType 'SensoClassLink.Core.State.StateStore'
        $later = [Func[DateTimeOffset]] { [DateTimeOffset]::UtcNow.AddHours(1) }
        $store = [Activator]::CreateInstance($type, @([string]$World.State, $later))
        try { $store.RunLock.Acquire('test: lease ran out', [TimeSpan]::Zero, [TimeSpan]::FromMinutes(1), [System.Threading.CancellationToken]::None).Dispose() }
        finally { $store.Dispose() }
    }

    function Get-ExpectedGroups {
        # What the roster says: c<i> for every teacher, owned by t<i> (and t2 for c1), with its two students (and the emailless one in c2).
        param([int] $Teachers)
        $groups = for ($i = 1; $i -le $Teachers; $i++) {
            $owners = if ($i -eq 1) { 't1@district.example,t2@district.example' } else { "t$i@district.example" }
            $members = @("s${i}a@students.example", "s${i}b@students.example")
            if ($i -eq 2) { $members += 's-noemail' }
            [string[]] $sorted = $members
            [Array]::Sort($sorted, [StringComparer]::Ordinal)
            '{0}|{1}|{2}' -f "c$i", $owners, ($sorted -join ',')
        }
        return @($groups | Sort-Object)
    }
}

AfterAll {
    foreach ($server in $script:servers) { Stop-OneRosterTestServer $server }
}

Describe 'Invoke-ClassLinkSync on a <Source> roster' -ForEach $sources {
    AfterEach {
        # Each world has its own server; stop it with its test.
        foreach ($server in $script:servers) { Stop-OneRosterTestServer $server }
        $script:servers.Clear()
    }

    It 'first run creates exactly the eligible teachers and their groups; a second run changes nothing' {
        $world = New-SyncWorld -Teachers 24 -Source $Source

        $first = Invoke-ClassLinkSync

        $first.PSObject.TypeNames[0] | Should -Be 'SensoClassLink.Models.ClassLinkSyncRun'
        $first.Status | Should -Be 'Completed'
        $first.UsersCreated | Should -Be 24
        $first.EligibleTeachers | Should -Be 24
        $first.RosterTeachers | Should -Be 25
        $first.TeachersByReason | Should -Match 'NoStudents=1'
        $first.GroupSyncsCompleted | Should -Be 24
        $snapshot = Get-TenantSnapshot $world
        $snapshot.Users | Should -Be @(1..24 | ForEach-Object { "t$_@district.example" } | Sort-Object)
        $snapshot.Groups | Should -Be (Get-ExpectedGroups -Teachers 24)

        $second = Invoke-ClassLinkSync

        $second.Status | Should -Be 'Completed'
        ($second.UsersCreated, $second.UsersExisting, $second.GroupSyncsQueued, $second.GroupSyncsCompleted) | Should -Be @(0, 24, 0, 0)
        $after = Get-TenantSnapshot $world
        $after.Users | Should -Be $snapshot.Users
        $after.Groups | Should -Be $snapshot.Groups
        @(Get-ClassLinkSyncRun).Count | Should -Be 2
    }

    It 'renames the account of a teacher whose email changed (same sourcedId): one account, same Id, groups kept; -WhatIf only says so' {
        $world = New-SyncWorld -Teachers 24 -Source $Source
        Invoke-ClassLinkSync | Out-Null
        $id = (Get-SensoUser -Email 't1@district.example').Id
        $users = Join-Path $world.District 'users.csv'
        (Get-Content $users) -replace '^t1,(.*),t1@district\.example,', 't1,$1,T1.New@district.example,' | Set-Content $users
        $before = Get-TenantSnapshot $world

        $plan = Invoke-ClassLinkSync -WhatIf

        $wouldRename = @($plan.Decisions | Where-Object Action -eq 'WouldRename')
        @($wouldRename.Email) | Should -Be @('t1.new@district.example')
        $wouldRename[0].Message | Should -Match 't1@district\.example'
        (Get-TenantSnapshot $world).Users | Should -Be $before.Users

        $run = Invoke-ClassLinkSync

        $run.Status | Should -Be 'Completed'
        ($run.UsersRenamed, $run.UsersCreated) | Should -Be @(1, 0)
        ($run.Decisions | Where-Object Email -eq 't1.new@district.example').Action | Should -Be 'Renamed'
        @($run.Decisions | Where-Object Email -eq 't1@district.example').Count | Should -Be 0
        (Get-SensoUser -Email 't1.new@district.example').Id | Should -Be $id
        $after = Get-TenantSnapshot $world
        $after.Users | Should -Be @(@('t1.new@district.example') + (2..24 | ForEach-Object { "t$_@district.example" }) | Sort-Object)
        $after.Groups | Should -Be @((Get-ExpectedGroups -Teachers 24) -replace 't1@district\.example', 't1.new@district.example' | Sort-Object)
        (Get-ClassLinkSyncRun -Last 1).UsersRenamed | Should -Be 1
        (Invoke-ClassLinkSync).UsersRenamed | Should -Be 0
    }

    It 'after CSV edits creates the new teacher and resyncs exactly the affected users' {
        $world = New-SyncWorld -Teachers 24 -Source $Source
        Invoke-ClassLinkSync | Out-Null
        # c5 gains a student; t7 loses both students; t-new appears with a class of one student.
        Add-Content (Join-Path $world.District 'users.csv') @(
            'sx,,,true,sch-1,student,sx,,New,Student,,,sx@students.example,,,,,'
            't-new,,,true,sch-2,teacher,tnew,,New,Teacher,,,t-new@district.example,,,,,'
            'sy,,,true,sch-2,student,sy,,Other,Student,,,sy@students.example,,,,,')
        Add-Content (Join-Path $world.District 'classes.csv') 'c-new,,,New Class,,,CN,scheduled,,sch-2,,,,'
        $enrollments = Join-Path $world.District 'enrollments.csv'
        (Get-Content $enrollments) | Where-Object { $_ -notlike 'e-s7a,*' -and $_ -notlike 'e-s7b,*' } | Set-Content $enrollments
        Add-Content $enrollments @('e-sx,,,c5,sch-1,sx,student,,,', 'e-tn,,,c-new,sch-2,t-new,teacher,true,,', 'e-sy,,,c-new,sch-2,sy,student,,,')

        $third = Invoke-ClassLinkSync

        $third.Status | Should -Be 'Completed'
        $third.UsersCreated | Should -Be 1
        @($third.Decisions | Where-Object Action -eq 'Created').Email | Should -Be @('t-new@district.example')
        @($third.Decisions | Where-Object GroupSync -eq 'Synced' | ForEach-Object Email | Sort-Object) |
            Should -Be @('t-new@district.example', 't5@district.example', 't7@district.example')
        ($third.Decisions | Where-Object Email -eq 't7@district.example').GroupsRemoved | Should -Be @('c7')
        ($third.Decisions | Where-Object Email -eq 't5@district.example').GroupsUpdated | Should -Be @('c5')
        $groups = (Get-TenantSnapshot $world).Groups
        $groups | Should -Contain 'c5|t5@district.example|s5a@students.example,s5b@students.example,sx@students.example'
        $groups | Should -Contain 'c-new|t-new@district.example|sy@students.example'
        @($groups | Where-Object { $_ -like 'c7|*' }) | Should -BeNullOrEmpty
    }

    It 'reads each roster file once on a first run with creates and group syncs, and on a run with nothing to do' -Skip:($Source -ne 'csv') {
        $world = New-SyncWorld
        $opens = Get-CoreType 'SensoClassLink.Core.OneRoster.CsvFileOpens'
        $files = 'orgs.csv', 'users.csv', 'classes.csv', 'enrollments.csv'
        function Get-Opens { $files | ForEach-Object { $opens::Count((Join-Path ([IO.Path]::GetFullPath($world.District)) $_)) } }

        foreach ($run in 'first', 'second') {
            $before = @(Get-Opens)
            $result = Invoke-ClassLinkSync
            $after = @(Get-Opens)
            $result.Status | Should -Be 'Completed'
            for ($i = 0; $i -lt $files.Count; $i++) { $after[$i] - $before[$i] | Should -Be 1 -Because "the $run run opens $($files[$i]) once" }
        }
        $result.UsersCreated | Should -Be 0
    }

    It 'fails a run whose roster was not read to its end with RosterIncomplete, writing nothing and keeping queued jobs' -Skip:($Source -ne 'csv') {
        $world = New-SyncWorld
        Sync-SensoUserGroup -Email 't1@district.example' -QueueOnly | Out-Null
        $enrollments = Join-Path $world.District 'enrollments.csv'
        $lines = [System.Collections.Generic.List[string]](Get-Content $enrollments)
        $lines.Insert(3, 'e-broken,,,"c1,sch-1,t1,teacher,true,,')
        Set-Content $enrollments $lines

        $run = Invoke-ClassLinkSync -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

        $run.Status | Should -Be 'Failed'
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RosterIncomplete,*'
        $failures[0].Exception.Message | Should -Match '^The roster could not be read completely \(.*enrollments.* line \d+: .*\), so nothing was written; queued group syncs stay queued\.'
        @(Get-SensoUser).Count | Should -Be 0
        (Get-SensoGroupSyncJob -Email 't1@district.example').Status | Should -Be 'Queued'
    }

    It 'holds a run whose roster was cut in half and changes nothing' {
        $world = New-SyncWorld -Teachers 24 -Source $Source
        Invoke-ClassLinkSync | Out-Null
        $before = Get-TenantSnapshot $world
        New-SyncDistrict -Path $world.District -Teachers 10 | Out-Null

        $held = Invoke-ClassLinkSync -WarningVariable warnings -WarningAction SilentlyContinue

        $held.Status | Should -Be 'Held'
        $held.Message | Should -Match 'eligible teachers fell from 24 to 10'
        ($warnings | Out-String) | Should -Match 'shrink guard'
        $after = Get-TenantSnapshot $world
        $after.Users | Should -Be $before.Users
        $after.Groups | Should -Be $before.Groups
        (Get-ClassLinkSyncRun -Last 1).Status | Should -Be 'Held'
        (Get-ClassLinkIntegrationStatistic).LastRunStatus | Should -Be 'Held'
    }

    It 'holds a run with more creates than the brake and creates none' {
        $world = New-SyncWorld -Teachers 24 -MaxCreates 10 -Source $Source

        $held = Invoke-ClassLinkSync -WarningAction SilentlyContinue

        $held.Status | Should -Be 'Held'
        $held.Message | Should -Match '24 users would be created, more than import.maxCreatesPerRun \(10\)'
        $held.UsersCreated | Should -Be 0
        (Get-TenantSnapshot $world).Users | Should -BeNullOrEmpty
        (Get-TenantSnapshot $world).Groups | Should -BeNullOrEmpty
    }

    It '-WhatIf computes the plan and writes nothing, not even the state file or the report' {
        $world = New-SyncWorld -Teachers 24 -Source $Source
        $report = Join-Path $world.Folder 'plan.csv'

        $plan = Invoke-ClassLinkSync -WhatIf -ReportPath $report

        $plan.WhatIf | Should -BeTrue
        @($plan.Decisions | Where-Object Action -eq 'WouldCreate').Count | Should -Be 24
        @($plan.Decisions | Where-Object GroupSync -eq 'WouldSync').Count | Should -Be 24
        ($plan.Decisions | Where-Object Email -eq 't1@district.example').GroupsAdded | Should -Be @('c1')
        $world.State | Should -Not -Exist
        $report | Should -Not -Exist
        (Get-TenantSnapshot $world).Users | Should -BeNullOrEmpty
        (Get-TenantSnapshot $world).Groups | Should -BeNullOrEmpty
    }

    It 'writes a report with one row per teacher decision and neutralized formula cells' {
        $world = New-SyncWorld -Teachers 24 -Source $Source
        $report = Join-Path $world.Folder 'report.csv'

        $run = Invoke-ClassLinkSync -ReportPath $report

        $run.ReportPath | Should -Be $report
        $rows = Import-Csv $report
        $rows.Count | Should -Be 25
        ($rows | Where-Object Email -eq 't3@district.example').SourcedId | Should -Be "'@t3"
        ($rows | Where-Object Email -eq 't1@district.example').Action | Should -Be 'Created'
        ($rows | Where-Object Email -eq 't1@district.example').GroupsAdded | Should -Be 'c1'
        ($rows | Where-Object Email -eq 't-empty@district.example').Eligibility | Should -Be 'NoStudents'
        $json = Join-Path $world.Folder 'report.json'
        Invoke-ClassLinkSync -ReportPath $json | Out-Null
        (Get-Content $json -Raw | ConvertFrom-Json).Count | Should -Be 25
    }

    It 'gives each decision its eligibility as an enum that prints the same words in the view, Export-Csv, JSON and the report' -Skip:($Source -ne 'csv') {
        $world = New-SyncWorld -Teachers 24 -Source $Source
        Invoke-ClassLinkSync | Out-Null
        # t24 leaves the export: a ClassLink user in Senso who is no longer a teacher in the roster.
        $users = Join-Path $world.District 'users.csv'
        (Get-Content $users) | Where-Object { $_ -notlike 't24,*' } | Set-Content $users
        $report = Join-Path $world.Folder 'report.csv'

        $run = Invoke-ClassLinkSync -ReportPath $report -WarningAction SilentlyContinue

        $byEmail = @{}
        foreach ($decision in $run.Decisions) { $byEmail[$decision.Email] = $decision }
        $byEmail['t1@district.example'].Eligibility.GetType().FullName | Should -Be 'SensoClassLink.Core.Sync.SyncEligibility'
        Get-PropertyText $byEmail['t1@district.example'] Eligibility | Should -BeExactly 'Eligible|Eligible|Eligible'
        Get-PropertyText $byEmail['t-empty@district.example'] Eligibility | Should -BeExactly 'NoStudents|NoStudents|NoStudents'
        Get-PropertyText $byEmail['t24@district.example'] Eligibility | Should -BeExactly 'NotInRoster|NotInRoster|NotInRoster'
        # The table view (Email, Eligibility, Action, ...) shows the names left-aligned, as it did the strings.
        $byEmail['t24@district.example'] | Format-Table | Out-String -Width 200 | Should -MatchExactly '(?m)^t24@district\.example +NotInRoster +\w'
        $rows = Import-Csv $report
        ($rows | Where-Object Email -ceq 't24@district.example').Eligibility | Should -BeExactly 'NotInRoster'
        ($rows | Where-Object Email -ceq 't-empty@district.example').Eligibility | Should -BeExactly 'NoStudents'
    }

    It 'refuses a second concurrent run, and a run killed during group sync is finished by the next run without duplicates' {
        $world = New-SyncWorld -Teachers 300 -Source $Source
        $module = $env:SENSOCLASSLINK_MODULE
        $child = @"
Import-Module '$module'
Connect-SensoClassLink -ConfigPath '$($world.Config)'
Invoke-ClassLinkSync -ThrottleLimit 1 | Out-Null
"@
        $commandLine = @(Get-PwshCommandLine)
        $start = [System.Diagnostics.ProcessStartInfo]::new($commandLine[0])
        foreach ($argument in @($commandLine | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-EncodedCommand',
                [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($child)))) { $start.ArgumentList.Add($argument) }
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($start)
        try {
            # First, while the child holds the run lock (its run is recorded as Running), a second run is refused.
            $deadline = [DateTime]::UtcNow.AddSeconds(90)
            do {
                Start-Sleep -Milliseconds 20
                $running = (Get-ClassLinkSyncRun -Last 1 -ErrorAction SilentlyContinue).Status -eq 'Running'
            } until ($running -or $process.HasExited -or [DateTime]::UtcNow -gt $deadline)
            $process.HasExited | Should -BeFalse -Because 'the child must still be running when the second run starts'
            $err = { Invoke-ClassLinkSync } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'RunInProgress*'
            $err.Exception.Message | Should -Match 'Another run is in progress'

            # Then stop it inside the group-sync stage, as soon as some jobs are done and others are not.
            do {
                Start-Sleep -Milliseconds 10
                $done = @(Get-SensoGroupSyncJob -Status Completed -ErrorAction SilentlyContinue).Count
            } until (($done -ge 5) -or $process.HasExited -or [DateTime]::UtcNow -gt $deadline)
            $process.HasExited | Should -BeFalse -Because 'the child must still be syncing groups when it is stopped'
            $process.Kill($true)
        }
        finally {
            if (-not $process.HasExited) { $process.Kill($true) }
            $process.WaitForExit()
        }
        $atKill = @(Get-SensoGroupSyncJob)
        @($atKill | Where-Object Status -ne 'Completed').Count | Should -BeGreaterThan 0 -Because 'the kill interrupted the group syncs'
        (Get-ClassLinkSyncRun -Last 1).Status | Should -Be 'Running'

        Release-ExpiredRunLock $world
        $next = Invoke-ClassLinkSync

        $next.Status | Should -Be 'Completed'
        $next.UsersCreated | Should -Be 0
        $snapshot = Get-TenantSnapshot $world
        $snapshot.Users.Count | Should -Be 300
        @($snapshot.Users | Select-Object -Unique).Count | Should -Be 300
        $snapshot.Groups | Should -Be (Get-ExpectedGroups -Teachers 300)
        @(Get-SensoGroupSyncJob | Where-Object Status -ne 'Completed') | Should -BeNullOrEmpty
        $runs = @(Get-ClassLinkSyncRun)
        $runs[0].Status | Should -Be 'Completed'
        $runs[1].Status | Should -Be 'Failed'
        $runs[1].Message | Should -Match '^Interrupted'
    }
}

Describe 'Invoke-ClassLinkSync errors' {
    It 'fails before any write when automatic creation has no role, naming the setting' {
        $world = New-SyncWorld -Teachers 3
        Set-ClassLinkIntegrationSetting -DefaultRole ''

        $run = Invoke-ClassLinkSync -ErrorVariable failures -ErrorAction SilentlyContinue

        $run.Status | Should -Be 'Failed'
        $run.Message | Should -Match 'No role given'
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'DataSyncFailed*'
        (Get-TenantSnapshot $world).Users | Should -BeNullOrEmpty
    }

    It 'refuses a report path that is neither .csv nor .json before running' {
        $world = New-SyncWorld -Teachers 3
        $err = { Invoke-ClassLinkSync -ReportPath (Join-Path $world.Folder 'report.txt') } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidReportPath*'
        $world.State | Should -Not -Exist
    }
}

Describe 'examples/Invoke-NightlySync.ps1' {
    It 'exits 0 after a Completed run with a dated report, and 2 when the run is held' {
        $world = New-SyncWorld -Teachers 24
        $script = Join-Path $PSScriptRoot '../../examples/Invoke-NightlySync.ps1'
        $reports = Join-Path $world.Folder 'reports'
        $run = "& '$script' -ConfigPath '$($world.Config)' -ReportFolder '$reports' -Module '$($env:SENSOCLASSLINK_MODULE)'; exit `$LASTEXITCODE"

        $output = Invoke-FreshPwsh -Script $run
        $global:FreshPwshExitCode | Should -Be 0 -Because ($output -join "`n")
        ($output -join "`n") | Should -Match 'ClassLink data sync Completed: 24 eligible teachers, 24 users created'
        @(Get-ChildItem $reports -Filter 'sync-*.csv').Count | Should -Be 1

        New-SyncDistrict -Path $world.District -Teachers 5 | Out-Null
        $output = Invoke-FreshPwsh -Script $run
        $global:FreshPwshExitCode | Should -Be 2 -Because ($output -join "`n")
    }
}
