BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:SENSOCLASSLINK_MODULE -Force
    $repoRoot = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $exampleDistrict = Join-Path $repoRoot 'examples/district'
    $asOf = [datetime]'2025-10-01'

    function Connect-District([string] $Path) {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $folder | Out-Null
        Connect-SensoClassLink -ConfigPath (New-TestConfiguration -Folder $folder -DistrictPath $Path)
        return $folder
    }
}

Describe 'Get-ClassLinkTeacher' {
    Context 'the example district' {
        BeforeAll {
            Connect-District $exampleDistrict | Out-Null
            $all = @(Get-ClassLinkTeacher -IncludeIneligible -AsOf $asOf -WarningAction SilentlyContinue)
        }

        It 'emits only eligible teachers by default' {
            $eligible = @(Get-ClassLinkTeacher -AsOf $asOf -WarningAction SilentlyContinue)
            $eligible.Email | Should -Be @('jane.doe@riverside.example', 'maria.garcia@riverside.example', 'max.weber@riverside.example',
                'omar.haddad@riverside.example', "sean.o'brien@riverside.example", 'zoe.angstrom@riverside.example')
            $eligible | ForEach-Object { $_.Eligible | Should -BeTrue; $_.Reason | Should -Be 'Eligible' }
        }

        It 'gives every ineligible teacher its reason with -IncludeIneligible' {
            $reasons = @{}
            foreach ($t in $all) { $reasons[$(if ($t.Email) { $t.Email } else { $t.SourcedIds[0] })] = $t.Reason }
            $reasons['t-05'] | Should -Be 'MissingEmail'
            $reasons['lee.park@riverside'] | Should -Be 'InvalidEmail'
            $reasons['tom.keller@riverside.example'] | Should -Be 'Inactive'
            $reasons['ruth.adeyemi@riverside.example'] | Should -Be 'Inactive'
            $reasons['hugo.lambert@riverside.example'] | Should -Be 'NoClasses'
            $reasons['alma.reyes@riverside.example'] | Should -Be 'NoClasses'
            $reasons['nina.petrova@riverside.example'] | Should -Be 'NoStudents'
            $reasons['kenji.sato@riverside.example'] | Should -Be 'NoStudents'
            $all.Count | Should -Be 14
        }

        It 'merges the two-school teacher and counts distinct students' {
            $maria = $all | Where-Object Email -eq 'maria.garcia@riverside.example'
            @($maria.SourcedIds) | Should -Be @('t-03a', 't-03b')
            @($maria.Schools) | Should -Be @('Lincoln High', 'North Middle')
            $maria.School | Should -Be 'Lincoln High'
            $maria.Classes.SourcedId | Should -Be @('c-geo', 'c-sci7')
            $maria.Classes[0].School | Should -Be 'Lincoln High'
            $maria.PopulatedClassCount | Should -Be 2
            $maria.StudentCount | Should -Be 16
        }

        It 'gives a co-taught class to both teachers and ignores future enrollments' {
            ($all | Where-Object Email -eq 'jane.doe@riverside.example').StudentCount | Should -Be 12
            ($all | Where-Object Email -eq 'omar.haddad@riverside.example').Classes.SourcedId | Should -Be 'c-alg1'
            $zoe = $all | Where-Object Email -eq 'zoe.angstrom@riverside.example'
            $zoe.GivenName | Should -Be 'Zoë'
            ($zoe.Classes | Where-Object SourcedId -eq 'c-read').StudentCount | Should -Be 8
        }

        It 'filters by email with wildcards and from the pipeline by property name' {
            (Get-ClassLinkTeacher -Email 'MARIA*' -AsOf $asOf -WarningAction SilentlyContinue).Email | Should -Be 'maria.garcia@riverside.example'
            ([pscustomobject]@{ Email = 'jane.doe@riverside.example' } | Get-ClassLinkTeacher -AsOf $asOf -WarningAction SilentlyContinue).Email |
                Should -Be 'jane.doe@riverside.example'
        }

        It 'filters by school name or sourcedId' {
            $byName = @(Get-ClassLinkTeacher -School 'North Middle' -AsOf $asOf -WarningAction SilentlyContinue).Email
            $byId = @(Get-ClassLinkTeacher -School 'sch-nor' -AsOf $asOf -WarningAction SilentlyContinue).Email
            $byName | Should -Be @('maria.garcia@riverside.example', "sean.o'brien@riverside.example")
            $byId | Should -Be $byName
        }

        It 'applies -AsOf to enrollment dates' {
            (Get-ClassLinkTeacher -Email 'alma.reyes@riverside.example' -AsOf '2024-07-01' -WarningAction SilentlyContinue).Eligible | Should -BeTrue
        }

        It 'reports an exact email that is missing or ineligible as a non-terminating error' {
            $null = Get-ClassLinkTeacher -Email 'nobody@riverside.example', 'tom.keller@riverside.example' -AsOf $asOf -WarningAction SilentlyContinue -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs.Count | Should -Be 2
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'TeacherNotFound*'
            $errs[0].TargetObject | Should -Be 'nobody@riverside.example'
            $errs[1].FullyQualifiedErrorId | Should -BeLike 'TeacherNotEligible*'
            $errs[1].Exception.Message | Should -Match 'Inactive'
        }

        It 'summarises data-quality problems in one warning and gives lines in verbose, never row values' {
            $out = Get-ClassLinkTeacher -AsOf $asOf -WarningVariable warns -WarningAction SilentlyContinue -Verbose 4>&1 | Out-String
            $warns.Count | Should -Be 1
            $warns[0].Message | Should -Match '2 data-quality problem'
            $warns[0].Message | Should -Match 'enrollments.csv'
            $out | Should -Match 'line 97'
            $out | Should -Match 'line 98'
            "$($warns[0].Message) $out" | Should -Not -Match 's-999|c-missing'
        }

        It 'has a registered table view' {
            Get-FormatData -TypeName SensoClassLink.Models.ClassLinkTeacher | Should -Not -BeNullOrEmpty
            $text = $all | Select-Object -First 3 | Format-Table | Out-String -Width 200
            $text | Should -Match 'Reason'
            $text | Should -Match 'Students'
        }

        It 'round-trips through Export-Csv with readable lists' {
            $csv = Join-Path $TestDrive 'teachers.csv'
            $all | Export-Csv -LiteralPath $csv -NoTypeInformation
            $row = Import-Csv -LiteralPath $csv | Where-Object Email -eq 'maria.garcia@riverside.example'
            $row.SourcedIds | Should -Be 't-03a,t-03b'
            $row.School | Should -Be 'Lincoln High'
            $row.Eligible | Should -Be 'True'
        }
    }

    Context 'current terms and scope' {
        BeforeAll {
            # The example district with Geometry moved into the 2024-2025 session, which ended before the as-of date.
            $termDistrict = Join-Path $TestDrive 'terms-district'
            Copy-Item -LiteralPath $exampleDistrict -Destination $termDistrict -Recurse
            $classes = Join-Path $termDistrict 'classes.csv'
            (Get-Content -LiteralPath $classes) -replace '^(c-geo,.*),as-2025,', '$1,as-2024,' | Set-Content -LiteralPath $classes

            function Connect-TermDistrict([string] $Roster = '') {
                $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
                New-Item -ItemType Directory -Path $folder | Out-Null
                Connect-SensoClassLink -ConfigPath (New-TestConfiguration -Folder $folder -DistrictPath $termDistrict -Extra $Roster)
            }
        }

        It 'leaves out a class whose term has ended and shows each class''s term' {
            Connect-TermDistrict
            $maria = Get-ClassLinkTeacher -Email 'maria.garcia@riverside.example' -IncludeIneligible -AsOf $asOf -WarningAction SilentlyContinue
            $maria.Classes.SourcedId | Should -Be 'c-sci7'
            $maria.Classes[0].Term | Should -Be 'Sample year (always current)'
            ($maria.Classes | Format-Table | Out-String -Width 200) | Should -Match 'Term'
            # On a date inside 2024-2025 the ended session's class counts again.
            (Get-ClassLinkTeacher -Email 'maria.garcia@riverside.example' -AsOf '2025-03-01' -WarningAction SilentlyContinue).Classes.SourcedId |
                Should -Be @('c-geo', 'c-sci7')
        }

        It 'restores the old answer with roster.classTerms: any and drops excluded classes' {
            Connect-TermDistrict "roster:`n  classTerms: any`n  excludeClasses: ['science*']"
            $maria = Get-ClassLinkTeacher -Email 'maria.garcia@riverside.example' -IncludeIneligible -AsOf $asOf -WarningAction SilentlyContinue
            $maria.Classes.SourcedId | Should -Be 'c-geo'
            $maria.Classes[0].Term | Should -Be 'as-2024'
        }

        It 'keeps only the listed schools'' classes' {
            Connect-TermDistrict "roster:`n  schools: [north middle]"
            $teachers = @(Get-ClassLinkTeacher -AsOf $asOf -WarningAction SilentlyContinue)
            $teachers | ForEach-Object { $_.Classes.School | Sort-Object -Unique | Should -Be 'North Middle' }
            ($teachers | Where-Object Email -eq 'maria.garcia@riverside.example').Classes.SourcedId | Should -Be 'c-sci7'
        }

        It 'reports a bad roster key with its line' {
            $folder = Join-Path $TestDrive 'badroster'
            New-Item -ItemType Directory -Path $folder | Out-Null
            $config = New-TestConfiguration -Folder $folder -DistrictPath $termDistrict -Extra "roster:`n  classTerms: sometimes"
            { Connect-SensoClassLink -ConfigPath $config } | Should -Throw -ExpectedMessage '*roster.classTerms*current, any*'
        }
    }

    Context 'other sources and failures' {
        It 'reads the district from a zip' {
            $zip = Join-Path $TestDrive 'district.zip'
            Compress-Archive -Path (Join-Path $exampleDistrict '*.csv') -DestinationPath $zip -Force
            Connect-District $zip | Out-Null
            @(Get-ClassLinkTeacher -AsOf $asOf -WarningAction SilentlyContinue).Count | Should -Be 6
        }

        It 'stops with an error naming a missing file' {
            $district = New-TestDistrict -Path (Join-Path $TestDrive 'broken')
            Remove-Item (Join-Path $district 'enrollments.csv')
            Connect-District $district | Out-Null
            $err = { Get-ClassLinkTeacher } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'RosterUnreadable*'
            $err.Exception.Message | Should -Match 'enrollments\.csv'
        }

        It 'stops with an error naming a missing column' {
            $district = New-TestDistrict -Path (Join-Path $TestDrive 'nocolumn')
            $users = Join-Path $district 'users.csv'
            (Get-Content $users) -replace '^sourcedId,', 'id,' | Set-Content $users
            Connect-District $district | Out-Null
            { Get-ClassLinkTeacher } | Should -Throw -ExpectedMessage "*users.csv*'sourcedId'*"
        }

        It 'turns a broken row into a warning with file and line' {
            $district = New-TestDistrict -Path (Join-Path $TestDrive 'badrow')
            Add-Content (Join-Path $district 'users.csv') 'x-1,,,true,sch-1,teacher'
            Connect-District $district | Out-Null
            $teachers = @(Get-ClassLinkTeacher -WarningVariable warns -WarningAction SilentlyContinue -Verbose 4>&1)
            $warns[0].Message | Should -Match 'users.csv: 1'
            ($teachers | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Out-String) | Should -Match 'users.csv: .*line 8'
        }
    }
}
