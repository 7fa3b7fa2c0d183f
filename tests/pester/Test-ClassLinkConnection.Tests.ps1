BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'OneRosterTestServer.psm1') -Force
    Import-Module $env:SENSOCLASSLINK_MODULE -Force

    $script:district = (Resolve-Path (Join-Path $PSScriptRoot '../data/rest-district')).Path
    $env:SCL_PESTER_OAUTH1_SECRET = 'pester-consumer-secret/+&'
    $env:SCL_PESTER_OAUTH2_SECRET = 'pester-client-secret'
    $env:SCL_PESTER_WRONG_SECRET = 'Wr0ng-' + [guid]::NewGuid().ToString('N')
    $script:server = Start-OneRosterTestServer -DataFolder $district -Argument @(
        '--consumer-key', 'test-consumer', '--consumer-secret', $env:SCL_PESTER_OAUTH1_SECRET,
        '--client-id', 'test-client', '--client-secret', $env:SCL_PESTER_OAUTH2_SECRET, '--max-page-size', '5', '--token-lifetime', '30')
}

AfterAll {
    if ($script:server) { Stop-OneRosterTestServer $script:server }
}

Describe 'Test-ClassLinkConnection' {
    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $folder | Out-Null
    }

    It 'reports version, authentication and visible counts over OneRoster 1.1 with OAuth 1.0a' {
        Connect-SensoClassLink -ConfigPath (New-RestTestConfiguration -Folder $folder -BaseUrl $server.Url)
        $result = Test-ClassLinkConnection
        $result.PSObject.TypeNames[0] | Should -Be 'SensoClassLink.Models.ClassLinkConnectionTest'
        $result.Succeeded | Should -BeTrue
        $result.Source.GetType().FullName | Should -Be 'SensoClassLink.Core.Configuration.RosterSourceKind'
        Get-PropertyText $result Source | Should -BeExactly 'api|api|api'
        $result.Server | Should -Be $server.Url
        $result.OneRosterVersion | Should -Be '1.1'
        $result.Authenticated | Should -BeTrue
        $result.HttpStatus | Should -Be 200
        $result.SchoolCount | Should -Be 3
        $result.TeacherCount | Should -Be 7
        $result.StudentCount | Should -Be 40
        $result.ClassCount | Should -Be 5
        $result.EnrollmentCount | Should -Be 88
        $result.AcademicSessionCount | Should -Be 1
        $result.FieldSelection.GetType().FullName | Should -Be 'SensoClassLink.Core.OneRoster.Rest.FieldSelectionSupport'
        $result.FieldSelection -eq 'Honoured' | Should -BeTrue
        $result.Hints | Should -BeNullOrEmpty
        ($result | Format-List | Out-String) | Should -Match 'AcademicSessionCount\s*:\s*1'
        ($result | Format-List | Out-String) | Should -Match 'FieldSelection\s*:\s*Honoured'
    }

    It 'fails and hints when classTerms is current but the application may not read academic sessions, and passes with classTerms: any' {
        $second = Start-OneRosterTestServer -DataFolder $district -Argument @('--consumer-key', 'test-consumer', '--consumer-secret', $env:SCL_PESTER_OAUTH1_SECRET, '--fault', 'Forbidden:/academicSessions::-1')
        try {
            Connect-SensoClassLink -ConfigPath (New-RestTestConfiguration -Folder $folder -BaseUrl $second.Url)
            $current = Test-ClassLinkConnection
            $current.AcademicSessionCount | Should -BeNullOrEmpty
            $current.ClassCount | Should -Be 5
            $current.Succeeded | Should -BeFalse
            $current.Hints -join ' ' | Should -Match '403 on /academicSessions'
            $current.Hints -join ' ' | Should -Match 'roster\.classTerms is current, but no academic sessions are readable.*classlink-setup\.md, 1\.3.*classTerms: any'
            Test-ClassLinkConnection -Quiet | Should -BeExactly $false

            $any = New-TestConfiguration -Folder $folder -ClassLinkYaml (Get-RestRosterYaml -BaseUrl $second.Url) -Extra "roster:`n  classTerms: any"
            Connect-SensoClassLink -ConfigPath $any
            $result = Test-ClassLinkConnection
            $result.Succeeded | Should -BeTrue -Because 'no command reads the sessions under classTerms: any'
            $result.Hints -join ' ' | Should -Match '403 on /academicSessions'
            $result.Hints -join ' ' | Should -Not -Match 'classTerms is current'
        }
        finally { Stop-OneRosterTestServer $second }
    }

    It 'hints when classTerms is current and the server shows no academic sessions at all' {
        $noTerms = Join-Path $folder 'no-terms'
        New-Item -ItemType Directory $noTerms | Out-Null
        Copy-Item (Join-Path $district '*.csv') $noTerms
        Remove-Item (Join-Path $noTerms 'academicSessions.csv')
        $second = Start-OneRosterTestServer -DataFolder $noTerms -Argument @('--consumer-key', 'test-consumer', '--consumer-secret', $env:SCL_PESTER_OAUTH1_SECRET)
        try {
            Connect-SensoClassLink -ConfigPath (New-RestTestConfiguration -Folder $folder -BaseUrl $second.Url)
            $result = Test-ClassLinkConnection
            $result.AcademicSessionCount | Should -Be 0
            $result.Succeeded | Should -BeTrue -Because 'the sync still runs (every class counts, with a warning per unresolved term)'
            $result.Hints -join ' ' | Should -Match 'roster\.classTerms is current, but no academic sessions are readable'
        }
        finally { Stop-OneRosterTestServer $second }
    }

    It 'works over OneRoster 1.2 with OAuth 2 client credentials' {
        $auth = "method: oauth2`n      clientId: test-client`n      clientSecret: env:SCL_PESTER_OAUTH2_SECRET`n      tokenUrl: $($server.Url)/token"
        Connect-SensoClassLink -ConfigPath (New-RestTestConfiguration -Folder $folder -BaseUrl $server.Url -Version '1.2' -Auth $auth)
        $result = Test-ClassLinkConnection
        $result.Succeeded | Should -BeTrue
        $result.OneRosterVersion | Should -Be '1.2'
        $result.AuthenticationMethod | Should -Be 'OAuth 2 client credentials'
        $result.TeacherCount | Should -Be 7
    }

    It 'explains a 401 and never shows the secret in any stream' {
        $auth = "method: oauth1`n      clientId: test-consumer`n      clientSecret: env:SCL_PESTER_WRONG_SECRET"
        Connect-SensoClassLink -ConfigPath (New-RestTestConfiguration -Folder $folder -BaseUrl $server.Url -Auth $auth)
        $all = Test-ClassLinkConnection -Verbose *>&1
        $result = $all | Where-Object { $_ -is [SensoClassLink.Models.ClassLinkConnectionTest] }
        $result.Succeeded | Should -BeFalse
        $result.Reachable | Should -BeTrue
        $result.Authenticated | Should -BeFalse
        $result.HttpStatus | Should -Be 401
        $result.Hints -join ' ' | Should -Match 'secret is wrong.*clock'
        $text = ($all | Out-String) + ($result | Format-List | Out-String)
        $text | Should -Not -Match ([regex]::Escape($env:SCL_PESTER_WRONG_SECRET))
        $text | Should -Not -Match 'oauth_signature'
        $text | Should -Match 'GET /ims/oneroster/v1p1/orgs -> 401'
    }

    It 'returns only a boolean with -Quiet' {
        Connect-SensoClassLink -ConfigPath (New-RestTestConfiguration -Folder $folder -BaseUrl $server.Url)
        Test-ClassLinkConnection -Quiet | Should -BeExactly $true
        $auth = "method: oauth1`n      clientId: someone-else`n      clientSecret: env:SCL_PESTER_OAUTH1_SECRET"
        Connect-SensoClassLink -ConfigPath (New-RestTestConfiguration -Folder $folder -BaseUrl $server.Url -Auth $auth)
        Test-ClassLinkConnection -Quiet | Should -BeExactly $false
    }

    It 'explains an unreachable server' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        Connect-SensoClassLink -ConfigPath (New-RestTestConfiguration -Folder $folder -BaseUrl "http://127.0.0.1:$port")
        $result = Test-ClassLinkConnection
        $result.Reachable | Should -BeFalse
        $result.Hints -join ' ' | Should -Match 'Cannot reach'
    }

    It 'never gets to test a non-loopback http URL: the configuration is refused' {
        { Connect-SensoClassLink -ConfigPath (New-RestTestConfiguration -Folder $folder -BaseUrl 'http://roster.example.org') } |
            Should -Throw -ExpectedMessage '*must use https://*'
    }

    It 'hints at unshared data when no teachers are visible, and at permissions on a 403' {
        $empty = Join-Path $folder 'empty'
        New-Item -ItemType Directory $empty | Out-Null
        Copy-Item (Join-Path $district '*.csv') $empty
        Get-Content (Join-Path $district 'users.csv') | Where-Object { $_ -notmatch ',teacher,' } | Set-Content (Join-Path $empty 'users.csv')
        $second = Start-OneRosterTestServer -DataFolder $empty -Argument @('--consumer-key', 'test-consumer', '--consumer-secret', $env:SCL_PESTER_OAUTH1_SECRET, '--fault', 'Forbidden:/enrollments::-1')
        try {
            Connect-SensoClassLink -ConfigPath (New-RestTestConfiguration -Folder $folder -BaseUrl $second.Url)
            $result = Test-ClassLinkConnection
            $result.TeacherCount | Should -Be 0
            $result.EnrollmentCount | Should -BeNullOrEmpty
            $result.Succeeded | Should -BeFalse
            $result.Hints -join ' ' | Should -Match 'No teachers are visible'
            $result.Hints -join ' ' | Should -Match '403 on /enrollments'
        }
        finally { Stop-OneRosterTestServer $second }
    }

    It 'counts a CSV export' {
        New-TestDistrict -Path (Join-Path $folder 'district') | Out-Null
        Connect-SensoClassLink -ConfigPath (New-TestConfiguration -Folder $folder)
        $result = Test-ClassLinkConnection
        $result.Source.GetType().FullName | Should -Be 'SensoClassLink.Core.Configuration.RosterSourceKind'
        Get-PropertyText $result Source | Should -BeExactly 'csv|csv|csv'
        $result | Out-String | Should -MatchExactly '(?m)^Source\s+: csv\s*$'
        $result.TeacherCount | Should -Be 3
        $result.AcademicSessionCount | Should -Be 0
        $result.Succeeded | Should -BeTrue
        $result.Hints | Should -BeNullOrEmpty -Because 'no class of this export names a term'
    }

    It 'counts the academic sessions of a CSV export, and hints when its classes name terms but it has no academicSessions.csv' {
        Connect-SensoClassLink -ConfigPath (New-TestConfiguration -Folder $folder -DistrictPath $district)
        $result = Test-ClassLinkConnection
        $result.AcademicSessionCount | Should -Be 1
        $result.FieldSelection | Should -BeNullOrEmpty -Because 'a CSV export has no field selection'
        $result.Hints | Should -BeNullOrEmpty

        $noTerms = Join-Path $folder 'no-terms'
        New-Item -ItemType Directory $noTerms | Out-Null
        Copy-Item (Join-Path $district '*.csv') $noTerms
        Remove-Item (Join-Path $noTerms 'academicSessions.csv')
        Connect-SensoClassLink -ConfigPath (New-TestConfiguration -Folder $folder -DistrictPath $noTerms)
        $result = Test-ClassLinkConnection
        $result.AcademicSessionCount | Should -Be 0
        $result.Succeeded | Should -BeTrue
        $result.Hints -join ' ' | Should -Match 'roster\.classTerms is current, but no academic sessions are readable'
        Connect-SensoClassLink -ConfigPath (New-TestConfiguration -Folder $folder -DistrictPath $noTerms -Extra "roster:`n  classTerms: any")
        (Test-ClassLinkConnection).Hints | Should -BeNullOrEmpty
    }
}

Describe 'Get-ClassLinkTeacher over REST' {
    It 'gives the same -IncludeIneligible output over CSV, REST 1.1 with OAuth 1.0a and REST 1.2 with OAuth 2' {
        $folder = Join-Path $TestDrive 'same'
        New-Item -ItemType Directory -Path $folder | Out-Null
        # REST answers in sourcedId order, the CSV in file order: compare sorted, every property, classes included.
        $props = 'Email', 'GivenName', 'FamilyName', 'PopulatedClassCount', 'StudentCount', 'Eligible', 'Reason',
            @{ n = 'SourcedIds'; e = { "$($_.SourcedIds)" } }, @{ n = 'Schools'; e = { "$($_.Schools)" } },
            @{ n = 'Classes'; e = { ($_.Classes | ForEach-Object { "$($_.SourcedId):$($_.Title):$($_.School):$($_.StudentCount)" } | Sort-Object) -join ';' } }
        $asOf = [datetime]'2025-10-01'
        Connect-SensoClassLink -ConfigPath (New-TestConfiguration -Folder $folder -DistrictPath $district)
        $csv = Get-ClassLinkTeacher -IncludeIneligible -AsOf $asOf | Sort-Object Email, GivenName | Select-Object $props | ConvertTo-Csv
        Connect-SensoClassLink -ConfigPath (New-RestTestConfiguration -Folder $folder -BaseUrl $server.Url)
        $v11 = Get-ClassLinkTeacher -IncludeIneligible -AsOf $asOf | Sort-Object Email, GivenName | Select-Object $props | ConvertTo-Csv
        $auth = "method: oauth2`n      clientId: test-client`n      clientSecret: env:SCL_PESTER_OAUTH2_SECRET`n      tokenUrl: $($server.Url)/token"
        Connect-SensoClassLink -ConfigPath (New-RestTestConfiguration -Folder $folder -BaseUrl $server.Url -Version '1.2' -Auth $auth)
        $v12 = Get-ClassLinkTeacher -IncludeIneligible -AsOf $asOf | Sort-Object Email, GivenName | Select-Object $props | ConvertTo-Csv
        $csv.Count | Should -BeGreaterThan 5
        ($csv -join "`n") | Should -Match 'False'
        ($v11 -join "`n") | Should -Be ($csv -join "`n")
        ($v12 -join "`n") | Should -Be ($csv -join "`n")
    }

    It 'looks up one teacher with targeted queries, and agrees with the full computation' {
        $folder = Join-Path $TestDrive 'targeted'
        New-Item -ItemType Directory -Path $folder | Out-Null
        Connect-SensoClassLink -ConfigPath (New-RestTestConfiguration -Folder $folder -BaseUrl $server.Url)
        $asOf = [datetime]'2025-10-01'
        $props = 'Email', 'Eligible', 'Reason', 'PopulatedClassCount', 'StudentCount', @{ n = 'Classes'; e = { "$($_.Classes)" } }

        $all = Get-ClassLinkTeacher -Email 'jane.doe@riverside.*' -AsOf $asOf -IncludeIneligible -Verbose 4>&1
        $one = Get-ClassLinkTeacher -Email 'jane.doe@riverside.org' -AsOf $asOf -IncludeIneligible -Verbose 4>&1

        $fullRequests = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'GET *' })
        $targetedRequests = @($one | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'GET *' })
        ($one | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] } | Select-Object $props | ConvertTo-Json) |
            Should -Be ($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] } | Select-Object $props | ConvertTo-Json)
        $targetedRequests.Count | Should -BeLessThan $fullRequests.Count
        @($targetedRequests | Where-Object { $_.Message -like 'GET /ims/oneroster/v1p1/classes -> *' }) | Should -BeNullOrEmpty -Because 'the whole class list is not pulled'
        @($targetedRequests | Where-Object { $_.Message -like 'GET /ims/oneroster/v1p1/users -> *' }).Count | Should -Be 1 -Because 'one filtered request finds the teacher'
    }

    It 'imports and resyncs one teacher with targeted queries' {
        $folder = Join-Path $TestDrive 'targeted-import'
        New-Item -ItemType Directory -Path $folder | Out-Null
        Connect-SensoClassLink -ConfigPath (New-RestTestConfiguration -Folder $folder -BaseUrl $server.Url)

        $import = Import-SensoUser -Email 'jane.doe@riverside.org' -Role Teacher -Site Main -AsOf '2025-10-01' -Verbose 4>&1
        $result = $import | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $result.Status | Should -Be 'Created'
        $result.GroupSync | Should -Be 'Completed'
        @($import | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'GET /ims/oneroster/v1p1/classes -> *' }) | Should -BeNullOrEmpty
        @(Get-SensoGroup -Owner 'jane.doe@riverside.org').Count | Should -BeGreaterThan 0
    }

    It 'writes request lines to the verbose stream without credentials or filters' {
        $folder = Join-Path $TestDrive 'verbose'
        New-Item -ItemType Directory -Path $folder | Out-Null
        Connect-SensoClassLink -ConfigPath (New-RestTestConfiguration -Folder $folder -BaseUrl $server.Url)
        $verbose = Get-ClassLinkTeacher -Email jane.doe@riverside.org -IncludeIneligible -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        @($verbose | Where-Object { $_ -like 'GET /ims/oneroster/v1p1/enrollments -> 200 in *' }).Count | Should -BeGreaterThan 0
        ($verbose -join "`n") | Should -Not -Match 'oauth_|Authorization|\?|pester-consumer-secret'
    }
}
